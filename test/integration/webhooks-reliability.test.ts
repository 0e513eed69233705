// Webhook reliability with real parts: app instances in their own processes killed with SIGKILL
// between a change and its delivery, a real HTTP receiver on loopback that holds or refuses its
// answer, the real job runner. The receiver de-duplicates by event id, as docs/api.md tells
// receivers to: every event reaches it at least once and has exactly one effect.
import { fork, type ChildProcess } from 'node:child_process'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { Types } from 'mongoose'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { AuditEventModel } from '~models/audit-event'
import { DomainEventModel } from '~models/domain-event'
import { VendorModel } from '~models/vendor'
import { WebhookDeliveryModel } from '~models/webhook-delivery'
import { WebhookEndpointModel } from '~models/webhook-endpoint'
import { API_BASE, handleApiRequest, resetApiRateLimits } from '~/modules/api/handler.server'
import { createApiToken } from '~/modules/api/tokens.server'
import { domainEvent } from '~/modules/events/catalogue.server'
import { relayDocumentEvents } from '~/modules/events/relay.server'
import { buildCreditCode } from '~/modules/vendors/credit-code'
import { newVendorDocument } from '~/modules/vendors/writes.server'
import { vendorInputSchema } from '~/modules/vendors/schemas'
import { deliverDueWebhooks, deliverNow, retryDelay } from '~/modules/webhooks/delivery.server'
import { createEndpoint } from '~/modules/webhooks/endpoints.server'
import { domesticVendorInput, staffUser } from '../fixtures/vendors'

// Read once by getEnv(), on the first delivery in this process (the worker processes get their own).
process.env.WEBHOOK_ALLOW_NETWORKS = 'loopback'
process.env.WEBHOOK_TIMEOUT_MS = '300'
process.env.WEBHOOK_RETRY_BASE_MS = '1000' // the clock is controlled: long waits cost nothing, and leave room for a slow machine
process.env.WEBHOOK_MAX_ATTEMPTS = '8'
process.env.WEBHOOK_DISABLE_AFTER = '20'

const WORKER = path.join(__dirname, 'webhooks-worker.ts')
const WORKER_LEASE_MS = 1500

// ---- the receiver: records every POST, answers as the test says, applies each event once ----

type Post = { path: string; eventId: string; body: string; at: number }
type Answer = (post: Post, response: http.ServerResponse) => void
const posts: Post[] = []
const effects = new Map<string, number>() // event id → times the receiver acted on it
let answer: Answer = (_post, response) => response.writeHead(200).end('ok')
let server: http.Server
let base = ''

function applyOnce(eventId: string) {
  // The receiver's side of at-least-once: an event id it has already acted on changes nothing.
  if (!effects.has(eventId)) effects.set(eventId, 1)
}

beforeAll(async () => {
  server = http.createServer((request, response) => {
    let body = ''
    request.on('data', (chunk) => (body += chunk))
    request.on('end', () => {
      const post = { path: request.url ?? '', eventId: String(request.headers['clausewise-event-id']), body, at: Date.now() }
      posts.push(post)
      answer(post, response)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(async () => {
  for (const instance of instances) await instance.kill().catch(() => undefined)
  server.closeAllConnections()
  await new Promise<void>((resolve) => server.close(() => resolve()))
})
beforeEach(async () => {
  // Each case with its own endpoint: earlier endpoints and deliveries would be posted by its runs.
  await WebhookEndpointModel.deleteMany({})
  await WebhookDeliveryModel.deleteMany({})
  answer = (post, response) => {
    applyOnce(post.eventId)
    response.writeHead(200).end('ok')
  }
})

const postsTo = (hook: string) => posts.filter((post) => post.path === hook)
const admin = { id: new Types.ObjectId().toString(), name: 'Admin', email: 'admin@example.test' }

async function endpointFor(hook: string, events = ['vendor.created']) {
  const created = await createEndpoint({ name: `Receiver ${hook}`, url: `${base}${hook}`, events }, admin)
  if (!created.ok) throw new Error(`endpoint refused: ${created.problem}`)
  return created.endpointId
}

async function waitFor<T>(read: () => Promise<T> | T, done: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs
  for (;;) {
    const value = await read()
    if (done(value)) return value
    if (Date.now() > until) throw new Error(`gave up waiting; last value ${JSON.stringify(value)}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

let codeCounter = 0
const uniqueCode = () => buildCreditCode('310115', `WR${String(100000 + ++codeCounter).slice(-6)}`)

// ---- app instances in their own processes ----

class Instance {
  private nextId = 1
  private pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>()
  readonly output: string[] = []
  readonly ready: Promise<void>
  readonly child: ChildProcess

  constructor() {
    this.child = fork(WORKER, [], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, WEBHOOK_CLAIM_LEASE_MS: String(WORKER_LEASE_MS), WEBHOOK_TIMEOUT_MS: '1000', WEBHOOK_RETRY_BASE_MS: '200', NODE_ENV: 'test' },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    })
    this.child.stdout!.on('data', (chunk) => this.output.push(String(chunk)))
    this.child.stderr!.on('data', (chunk) => this.output.push(String(chunk)))
    this.ready = new Promise((resolve, reject) => {
      this.child.once('message', () => resolve())
      this.child.once('exit', (code) => reject(new Error(`instance exited with ${code} before it was ready:\n${this.output.join('')}`)))
    })
    this.child.on('message', (message: { id?: number; result?: unknown; error?: string }) => {
      if (!message.id) return
      const waiter = this.pending.get(message.id)
      this.pending.delete(message.id)
      if (message.error) waiter?.reject(new Error(message.error))
      else waiter?.resolve(message.result)
    })
    this.child.on('exit', () => {
      for (const waiter of this.pending.values()) waiter.reject(new Error('instance died'))
      this.pending.clear()
    })
  }

  send<T = unknown>(command: Record<string, unknown>): Promise<T> {
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject })
      this.child.send({ ...command, id })
    })
  }

  async stop() {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return
    const exited = new Promise((resolve) => this.child.once('exit', resolve))
    await this.send({ cmd: 'stop' }).catch(() => undefined)
    await exited
  }

  kill() {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return Promise.resolve()
    const exited = new Promise((resolve) => this.child.once('exit', resolve))
    this.child.kill('SIGKILL')
    return exited
  }
}

const instances: Instance[] = []
async function start() {
  const instance = new Instance()
  instances.push(instance)
  await instance.ready
  return instance
}

describe('an instance killed between a change and its delivery', () => {
  it('killed after the write, before the relay ran: the restarted job runner delivers the event once', { timeout: 120_000 }, async () => {
    const hook = '/crash-before-relay'
    await endpointFor(hook)
    const first = await start()
    // The write (vendor + its pending event in one document) is all this instance does before it dies.
    const created = await first.send<{ ok: boolean; vendorId: string }>({ cmd: 'create', creditCode: uniqueCode(), publishing: 'nothing' })
    expect(created.ok).toBe(true)
    await first.kill()
    expect(first.child.signalCode).toBe('SIGKILL')
    const left = await VendorModel.collection.findOne({ _id: new Types.ObjectId(created.vendorId) })
    expect(left?.pendingEvents).toHaveLength(1)
    const eventId = String((left!.pendingEvents as { id: string }[])[0]!.id)
    expect(await DomainEventModel.countDocuments({ _id: eventId })).toBe(0)
    expect(postsTo(hook)).toHaveLength(0)

    const restarted = await start()
    await restarted.send({ cmd: 'agenda', webhooksEvery: 300 })
    await waitFor(() => WebhookDeliveryModel.findOne({ eventId }).lean(), (delivery) => delivery?.status === 'delivered')
    await new Promise((resolve) => setTimeout(resolve, 1000)) // a few more job runs: nothing more arrives
    await restarted.stop()
    expect(postsTo(hook).map((post) => post.eventId)).toEqual([eventId])
    expect(effects.get(eventId)).toBe(1)
    expect(JSON.parse(postsTo(hook)[0]!.body)).toMatchObject({ id: eventId, kind: 'vendor.created', data: { vendorId: created.vendorId } })
    expect((await VendorModel.collection.findOne({ _id: new Types.ObjectId(created.vendorId) }))?.pendingEvents).toEqual([])
    expect(await DomainEventModel.countDocuments({ _id: eventId })).toBe(1)
  })

  it('killed while the receiver held its answer (claimed, not marked done): posted again after the lease, one effect', { timeout: 120_000 }, async () => {
    const hook = '/crash-mid-delivery'
    await endpointFor(hook)
    const first = await start()
    // The receiver has the whole request; the sender dies before it hears the answer.
    let held: http.ServerResponse | null = null
    answer = (_post, response) => {
      held = response
      void first.kill()
    }
    const creditCode = uniqueCode()
    // Its answer may or may not get out before the kill: the database says what was written.
    void first.send({ cmd: 'create', creditCode, publishing: 'relay-and-deliver' }).catch(() => undefined)
    await waitFor(() => first.child.signalCode, (signal) => signal === 'SIGKILL')
    expect(held).not.toBeNull()
    expect(await VendorModel.countDocuments({ creditCode })).toBe(1)
    const [stuck] = await WebhookDeliveryModel.find({ kind: 'vendor.created' }).lean()
    expect(stuck).toMatchObject({ status: 'sending', attempts: 1 })
    const eventId = stuck!.eventId
    expect(postsTo(hook).map((post) => post.eventId)).toEqual([eventId])
    expect(effects.has(eventId)).toBe(false) // the held request never got as far as acting

    answer = (post, response) => {
      applyOnce(post.eventId)
      response.writeHead(200).end('ok')
    }
    const restarted = await start()
    await restarted.send({ cmd: 'agenda', webhooksEvery: 300 })
    const delivered = await waitFor(() => WebhookDeliveryModel.findById(stuck!._id).lean(), (delivery) => delivery?.status === 'delivered')
    await new Promise((resolve) => setTimeout(resolve, 1000))
    await restarted.stop()
    // At least once on the wire (here twice, the same event id), exactly once in effect.
    expect(postsTo(hook).map((post) => post.eventId)).toEqual([eventId, eventId])
    expect(effects.get(eventId)).toBe(1)
    expect(delivered).toMatchObject({ status: 'delivered', attempts: 2 })
    // Not before the killed instance's lease ran out.
    expect(postsTo(hook)[1]!.at - postsTo(hook)[0]!.at).toBeGreaterThanOrEqual(WORKER_LEASE_MS - 50)
    expect(await DomainEventModel.countDocuments({ _id: eventId })).toBe(1)
  })
})

// ---- in this process: the delivery function with the receiver's timing and a controlled clock ----

async function queuedEvent(): Promise<{ eventId: string; deliveryIds: string[] }> {
  const _id = new Types.ObjectId()
  const event = domainEvent('vendor.created', { vendorId: String(_id), name: { 'zh-CN': '测试', en: 'Test' }, tier: 2 })
  await VendorModel.collection.insertOne({ _id, legalName: { 'zh-CN': '测试', en: 'Test' }, version: 0, pendingEvents: [event] } as never)
  const { deliveryIds } = await relayDocumentEvents('vendors', _id)
  return { eventId: event.id, deliveryIds }
}

describe('retries', () => {
  it('a receiver that does not answer in time: logged as a timeout, retried with exponential backoff, the same event id when it answers', async () => {
    const hook = '/slow'
    await endpointFor(hook)
    answer = () => undefined // never answers
    const { eventId, deliveryIds } = await queuedEvent()
    expect(deliveryIds).toHaveLength(1)
    const [deliveryId] = deliveryIds as [string]

    expect(await deliverNow(deliveryIds)).toMatchObject({ retrying: 1 })
    const afterFirst = (await WebhookDeliveryModel.findById(deliveryId).lean())!
    expect(afterFirst).toMatchObject({ status: 'queued', attempts: 1 })
    const firstEntry = afterFirst.log.at(-1)!
    expect(firstEntry.error).toBe('no answer within 300 ms')
    expect(firstEntry.statusCode).toBeUndefined()
    expect(firstEntry.durationMs).toBeGreaterThanOrEqual(300)
    const firstWait = afterFirst.nextAttemptAt!.getTime() - (firstEntry.at.getTime() + firstEntry.durationMs!)
    expect(firstWait).toBeGreaterThanOrEqual(retryDelay(1))
    expect(firstWait).toBeLessThan(retryDelay(1) + 600)

    // Not due yet: nothing is posted.
    const early = posts.length
    expect(await deliverDueWebhooks({ now: () => new Date(afterFirst.nextAttemptAt!.getTime() - 1) })).toMatchObject({ delivered: 0, retrying: 0 })
    expect(posts.length).toBe(early)

    // Due: a second timeout, and a wait twice as long.
    expect(await deliverDueWebhooks({ now: () => afterFirst.nextAttemptAt! })).toMatchObject({ retrying: 1 })
    const afterSecond = (await WebhookDeliveryModel.findById(deliveryId).lean())!
    const secondEntry = afterSecond.log.at(-1)!
    expect(afterSecond).toMatchObject({ status: 'queued', attempts: 2 })
    expect(secondEntry.error).toBe('no answer within 300 ms')
    const secondWait = afterSecond.nextAttemptAt!.getTime() - (secondEntry.at.getTime() + secondEntry.durationMs!)
    expect(retryDelay(2)).toBe(2 * retryDelay(1))
    expect(secondWait).toBeGreaterThanOrEqual(retryDelay(2))
    expect(secondWait).toBeLessThan(retryDelay(2) + 600)

    // The receiver answers now.
    answer = (post, response) => {
      applyOnce(post.eventId)
      response.writeHead(204).end()
    }
    expect(await deliverDueWebhooks({ now: () => afterSecond.nextAttemptAt! })).toMatchObject({ delivered: 1 })
    const done = (await WebhookDeliveryModel.findById(deliveryId).lean())!
    expect(done).toMatchObject({ status: 'delivered', attempts: 3 })
    expect(done.log.map((entry) => entry.statusCode ?? entry.error)).toEqual(['no answer within 300 ms', 'no answer within 300 ms', 204])
    expect(postsTo(hook).map((post) => post.eventId)).toEqual([eventId, eventId, eventId])
    expect(new Set(postsTo(hook).map((post) => post.body)).size).toBe(1) // the same event, byte for byte
    expect(effects.get(eventId)).toBe(1)
  })

  it('turns the endpoint off after 20 failed attempts in a row: audited, and nothing more is posted', async () => {
    const hook = '/broken'
    const endpointId = await endpointFor(hook)
    answer = (_post, response) => response.writeHead(500).end('down')
    // Three events of up to 8 attempts each: more than the 20 that switch the endpoint off.
    for (let i = 0; i < 3; i++) await queuedEvent()
    // A clock far ahead: every retry is due at once, each run posts until nothing is due.
    const later = () => new Date(Date.now() + 365 * 86_400_000)
    for (let run = 0; run < 5; run++) await deliverDueWebhooks({ now: later })
    expect(postsTo(hook)).toHaveLength(20)

    const endpoint = (await WebhookEndpointModel.findById(endpointId).lean())!
    expect(endpoint).toMatchObject({ enabled: false, consecutiveFailures: 20, disabled: { reason: 'failures' } })
    const audits = await AuditEventModel.find({ action: 'webhook.auto_disable', 'subject.id': endpointId }).lean()
    expect(audits).toHaveLength(1)
    expect(audits[0]!.details).toMatchObject({ consecutiveFailures: 20 })
    // What was left is held back, not failed or lost.
    const statuses = (await WebhookDeliveryModel.find({ endpointId }).lean()).map((delivery) => delivery.status)
    expect(statuses).toContain('skipped')
    expect(statuses).not.toContain('queued')

    // A new event and more runs: no delivery queued for the endpoint that is off, no POST.
    const { deliveryIds } = await queuedEvent()
    expect(deliveryIds).toEqual([])
    for (let run = 0; run < 3; run++) await deliverDueWebhooks({ now: later })
    expect(postsTo(hook)).toHaveLength(20)
  })
})

// ---- the API: keyset pages while another loop keeps adding vendors ----

describe('pagination while vendors are added', () => {
  it('sees every vendor that existed before the first page, none twice', { timeout: 60_000 }, async () => {
    const user = await staffUser('admin')
    const { token } = await createApiToken({ name: 'pager', scopes: ['vendors:read'], lifetimeDays: 1 }, user)
    resetApiRateLimits()
    for (let i = 0; i < 40; i++) await VendorModel.create(newVendorDocument(vendorInputSchema.parse(domesticVendorInput({ creditCode: uniqueCode(), legalName: { 'zh-CN': `翻页${i}`, en: `Pager ${i}` } }))))
    const before = new Set((await VendorModel.find({}, { _id: 1 }).lean()).map((vendor) => String(vendor._id)))

    let paging = true
    let addedWhilePaging = 0
    const adding = (async () => {
      // Bounded, so the pages come to an end: a page takes 3, the loop may add faster.
      while (paging && addedWhilePaging < 60) {
        await VendorModel.create(newVendorDocument(vendorInputSchema.parse(domesticVendorInput({ creditCode: uniqueCode(), legalName: { 'zh-CN': '翻页新增', en: 'Pager added' } }))))
        addedWhilePaging++
      }
    })()
    const seen: string[] = []
    let cursor: string | null = null
    let pages = 0
    try {
      do {
        const response = await handleApiRequest(new Request(`http://clausewise.test${API_BASE}/vendors?limit=3${cursor ? `&cursor=${cursor}` : ''}`, { headers: { Authorization: `Bearer ${token}` } }))
        expect(response.status).toBe(200)
        const page = (await response.json()) as { data: { id: string }[]; nextCursor: string | null }
        seen.push(...page.data.map((vendor) => vendor.id))
        cursor = page.nextCursor
        pages++
      } while (cursor && pages < 500)
    } finally {
      paging = false
      await adding
    }
    expect(addedWhilePaging).toBeGreaterThan(3) // the two loops really ran side by side
    expect(new Set(seen).size).toBe(seen.length)
    expect([...before].filter((id) => !seen.includes(id))).toEqual([])
  })
})
