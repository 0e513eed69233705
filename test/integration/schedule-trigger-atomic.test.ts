// A raised tier and its reassessment trigger are one write: there is no moment (no crash point)
// at which the vendor has the new tier but not the trigger. A contract renewal spans two
// documents; its trigger is recorded from a marker on the contract, at most once, and the sweep
// finishes what a crash left behind.
import mongoose, { Types } from 'mongoose'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { ContractModel } from '~models/contract'
import { VendorModel } from '~models/vendor'
import type { SessionUser } from '~/modules/auth/session.server'
import { completePendingRenewalTriggers, createContract } from '~/modules/contracts/contracts.server'
import { getClauseLibrary, reloadLibrary } from '~/modules/library/library.server'
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
afterEach(() => {
  mongoose.set('debug', false)
})

/** The event relay's clean-up after a write: it removes events already copied to domain_events. */
function isOutboxCleanUp(update: unknown): boolean {
  if (!update || typeof update !== 'object') return false
  const keys = Object.keys(update)
  return keys.length === 1 && keys[0] === '$pull' && Object.keys((update as { $pull: object }).$pull).join() === 'pendingEvents'
}

/**
 * Every write mongoose sends to the vendors collection while `run` runs, except the event relay's
 * clean-up that follows a write (the event itself is recorded in the write under test).
 */
async function vendorWritesDuring(run: () => Promise<unknown>) {
  const writes: string[] = []
  mongoose.set('debug', (collection: string, method: string, _filter: unknown, update: unknown) => {
    if (collection !== 'vendors' || !/update|insert|replace|delete|findOneAndUpdate|bulkWrite/i.test(method)) return
    if (method === 'updateOne' && isOutboxCleanUp(update)) return
    writes.push(method)
  })
  try {
    await run()
  } finally {
    mongoose.set('debug', false)
  }
  return writes
}

async function vendorWithDueDate(code: string) {
  const result = await createVendor(domesticVendorInput({ creditCode: buildCreditCode('110108', code) }), procurement)
  if (!result.ok) throw new Error(`not created: ${JSON.stringify(result)}`)
  await VendorModel.updateOne({ _id: result.vendorId }, { $set: { 'reassessment.nextDueAt': farFuture } })
  return result.vendorId
}
const stored = async (id: string) => (await VendorModel.findById(id).lean())!

describe('a tier raise', () => {
  it('writes the new tier and its trigger in the one update that raises it', async () => {
    const id = await vendorWithDueDate('AT01AT01')
    const input = domesticVendorInput({ creditCode: buildCreditCode('110108', 'AT01AT01'), version: 0, dataProfile: { ...domesticVendorInput().dataProfile, recordCount: '2000000' } })
    let result: Awaited<ReturnType<typeof updateVendor>> | undefined
    const writes = await vendorWritesDuring(async () => {
      result = await updateVendor(id, input, procurement)
    })
    expect(writes).toEqual(['findOneAndUpdate'])
    const after = await stored(id)
    expect(result).toEqual({ ok: true, vendorId: id, version: 1 })
    expect(after).toMatchObject({ effectiveTier: 1, version: 1 })
    expect(after.reassessment!.triggers).toMatchObject([{ reason: 'tier_raised', detail: '2 → 1', byName: procurement.name }])
    expect(after.reassessment!.nextDueAt!.getTime()).toBeLessThan(farFuture.getTime())
  })

  it('an override that raises the tier is one update too; a refused (stale) one writes neither', async () => {
    const id = await vendorWithDueDate('AT02AT02')
    const stale = await overrideTier(id, { tier: '1', justification: 'Hosts the core payment switch for card payments.', version: 7 }, admin)
    expect(stale).toMatchObject({ ok: false, status: 409 })
    expect((await stored(id)).reassessment!.triggers).toHaveLength(0)

    const writes = await vendorWritesDuring(() => overrideTier(id, { tier: '1', justification: 'Hosts the core payment switch for card payments.', version: 0 }, admin))
    expect(writes).toEqual(['findOneAndUpdate'])
    const after = await stored(id)
    expect(after).toMatchObject({ effectiveTier: 1, version: 1 })
    expect(after.reassessment!.triggers.map((trigger) => trigger.reason)).toEqual(['tier_raised'])
  })
})

describe('a contract renewal', () => {
  const contract = (reference: string) => ({ reference, title: 'Data processing agreement', effectiveAt: '2024-01-01', expiresAt: '2026-12-31', status: 'active', clauseIds: [getClauseLibrary().clauses[0]!.id] })

  it('leaves no marker once its trigger is recorded, and the sweep does not record it again', async () => {
    const id = await vendorWithDueDate('AT03AT03')
    expect((await createContract(procurement, id, contract('HT-AT-1'))).ok).toBe(true)
    const renewal = await createContract(procurement, id, contract('HT-AT-2'))
    expect(renewal.ok).toBe(true)
    expect((await ContractModel.findById(renewal.ok ? renewal.contractId : null).lean())!.pendingTrigger).toBeUndefined()
    await completePendingRenewalTriggers()
    expect((await stored(id)).reassessment!.triggers).toMatchObject([{ reason: 'contract_renewal', detail: 'HT-AT-2', key: `contract:${renewal.ok ? renewal.contractId : ''}` }])
  })

  it('a renewal stored before a crash (marker set, trigger not yet written) gets its trigger from the sweep, once', async () => {
    const id = await vendorWithDueDate('AT04AT04')
    expect((await createContract(procurement, id, contract('HT-AT-3'))).ok).toBe(true)
    // The state a crash right after the insert leaves: the contract with its marker, nothing on the vendor.
    const contractId = new Types.ObjectId()
    await ContractModel.create({
      _id: contractId,
      vendorId: new Types.ObjectId(id),
      reference: 'HT-AT-4',
      title: 'Renewed agreement',
      effectiveAt: new Date('2025-01-01'),
      status: 'active',
      pendingTrigger: { reason: 'contract_renewal', at: new Date(), actor: { kind: 'user', id: procurement.id, name: procurement.name } },
    })
    expect((await stored(id)).reassessment!.triggers).toHaveLength(0)

    expect(await completePendingRenewalTriggers()).toBeGreaterThanOrEqual(1)
    await completePendingRenewalTriggers()
    // A crash after the trigger but before the marker was cleared: the repair runs again, records nothing new.
    await ContractModel.updateOne({ _id: contractId }, { $set: { pendingTrigger: { reason: 'contract_renewal', at: new Date(), actor: { kind: 'system' } } } })
    await completePendingRenewalTriggers()

    const after = await stored(id)
    expect(after.reassessment!.triggers).toMatchObject([{ reason: 'contract_renewal', detail: 'HT-AT-4', byName: procurement.name, key: `contract:${contractId}` }])
    expect(after.reassessment!.nextDueAt!.getTime()).toBeLessThan(farFuture.getTime())
    expect((await ContractModel.findById(contractId).lean())!.pendingTrigger).toBeUndefined()
  })
})
