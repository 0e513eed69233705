// The admin webhook pages through their loaders and actions, signed in with real sessions: an admin
// registers an endpoint on a real loopback server (the secret shown once), a vendor created in the
// app is delivered and listed in the log, Redeliver sends it again with the same event id, and an
// endpoint can be turned off and on. Other roles are refused.
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebhookDeliveryModel } from '~models/webhook-delivery'
import { WebhookEndpointModel } from '~models/webhook-endpoint'
import { AuditEventModel } from '~models/audit-event'
import { createUserSession, type SessionUser } from '~/modules/auth/session.server'
import { createVendor } from '~/modules/vendors/writes.server'
import { deliverDueWebhooks } from '~/modules/webhooks/delivery.server'
import { openSecret } from '~/modules/auth/secret-box.server'
import { action as listAction, loader as listLoader } from '~/routes/admin.webhooks._index'
import { action as logAction, loader as logLoader } from '~/routes/admin.webhooks.$endpointId'
import { domesticVendorInput, staffUser } from '../fixtures/vendors'

process.env.WEBHOOK_ALLOW_NETWORKS = 'loopback'

const BASE = 'http://127.0.0.1'
const received: { eventId: string; body: string }[] = []
let server: http.Server
let hookUrl = ''
let admin: SessionUser
let procurement: SessionUser

beforeAll(async () => {
  server = http.createServer((request, response) => {
    let body = ''
    request.on('data', (chunk) => (body += chunk))
    request.on('end', () => {
      received.push({ eventId: String(JSON.parse(body).id ?? ''), body })
      response.writeHead(204).end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  hookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`
  admin = await staffUser('admin')
  procurement = await staffUser('procurement')
})
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

async function cookieOf(user: SessionUser) {
  const response = await createUserSession(new Request(`${BASE}/login`), user.id, '/')
  return response.headers.get('Set-Cookie')!.split(';')[0]!
}

function post(path: string, cookie: string, fields: [string, string][]) {
  return new Request(BASE + path, { method: 'POST', headers: { Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields) })
}

async function until(check: () => boolean | Promise<boolean>, ms = 10_000) {
  const end = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out')
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

async function thrownStatus(promise: Promise<unknown>): Promise<number> {
  try {
    await promise
  } catch (error) {
    if (error instanceof Response) return error.status
    throw error
  }
  return 200
}

describe('admin webhook pages', () => {
  it('registers an endpoint, shows the delivery of a new vendor, redelivers it with the same event id', async () => {
    const cookie = await cookieOf(admin)
    // A weak secret is refused with a message, and nothing is stored.
    const weak = (await listAction({ request: post('/admin/webhooks', cookie, [['name', 'Risk register'], ['url', hookUrl], ['events', 'vendor.created'], ['secret', 'short']]), params: {}, context: {} })) as Response
    expect(weak.status).toBe(400)
    expect(await WebhookEndpointModel.countDocuments()).toBe(0)

    const created = (await listAction({ request: post('/admin/webhooks', cookie, [['name', 'Risk register'], ['url', hookUrl], ['events', 'vendor.created'], ['events', 'finding.opened'], ['secret', '']]), params: {}, context: {} })) as { ok: true; endpointId: string; secret: string }
    expect(created.ok).toBe(true)
    expect(created.secret).toMatch(/^whsec_/)
    // Stored sealed, never in the clear; the list page does not carry it.
    const stored = await WebhookEndpointModel.findById(created.endpointId).lean()
    expect(stored!.secretSealed).not.toContain(created.secret)
    expect(openSecret(stored!.secretSealed, created.endpointId)).toBe(created.secret)
    const list = await listLoader({ request: new Request(`${BASE}/admin/webhooks`, { headers: { Cookie: cookie } }), params: {}, context: {} })
    expect(JSON.stringify(list)).not.toContain(created.secret)
    expect(list.endpoints).toMatchObject([{ id: created.endpointId, url: hookUrl, events: ['vendor.created', 'finding.opened'], enabled: true, lastDelivery: null }])

    const vendor = await createVendor(domesticVendorInput({ businessOwnerId: procurement.id }), procurement)
    expect(vendor.ok).toBe(true)
    await until(() => received.length === 1)
    const eventId = received[0]!.eventId
    expect(JSON.parse(received[0]!.body)).toMatchObject({ kind: 'vendor.created' })

    const logRequest = () => new Request(`${BASE}/admin/webhooks/${created.endpointId}`, { headers: { Cookie: cookie } })
    await until(async () => (await WebhookDeliveryModel.findOne({ eventId }).lean())?.status === 'delivered')
    const log = await logLoader({ request: logRequest(), params: { endpointId: created.endpointId }, context: {} })
    expect(log.deliveries).toMatchObject([{ eventId, kind: 'vendor.created', status: 'delivered', attempts: 1, log: [{ statusCode: 204 }] }])
    expect((await listLoader({ request: new Request(`${BASE}/admin/webhooks`, { headers: { Cookie: cookie } }), params: {}, context: {} })).endpoints[0]!.lastDelivery).toMatchObject({ status: 'delivered', statusCode: 204 })

    // Redeliver: queued again, sent by the job, the receiver sees the same event id a second time.
    const deliveryId = log.deliveries[0]!.id
    const redelivered = await logAction({ request: post(`/admin/webhooks/${created.endpointId}`, cookie, [['intent', 'redeliver'], ['deliveryId', deliveryId]]), params: { endpointId: created.endpointId }, context: {} })
    expect(redelivered).toEqual({ ok: true, intent: 'redeliver' })
    await deliverDueWebhooks()
    expect(received.map((entry) => entry.eventId)).toEqual([eventId, eventId])
    const after = await logLoader({ request: logRequest(), params: { endpointId: created.endpointId }, context: {} })
    expect(after.deliveries[0]!.log.map((attempt) => attempt.statusCode)).toEqual([204, 204])
    expect(await AuditEventModel.countDocuments({ action: { $in: ['webhook.create', 'webhook.redeliver'] } })).toBe(2)

    // Another endpoint's delivery id cannot be redelivered from this page.
    const foreign = (await logAction({ request: post(`/admin/webhooks/${created.endpointId}`, cookie, [['intent', 'redeliver'], ['deliveryId', `${eventId}:000000000000000000000000`]]), params: { endpointId: created.endpointId }, context: {} })) as Response
    expect(foreign.status).toBe(409)

    // Disable, then enable.
    expect(await logAction({ request: post(`/admin/webhooks/${created.endpointId}`, cookie, [['intent', 'disable']]), params: { endpointId: created.endpointId }, context: {} })).toEqual({ ok: true, intent: 'disable' })
    expect((await logLoader({ request: logRequest(), params: { endpointId: created.endpointId }, context: {} })).endpoint).toMatchObject({ enabled: false, disabledReason: 'admin' })
    expect(await logAction({ request: post(`/admin/webhooks/${created.endpointId}`, cookie, [['intent', 'enable']]), params: { endpointId: created.endpointId }, context: {} })).toEqual({ ok: true, intent: 'enable' })
    expect((await logLoader({ request: logRequest(), params: { endpointId: created.endpointId }, context: {} })).endpoint.enabled).toBe(true)
  })

  it('refuses everyone but admins', async () => {
    const cookie = await cookieOf(procurement)
    expect(await thrownStatus(listLoader({ request: new Request(`${BASE}/admin/webhooks`, { headers: { Cookie: cookie } }), params: {}, context: {} }))).toBe(403)
    expect(await thrownStatus(listAction({ request: post('/admin/webhooks', cookie, [['name', 'x'], ['url', hookUrl], ['events', 'vendor.created']]), params: {}, context: {} }))).toBe(403)
    const endpoint = await WebhookEndpointModel.findOne().lean()
    expect(await thrownStatus(logAction({ request: post(`/admin/webhooks/${String(endpoint!._id)}`, cookie, [['intent', 'disable']]), params: { endpointId: String(endpoint!._id) }, context: {} }))).toBe(403)
    expect((await WebhookEndpointModel.findById(endpoint!._id).lean())!.enabled).toBe(true)
  })
})
