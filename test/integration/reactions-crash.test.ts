// A contract renewal and its reaction across a crash (decision 050): the instance that wrote the
// renewal is killed with SIGKILL before anything ran after the write; a restarted instance's
// events job relays the event and the schedule's reaction records exactly one trigger.
import { fork, type ChildProcess } from 'node:child_process'
import path from 'node:path'
import { Types } from 'mongoose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ContractModel } from '~models/contract'
import { DomainEventModel } from '~models/domain-event'
import { VendorModel } from '~models/vendor'
import { createContract } from '~/modules/contracts/contracts.server'
import { relayLeftoverEvents } from '~/modules/events/relay.server'
import { getClauseLibrary, reloadLibrary } from '~/modules/library/library.server'
import { buildCreditCode } from '~/modules/vendors/credit-code'
import { createVendor } from '~/modules/vendors/writes.server'
import { domesticVendorInput, staffUser } from '../fixtures/vendors'

const WORKER = path.join(__dirname, 'reactions-worker.ts')
const children: ChildProcess[] = []

function start() {
  const child = fork(WORKER, [], { execArgv: ['--import', 'tsx'], env: { ...process.env, NODE_ENV: 'test' }, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] })
  children.push(child)
  const output: string[] = []
  child.stdout!.on('data', (chunk) => output.push(String(chunk)))
  child.stderr!.on('data', (chunk) => output.push(String(chunk)))
  let next = 1
  const ready = new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve())
    child.once('exit', (code) => reject(new Error(`worker exited with ${code}:\n${output.join('')}`)))
  })
  const send = <T,>(command: Record<string, unknown>) =>
    new Promise<T>((resolve, reject) => {
      const id = next++
      const listen = (message: { id?: number; result?: T; error?: string }) => {
        if (message.id !== id) return
        child.off('message', listen)
        if (message.error) reject(new Error(message.error))
        else resolve(message.result as T)
      }
      child.on('message', listen)
      child.send({ ...command, id })
    })
  const kill = () => new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(null) : (child.once('exit', resolve), child.kill('SIGKILL'))))
  return { child, ready, send, kill }
}

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
})
beforeAll(() => reloadLibrary())

const contract = (reference: string) => ({ reference, title: 'Data processing agreement', effectiveAt: '2024-01-01', expiresAt: '2026-12-31', status: 'active', clauseIds: [getClauseLibrary().clauses[0]!.id] })
const triggersOf = async (vendorId: string) => (await VendorModel.findById(vendorId).lean())!.reassessment!.triggers

async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const until = Date.now() + timeoutMs
  for (;;) {
    const value = await read()
    if (done(value)) return value
    if (Date.now() > until) throw new Error(`gave up waiting; last value ${JSON.stringify(value)}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

describe('a renewal whose writer dies before its reaction', () => {
  it('gets exactly one reassessment trigger from the restarted events job', { timeout: 120_000 }, async () => {
    const procurement = await staffUser('procurement')
    const vendor = await createVendor(domesticVendorInput({ creditCode: buildCreditCode('110108', 'RC01RC01') }), procurement)
    if (!vendor.ok) throw new Error('vendor not created')
    expect((await createContract(procurement, vendor.vendorId, contract('HT-RC-1'))).ok).toBe(true)
    expect(await triggersOf(vendor.vendorId)).toHaveLength(0)

    const first = start()
    await first.ready
    const renewed = await first.send<{ ok: boolean; contractId: string }>({ cmd: 'renew', vendorId: vendor.vendorId, contract: contract('HT-RC-2') })
    expect(renewed.ok).toBe(true)
    await first.kill()
    expect(first.child.signalCode).toBe('SIGKILL')
    // The write is durable, its reaction has not run.
    const left = await ContractModel.collection.findOne({ _id: new Types.ObjectId(renewed.contractId) })
    expect((left!.pendingEvents as { kind: string }[]).map((event) => event.kind)).toEqual(['contract.renewed'])
    expect(await triggersOf(vendor.vendorId)).toHaveLength(0)

    const restarted = start()
    await restarted.ready
    await restarted.send({ cmd: 'agenda' })
    const triggers = await waitFor(() => triggersOf(vendor.vendorId), (list) => list.length > 0)
    await new Promise((resolve) => setTimeout(resolve, 1000)) // a few more job runs: nothing more is recorded
    await restarted.kill()
    expect(await triggersOf(vendor.vendorId)).toHaveLength(1)
    expect(triggers).toMatchObject([{ reason: 'contract_renewal', detail: 'HT-RC-2', byName: 'Worker', key: `contract:${renewed.contractId}` }])
    const eventId = String((left!.pendingEvents as { id: string }[])[0]!.id)
    expect(await DomainEventModel.findById(eventId).lean()).toMatchObject({ kind: 'contract.renewed', reactedAt: expect.any(Date) })
    expect((await ContractModel.collection.findOne({ _id: new Types.ObjectId(renewed.contractId) }))!.pendingEvents).toEqual([])
  })

  it('killed after the relay recorded the event but before the reaction: the job runs it once', async () => {
    const procurement = await staffUser('procurement')
    const vendor = await createVendor(domesticVendorInput({ creditCode: buildCreditCode('110108', 'RC02RC02') }), procurement)
    if (!vendor.ok) throw new Error('vendor not created')
    const contractId = new Types.ObjectId().toString()
    // The state such a crash leaves: the event in domain_events, its reactions still due, off the contract.
    await DomainEventModel.collection.insertOne({ _id: 'b2f6c1de-0000-4000-8000-000000000001' as never, kind: 'contract.renewed', at: new Date(), payload: { contractId, vendorId: vendor.vendorId, reference: 'HT-RC-4', by: { kind: 'system' } }, source: { collection: 'contracts', id: contractId }, reactionsDue: true })
    await relayLeftoverEvents()
    await relayLeftoverEvents()
    expect((await triggersOf(vendor.vendorId)).map((trigger) => trigger.key)).toEqual([`contract:${contractId}`])
  })
})
