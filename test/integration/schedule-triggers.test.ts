import { beforeAll, describe, expect, it } from 'vitest'
import { AuditEventModel } from '~models/audit-event'
import { VendorModel } from '~models/vendor'
import type { SessionUser } from '~/modules/auth/session.server'
import { createContract } from '~/modules/contracts/contracts.server'
import { getClauseLibrary, reloadLibrary } from '~/modules/library/library.server'
import { recordTrigger } from '~/modules/schedule/schedule.server'
import { getVendorSchedule } from '~/modules/schedule/vendor-schedule.server'
import { buildCreditCode } from '~/modules/vendors/credit-code'
import { createVendor, overrideTier, updateVendor } from '~/modules/vendors/writes.server'
import { domesticVendorInput, staffUser } from '../fixtures/vendors'

let procurement: SessionUser
let admin: SessionUser
const farFuture = new Date('2099-06-30T15:59:59.999Z')

beforeAll(async () => {
  reloadLibrary()
  procurement = await staffUser('procurement')
  admin = await staffUser('admin')
})

async function vendorWithDueDate(code: string) {
  const result = await createVendor(domesticVendorInput({ creditCode: buildCreditCode('110108', code) }), procurement)
  if (!result.ok) throw new Error(`not created: ${JSON.stringify(result)}`)
  await VendorModel.updateOne({ _id: result.vendorId }, { $set: { 'reassessment.nextDueAt': farFuture } })
  return result.vendorId
}

const stored = async (id: string) => (await VendorModel.findById(id).lean())!

describe('a raised tier', () => {
  it('records one tier_raised trigger and brings the due date forward', async () => {
    const id = await vendorWithDueDate('TR01TR01')
    const before = await stored(id)
    expect(before.effectiveTier).toBe(2)
    const input = domesticVendorInput({ creditCode: buildCreditCode('110108', 'TR01TR01'), version: before.version, dataProfile: { ...domesticVendorInput().dataProfile, recordCount: '2000000' } })
    const result = await updateVendor(id, input, procurement)
    const after = await stored(id)
    expect(result).toEqual({ ok: true, vendorId: id, version: after.version })
    expect(after.effectiveTier).toBe(1)
    expect(after.reassessment!.triggers).toHaveLength(1)
    expect(after.reassessment!.triggers[0]).toMatchObject({ reason: 'tier_raised', detail: '2 → 1', byName: procurement.name, byUserId: procurement.id })
    expect(after.reassessment!.nextDueAt!.getTime()).toBeLessThan(farFuture.getTime())
    expect(after.reassessment!.nextDueAt!.getTime() - Date.now()).toBeLessThan(40 * 86_400_000) // the default issue-ahead window

    // The returned version is the one in force: the next edit with it succeeds and records nothing new.
    const again = await updateVendor(id, { ...input, version: result.ok ? result.version : -1, services: 'Hosting' }, procurement)
    expect(again.ok).toBe(true)
    expect((await stored(id)).reassessment!.triggers).toHaveLength(1)
  })

  it('an override that raises the tier records the trigger too; lowering it does not', async () => {
    const id = await vendorWithDueDate('TR02TR02')
    const first = await overrideTier(id, { tier: '1', justification: 'Hosts the core payment switch for card payments.', version: 0 }, admin)
    expect(first.ok).toBe(true)
    const raised = await stored(id)
    expect(raised.reassessment!.triggers.map((entry) => entry.reason)).toEqual(['tier_raised'])
    expect(raised.reassessment!.nextDueAt!.getTime()).toBeLessThan(farFuture.getTime())
    const lowered = await overrideTier(id, { tier: '3', justification: 'Payment switch moved in-house in March.', version: first.ok ? first.version : -1 }, admin)
    expect(lowered.ok).toBe(true)
    expect((await stored(id)).reassessment!.triggers).toHaveLength(1)
  })
})

describe('a contract renewal', () => {
  const contract = (reference: string) => ({ reference, title: 'Data processing agreement', effectiveAt: '2024-01-01', expiresAt: '2026-12-31', status: 'active', clauseIds: [getClauseLibrary().clauses[0]!.id] })

  it('the first contract records nothing; a second one records contract_renewal with its reference', async () => {
    const id = await vendorWithDueDate('TR03TR03')
    expect((await createContract(procurement, id, contract('HT-TRIG-1'))).ok).toBe(true)
    expect((await stored(id)).reassessment!.triggers).toHaveLength(0)
    expect((await stored(id)).reassessment!.nextDueAt).toEqual(farFuture)

    expect((await createContract(procurement, id, contract('HT-TRIG-2'))).ok).toBe(true)
    const after = await stored(id)
    expect(after.reassessment!.triggers).toHaveLength(1)
    expect(after.reassessment!.triggers[0]).toMatchObject({ reason: 'contract_renewal', detail: 'HT-TRIG-2', byName: procurement.name })
    expect(after.reassessment!.nextDueAt!.getTime()).toBeLessThan(farFuture.getTime())
  })

  it('a refused contract (duplicate reference) records nothing', async () => {
    const id = await vendorWithDueDate('TR04TR04')
    expect((await createContract(procurement, id, contract('HT-TRIG-4'))).ok).toBe(true)
    expect(await createContract(procurement, id, contract('HT-TRIG-4'))).toMatchObject({ ok: false, status: 400 })
    expect((await stored(id)).reassessment!.triggers).toHaveLength(0)
  })
})

describe('a staff request', () => {
  it('is recorded with who asked and why, and shows in the vendor schedule', async () => {
    const id = await vendorWithDueDate('TR05TR05')
    const dueAt = new Date(Date.now() + 10 * 86_400_000)
    const result = await recordTrigger({ vendorId: id, reason: 'staff_request', detail: 'Vendor reported a breach', actor: { kind: 'user', id: admin.id, name: admin.name }, dueAt })
    expect(result).toMatchObject({ ok: true, broughtForward: true, alreadyOpen: false })
    const schedule = await getVendorSchedule(id)
    expect(schedule!.triggers).toEqual([
      expect.objectContaining({ reason: 'staff_request', detail: 'Vendor reported a breach', byName: admin.name }),
    ])
    expect(Date.parse(schedule!.nextDueAt!)).toBeLessThan(farFuture.getTime())
    expect(Date.parse(schedule!.nextDueAt!)).toBeGreaterThanOrEqual(dueAt.getTime() - 86_400_000)
    expect(schedule!.cadence).toEqual({ months: 12, source: 'default', vendorMonths: null })
    const audit = await AuditEventModel.findOne({ 'subject.id': id, action: 'vendor.reassessment.trigger' }).lean()
    expect(audit!.details).toMatchObject({ reason: 'staff_request', broughtForward: true })
  })
})
