// The audit trail: append-only in the model, keyset paging and filters, the CSV export.
import { Types } from 'mongoose'
import { describe, expect, it } from 'vitest'
import { AuditAppendOnlyError, AuditEventModel } from '~models/audit-event'
import { auditPage, recordAudit } from '~/modules/audit/audit.server'
import { auditCsvStream } from '~/modules/audit/csv.server'
import { parseAuditFilters } from '~/modules/audit/filters'
import { translatorFor } from '~/i18n/i18n.server'

const TZ = 'Asia/Shanghai'

describe('audit events are append-only', () => {
  it('refuses every mongoose way of changing or removing an event, and leaves it as it was', async () => {
    await recordAudit({ actor: { kind: 'user', id: 'u1', label: 'a@bank.example' }, action: 'vendor.update', subject: { kind: 'vendor', id: 'v-append' }, details: { field: 'name' } })
    const original = (await AuditEventModel.findOne({ 'subject.id': 'v-append' }).lean())!
    const filter = { _id: original._id }
    const attempts: Array<[string, () => Promise<unknown>]> = [
      ['updateOne', () => AuditEventModel.updateOne(filter, { $set: { action: 'x' } })],
      ['updateMany', () => AuditEventModel.updateMany({}, { $set: { action: 'x' } })],
      ['findOneAndUpdate', () => AuditEventModel.findOneAndUpdate(filter, { $set: { action: 'x' } })],
      ['findByIdAndUpdate', () => AuditEventModel.findByIdAndUpdate(original._id, { $set: { action: 'x' } })],
      ['replaceOne', () => AuditEventModel.replaceOne(filter, { action: 'x' })],
      ['findOneAndReplace', () => AuditEventModel.findOneAndReplace(filter, { action: 'x' })],
      ['deleteOne', () => AuditEventModel.deleteOne(filter)],
      ['deleteMany', () => AuditEventModel.deleteMany({})],
      ['findOneAndDelete', () => AuditEventModel.findOneAndDelete(filter)],
      ['findByIdAndDelete', () => AuditEventModel.findByIdAndDelete(original._id)],
      ['bulkWrite update', () => AuditEventModel.bulkWrite([{ updateOne: { filter, update: { $set: { action: 'x' } } } }])],
      ['bulkWrite delete', () => AuditEventModel.bulkWrite([{ deleteOne: { filter } }])],
      [
        'document.save',
        async () => {
          const document = (await AuditEventModel.findById(original._id))!
          document.action = 'x'
          await document.save()
        },
      ],
      ['document.deleteOne', async () => (await AuditEventModel.findById(original._id))!.deleteOne()],
      ['document.updateOne', async () => (await AuditEventModel.findById(original._id))!.updateOne({ $set: { action: 'x' } })],
    ]
    for (const [name, attempt] of attempts) {
      await expect(attempt(), name).rejects.toBeInstanceOf(AuditAppendOnlyError)
    }
    expect(await AuditEventModel.findOne({ _id: original._id }).lean()).toEqual(original)
    expect(await AuditEventModel.countDocuments({})).toBeGreaterThanOrEqual(1)
    // Appending still works, one by one and in bulk.
    await AuditEventModel.bulkWrite([{ insertOne: { document: { actor: { kind: 'system' }, action: 'settings.x', subject: { kind: 'settings', id: 's' } } } }])
    await AuditEventModel.insertMany([{ actor: { kind: 'system' }, action: 'settings.y', subject: { kind: 'settings', id: 's' } }])
    expect(await AuditEventModel.countDocuments({ 'subject.id': 's' })).toBe(2)
  })
})

describe('audit trail page queries', () => {
  it('pages newest first by _id with no event missed or repeated, and filters by actor, kind, object and day', async () => {
    // 130 events over three days (in the institution's zone), from two people.
    const base = Date.parse('2026-03-01T00:00:00+08:00') / 1000
    const events = Array.from({ length: 130 }, (_, i) => ({
      _id: new Types.ObjectId(Types.ObjectId.createFromTime(base + Math.floor(i / 50) * 86_400 + (i % 50) * 60).toHexString().slice(0, 8) + i.toString(16).padStart(16, '0')),
      actor: { kind: 'user', id: `user-${i % 2}`, label: `person${i % 2}@bank.example` },
      action: i % 3 === 0 ? 'auth.sign-in' : 'contract.update',
      subject: { kind: i % 3 === 0 ? 'user' : 'contract', id: `paging-${i % 5}` },
      createdAt: new Date((base + i) * 1000),
    }))
    await AuditEventModel.insertMany(events)
    const seen: string[] = []
    let before: string | undefined
    let pages = 0
    for (;;) {
      const page = await auditPage({ object: undefined, before }, TZ, 50)
      seen.push(...page.events.filter((event) => event.subject.id.startsWith('paging-')).map((event) => event.id))
      pages++
      if (!page.nextBefore) break
      before = page.nextBefore
    }
    expect(pages).toBeGreaterThanOrEqual(3)
    const expected = events.map((event) => event._id.toHexString()).sort().reverse()
    expect(seen).toEqual(expected)

    const byActor = await auditPage({ actor: 'PERSON1@bank.example' }, TZ, 500)
    expect(byActor.events.length).toBe(65)
    expect(byActor.events.every((event) => event.actor.label === 'person1@bank.example')).toBe(true)
    const byKind = await auditPage({ kind: 'auth', object: 'user:paging-0' }, TZ, 500)
    expect(byKind.events.length).toBeGreaterThan(0)
    expect(byKind.events.every((event) => event.action === 'auth.sign-in' && event.subject.id === 'paging-0')).toBe(true)
    const secondDay = await auditPage({ from: '2026-03-02', to: '2026-03-02' }, TZ, 500)
    expect(secondDay.events.filter((event) => event.subject.id.startsWith('paging-')).length).toBe(50)
  })

  it('parses filters from the URL, refusing nonsense with field messages', () => {
    expect(parseAuditFilters(new URLSearchParams('actor=a%40b.c&kind=vendor&from=2026-01-01&to=2026-01-31'))).toMatchObject({ ok: true, filters: { actor: 'a@b.c', kind: 'vendor', from: '2026-01-01', to: '2026-01-31' } })
    expect(parseAuditFilters(new URLSearchParams('kind=&actor='))).toEqual({ ok: true, filters: {} })
    expect(parseAuditFilters(new URLSearchParams('from=yesterday'))).toEqual({ ok: false, fieldErrors: { from: ['admin:audit.badDate'] } })
    expect(parseAuditFilters(new URLSearchParams('from=2026-02-01&to=2026-01-01'))).toEqual({ ok: false, fieldErrors: { to: ['admin:audit.toBeforeFrom'] } })
    expect(parseAuditFilters(new URLSearchParams('kind=everything'))).toMatchObject({ ok: false })
    expect(parseAuditFilters(new URLSearchParams('before={"$gt":""}'))).toMatchObject({ ok: false })
  })

  it('exports the filtered trail as CSV with a BOM and formula-protected cells', async () => {
    await recordAudit({ actor: { kind: 'system', label: '=2+3@idp.example' }, action: 'auth.sso-refused', subject: { kind: 'user', id: 'csv-1' }, details: { reason: 'unmapped' }, clientAddress: '127.0.0.1' })
    const t = await translatorFor('en', 'admin')
    const bytes = new Uint8Array(await new Response(auditCsvStream({ object: 'csv-1' }, TZ, t)).arrayBuffer())
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const csv = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes)
    expect(csv.charCodeAt(0)).toBe(0xfeff)
    const lines = csv.slice(1).trim().split('\r\n')
    expect(lines[0]).toBe('When,Who,User id,What,Object kind,Object,From,Details')
    expect(lines).toHaveLength(2)
    expect(lines[1]).toContain(",'=2+3@idp.example,")
    expect(lines[1]).toContain('auth.sso-refused,user,csv-1,127.0.0.1')
    const zh = await translatorFor('zh-CN', 'admin')
    expect(await new Response(auditCsvStream({ object: 'csv-1' }, TZ, zh)).text()).toContain('时间,操作人')
  })
})
