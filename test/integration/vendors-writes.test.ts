import { beforeAll, describe, expect, it } from 'vitest'
import { VendorModel } from '~models/vendor'
import { AuditEventModel } from '~models/audit-event'
import type { SessionUser } from '~/modules/auth/session.server'
import { buildCreditCode } from '~/modules/vendors/credit-code'
import { getVendor, listVendors } from '~/modules/vendors/vendors.server'
import { createVendor, overrideTier, updateVendor } from '~/modules/vendors/writes.server'
import { parseVendorListQuery } from '~/modules/vendors/schemas'
import { domesticVendorInput, foreignVendorInput, staffUser } from '../fixtures/vendors'

let procurement: SessionUser
let admin: SessionUser
let viewer: SessionUser

beforeAll(async () => {
  procurement = await staffUser('procurement')
  admin = await staffUser('admin')
  viewer = await staffUser('viewer')
})

async function created(input: Record<string, unknown>, actor = procurement) {
  const result = await createVendor(input, actor)
  if (!result.ok) throw new Error(`not created: ${JSON.stringify(result)}`)
  return result.vendorId
}

describe('creating a vendor', () => {
  it('stores the record with its computed tier, reasons and search key, and records who did it', async () => {
    const id = await created(domesticVendorInput({ businessOwnerId: procurement.id }))
    const vendor = await getVendor(id)
    expect(vendor).toMatchObject({
      legalName: { 'zh-CN': '上海云桥数据服务有限公司', en: 'Shanghai Yunqiao Data Services Co., Ltd.' },
      creditCode: '91310115591693856A',
      foreignRegistration: null,
      businessOwner: { id: procurement.id, email: procurement.email },
      status: 'active',
      effectiveTier: 2,
      tier: { computed: 2, override: null },
      dataProfile: { recordCount: 250_000, sensitivity: 'C2', crossBorderDestinations: [] },
      version: 0,
    })
    expect(vendor!.contacts[0]).toMatchObject({ name: 'Chen Jing', email: 'chen.jing@yunqiao.example', locale: 'zh-CN' })
    expect(vendor!.contacts[0]!.id).toMatch(/^[0-9a-f]{24}$/)
    expect(vendor!.tier.reasons.map((reason) => reason.code)).toEqual(['base', 'criticality_floor'])
    const stored = await VendorModel.findById(id).lean()
    expect(stored!.searchKey).toBe('上海云桥数据服务有限公司\nshanghai yunqiao data services co., ltd.\n91310115591693856a')
    const audit = await AuditEventModel.findOne({ 'subject.id': id }).lean()
    expect(audit).toMatchObject({ action: 'vendor.create', actor: { kind: 'user', id: procurement.id } })
  })

  it('stores a foreign vendor with registration number and country and no credit code', async () => {
    const id = await created(foreignVendorInput({ dataProfile: { ...domesticVendorInput().dataProfile, crossBorder: 'on', crossBorderDestinations: 'sg, us' } }))
    const stored = await VendorModel.findById(id).lean()
    expect(stored!.creditCode).toBeUndefined()
    expect(stored!.foreignRegistration).toEqual({ number: '201912345K', country: 'SG' })
    expect(stored!.dataProfile!.crossBorderDestinations).toEqual(['SG', 'US'])
    // Two foreign vendors: the sparse unique index lets any number of them have no credit code.
    await created(foreignVendorInput({ legalName: { en: 'Second Foreign Ltd.' }, foreignRegistration: { number: 'HRB 1234', country: 'DE' } }))
  })

  it('refuses a duplicate credit code with a message on the field, and stores nothing', async () => {
    const before = await VendorModel.countDocuments()
    const result = await createVendor(domesticVendorInput({ legalName: { 'zh-CN': '另一家公司' } }), procurement)
    expect(result).toEqual({ ok: false, status: 400, fieldErrors: { creditCode: ['vendors:errors.duplicateCreditCode'] } })
    // Also when the code is typed differently: it is normalised first.
    const typed = await createVendor(domesticVendorInput({ creditCode: '9131 0115 5916 9385 6a' }), procurement)
    expect(typed.ok).toBe(false)
    expect(await VendorModel.countDocuments()).toBe(before)
  })

  it('lets the unique index decide when two people save the same code at the same moment', async () => {
    const input = domesticVendorInput({ creditCode: '91440300708461136T' })
    const results = await Promise.all([createVendor(input, procurement), createVendor(input, procurement)])
    expect(results.filter((result) => result.ok)).toHaveLength(1)
    expect(results.find((result) => !result.ok)).toMatchObject({ fieldErrors: { creditCode: ['vendors:errors.duplicateCreditCode'] } })
    expect(await VendorModel.countDocuments({ creditCode: '91440300708461136T' })).toBe(1)
  })

  it('answers bad input with field messages', async () => {
    const result = await createVendor(
      domesticVendorInput({
        creditCode: '91440300708461136A',
        category: 'bakery',
        contacts: [{ name: '', email: 'not-an-email' }],
        dataProfile: { ...domesticVendorInput().dataProfile, piCategories: ['biometric'], sensitivity: 'C2', recordCount: '' },
      }),
      procurement,
    )
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.fieldErrors).toMatchObject({
      category: ['errors:choice'],
      'contacts.0.name': ['errors:required'],
      'contacts.0.email': ['errors:email'],
      'dataProfile.recordCount': ['errors:required'],
    })
  })

  it('reports cross-field problems on the field to correct', async () => {
    const result = await createVendor(
      domesticVendorInput({
        creditCode: '91440300708461136A',
        dataProfile: { ...domesticVendorInput().dataProfile, piCategories: ['biometric'], sensitivity: 'C2', crossBorder: true, usesSubProcessors: true },
      }),
      procurement,
    )
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.fieldErrors).toEqual({
      creditCode: ['vendors:errors.creditCode_checksum'],
      'dataProfile.sensitivity': ['vendors:errors.sensitivityBelowC3'],
      'dataProfile.crossBorderDestinations': ['vendors:errors.destinationsRequired'],
      'dataProfile.subProcessors': ['vendors:errors.subProcessorsRequired'],
    })
  })

  it('refuses an unknown business owner', async () => {
    const result = await createVendor(domesticVendorInput({ creditCode: '914403001922038216', businessOwnerId: '0123456789abcdef01234567' }), procurement)
    expect(result).toMatchObject({ ok: false, fieldErrors: { businessOwnerId: ['vendors:errors.unknownOwner'] } })
  })

  it('is refused to a viewer', async () => {
    await expect(createVendor(domesticVendorInput({ creditCode: '914403001922038216' }), viewer)).rejects.toMatchObject({ status: 403 })
    expect(await VendorModel.exists({ creditCode: '914403001922038216' })).toBeNull()
  })
})

describe('editing a vendor', () => {
  it('applies the change, recomputes the tier, increments the version and audits what changed', async () => {
    const id = await created(domesticVendorInput({ creditCode: '91350100M000100Y43' }))
    const input = domesticVendorInput({
      creditCode: '91350100M000100Y43',
      version: 0,
      status: 'suspended',
      dataProfile: { ...domesticVendorInput().dataProfile, recordCount: '2000000' },
    })
    const result = await updateVendor(id, input, procurement)
    // The raised tier also brings the reassessment forward, in the same update.
    expect(result).toEqual({ ok: true, vendorId: id, version: 1 })
    const vendor = await getVendor(id)
    expect(vendor).toMatchObject({ status: 'suspended', effectiveTier: 1, tier: { computed: 1 }, version: 1 })
    const stored = await VendorModel.findById(id).lean()
    expect(stored!.reassessment!.triggers).toMatchObject([{ reason: 'tier_raised', detail: '2 → 1', byName: procurement.name }])
    const audit = await AuditEventModel.findOne({ 'subject.id': id, action: 'vendor.update' }).lean()
    expect(audit!.details).toMatchObject({ changes: ['status', 'dataProfile'], tier: { from: 2, to: 1 } })
  })

  it('refuses a stale version and leaves the record as the other person saved it', async () => {
    const id = await created(domesticVendorInput({ creditCode: '91350200776049653A' }))
    expect((await updateVendor(id, domesticVendorInput({ creditCode: '91350200776049653A', version: 0, services: 'first' }), procurement)).ok).toBe(true)
    const stale = await updateVendor(id, domesticVendorInput({ creditCode: '91350200776049653A', version: 0, services: 'second' }), procurement)
    expect(stale).toEqual({ ok: false, status: 409, fieldErrors: {}, formError: 'errors:conflict' })
    expect((await getVendor(id))!.services).toBe('first')
  })

  it('refuses to take another vendor’s credit code', async () => {
    const id = await created(domesticVendorInput({ creditCode: '91440300100012316L' }))
    const result = await updateVendor(id, domesticVendorInput({ creditCode: '91310115591693856A', version: 0 }), procurement)
    expect(result).toMatchObject({ ok: false, status: 400, fieldErrors: { creditCode: ['vendors:errors.duplicateCreditCode'] } })
    expect((await getVendor(id))!.creditCode).toBe('91440300100012316L')
  })

  it('switching to a foreign registration removes the credit code', async () => {
    const id = await created(domesticVendorInput({ creditCode: '91310110666007217T' }))
    expect((await updateVendor(id, foreignVendorInput({ version: 0, foreignRegistration: { number: 'C-778', country: 'HK' } }), procurement)).ok).toBe(true)
    const stored = await VendorModel.findById(id).lean()
    expect(stored!.creditCode).toBeUndefined()
    expect(stored!.foreignRegistration).toEqual({ number: 'C-778', country: 'HK' })
    // …and frees the code for another vendor.
    await created(domesticVendorInput({ creditCode: '91310110666007217T' }))
  })

  it('keeps the ids of contacts that stay (assessment invitations refer to them) and gives new ones their own', async () => {
    const id = await created(domesticVendorInput({ creditCode: buildCode('CT01CT02') }))
    const [kept] = (await getVendor(id))!.contacts
    const contacts = [
      { id: kept!.id, name: 'Chen Jing', email: 'chen.jing@yunqiao.example', locale: 'en' },
      { id: '', name: 'New Person', email: 'new.person@yunqiao.example', locale: 'zh-CN' },
      { id: '0123456789abcdef01234567', name: 'Forged Id', email: 'forged@yunqiao.example', locale: 'zh-CN' },
    ]
    expect((await updateVendor(id, domesticVendorInput({ creditCode: buildCode('CT01CT02'), version: 0, contacts }), procurement)).ok).toBe(true)
    const after = (await getVendor(id))!.contacts
    expect(after.map((contact) => contact.name)).toEqual(['Chen Jing', 'New Person', 'Forged Id'])
    expect(after[0]).toMatchObject({ id: kept!.id, locale: 'en' })
    expect(after[1]!.id).not.toBe(kept!.id)
    expect(after[2]!.id).not.toBe('0123456789abcdef01234567') // an id the vendor never had is not taken over
  })

  it('answers 404 for an unknown or malformed id', async () => {
    expect(await updateVendor('0123456789abcdef01234567', domesticVendorInput({ version: 0 }), procurement)).toMatchObject({ status: 404 })
    expect(await updateVendor('not-an-id', domesticVendorInput({ version: 0 }), procurement)).toMatchObject({ status: 404 })
    expect(await getVendor('not-an-id')).toBeNull()
  })
})

describe('overriding the tier', () => {
  it('keeps the override with its justification, author and time; the tier in force follows it', async () => {
    const id = await created(domesticVendorInput({ creditCode: buildCode('AB12CD34') }))
    const justification = 'Hosts the core payment switch; an outage stops card payments nationwide.'
    expect(await overrideTier(id, { tier: '1', justification, version: 0 }, admin)).toEqual({ ok: true, vendorId: id, version: 1 }) // with the schedule's trigger, in one update
    const vendor = await getVendor(id)
    expect(vendor!.effectiveTier).toBe(1)
    expect(vendor!.tier.computed).toBe(2)
    expect(vendor!.tier.override).toMatchObject({ tier: 1, justification, byUserId: admin.id, byName: admin.name })
    expect(Date.now() - Date.parse(vendor!.tier.override!.at)).toBeLessThan(60_000)

    // Editing the profile recomputes the computed tier but keeps the override in force.
    expect((await updateVendor(id, domesticVendorInput({ creditCode: buildCode('AB12CD34'), version: 1, dataProfile: { ...domesticVendorInput().dataProfile, serviceCriticality: 'standard', recordCount: '5000' } }), procurement)).ok).toBe(true)
    expect(await getVendor(id)).toMatchObject({ effectiveTier: 1, tier: { computed: 3, override: { tier: 1 } } })

    expect((await overrideTier(id, { tier: 'computed', justification: 'Payment switch moved in-house in March.', version: 2 }, admin)).ok).toBe(true)
    expect(await getVendor(id)).toMatchObject({ effectiveTier: 3, tier: { computed: 3, override: null } })
    const audit = await AuditEventModel.find({ 'subject.id': id, action: /tier_override/ }).sort({ createdAt: 1 }).lean()
    expect(audit.map((event) => [event.action, event.details!.from, event.details!.to])).toEqual([
      ['vendor.tier_override', 2, 1],
      ['vendor.tier_override_removed', 1, 3],
    ])
  })

  it('requires a justification of some substance, and the admin permission', async () => {
    const id = await created(domesticVendorInput({ creditCode: buildCode('XW98CU76') }))
    expect(await overrideTier(id, { tier: '1', justification: 'because', version: 0 }, admin)).toMatchObject({
      ok: false,
      fieldErrors: { justification: ['errors:tooShort|{"minimum":20}'] },
    })
    await expect(overrideTier(id, { tier: '1', justification: 'A justification long enough.', version: 0 }, procurement)).rejects.toMatchObject({ status: 403 })
    expect(await overrideTier(id, { tier: 'computed', justification: 'Nothing to remove here at all.', version: 0 }, admin)).toMatchObject({
      fieldErrors: { tier: ['vendors:errors.noOverride'] },
    })
    expect((await getVendor(id))!.tier.override).toBeNull()
  })
})

describe('listing vendors', () => {
  it('searches names and codes as literal text, whatever regular-expression characters are typed', async () => {
    const page = (search: string) => listVendors(parseVendorListQuery(new URLSearchParams(search)))
    expect((await page('q=云桥')).rows.map((row) => row.legalName.en)).toContain('Shanghai Yunqiao Data Services Co., Ltd.')
    expect((await page('q=YUNQIAO')).total).toBeGreaterThan(0)
    expect((await page('q=lumen')).rows[0]!.legalName.en).toBe('Lumen Analytics Pte. Ltd.')
    expect((await page('q=.*')).total).toBe(0)
    expect((await page('q=(')).total).toBe(0)
    expect((await page('q=co.,')).total).toBeGreaterThan(0)
    expect((await page('q=9131 0115')).total).toBe(0) // spaces are part of a search, not of a code
    expect((await page('q=91310115')).total).toBeGreaterThan(0)
  })

  it('filters, sorts and pages, showing the last page for a page past the end', async () => {
    const all = await listVendors(parseVendorListQuery(new URLSearchParams('sort=tier&size=10')))
    const tiers = all.rows.map((row) => row.effectiveTier)
    expect(tiers).toEqual([...tiers].sort())
    const tier2 = await listVendors(parseVendorListQuery(new URLSearchParams('tier=2')))
    expect(tier2.rows.every((row) => row.effectiveTier === 2)).toBe(true)
    const beyond = await listVendors(parseVendorListQuery(new URLSearchParams('page=999&size=10')))
    expect(beyond.page).toBe(beyond.pageCount)
    const bogus = parseVendorListQuery(new URLSearchParams('tier=9&category=bakery&sort=drop&page=-3&size=7&q[$ne]=x'))
    expect(bogus).toEqual({ q: undefined, tier: undefined, category: undefined, status: undefined, sort: 'updated', dir: undefined, page: 1, size: 25 })
  })
})

function buildCode(body: string) {
  return buildCreditCode('110108', body)
}
