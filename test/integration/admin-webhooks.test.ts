// The admin webhook pages through their loaders and actions, signed in with real sessions: an admin
// registers an endpoint on a real loopback server (the secret shown once), a vendor created in the
// app is delivered and listed in the log, Redeliver sends it again with the same event id, and an
// endpoint can be turned off and on; a new secret signs at once and the old one no longer does;
// a deleted endpoint gets nothing more. Other roles are refused.
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
import { verifySignature } from '~/modules/webhooks/signature.server'
import { action as listAction, loader as listLoader } from '~/routes/admin.webhooks._index'
import { action as logAction, loader as logLoader } from '~/routes/admin.webhooks.$endpointId'
import { domesticVendorInput, foreignVendorInput, staffUser } from '../fixtures/vendors'

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

describe('rotating the secret and deleting an endpoint', () => {
  // A second receiver that keeps each request's headers and raw body, and answers what it is told.
  const signed: { eventId: string; kind: string; timestamp: string; signature: string; body: string }[] = []
  let answer = 204
  let receiver: http.Server
  let receiverUrl = ''

  beforeAll(async () => {
    receiver = http.createServer((request, response) => {
      let body = ''
      request.on('data', (chunk) => (body += chunk))
      request.on('end', () => {
        const event = JSON.parse(body) as { id: string; kind: string }
        signed.push({ eventId: event.id, kind: event.kind, timestamp: String(request.headers['clausewise-timestamp']), signature: String(request.headers['clausewise-signature']), body })
        response.writeHead(answer).end()
      })
    })
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve))
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/signed`
  })
  afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())))

  let vendorCount = 0
  // A vendor of its own each time (a registration number is unique).
  const newVendor = () => foreignVendorInput({ businessOwnerId: procurement.id, legalName: { en: `Hook Receiver ${++vendorCount} Ltd.` }, foreignRegistration: { number: `HOOK-${vendorCount}`, country: 'SG' } })

  const pagePost = (endpointId: string, cookie: string, fields: [string, string][]) =>
    logAction({ request: post(`/admin/webhooks/${endpointId}`, cookie, fields), params: { endpointId }, context: {} })

  async function register(cookie: string, name: string) {
    const created = (await listAction({ request: post('/admin/webhooks', cookie, [['name', name], ['url', receiverUrl], ['events', 'vendor.created']]), params: {}, context: {} })) as { ok: true; endpointId: string; secret: string }
    expect(created.ok).toBe(true)
    return created
  }

  it('a rotated secret signs the next delivery at once; the old one no longer verifies', async () => {
    const cookie = await cookieOf(admin)
    const created = await register(cookie, 'Ticketing')
    const rotated = (await pagePost(created.endpointId, cookie, [['intent', 'rotate-secret']])) as { ok: true; intent: string; secret: string }
    expect(rotated).toMatchObject({ ok: true, intent: 'rotate-secret' })
    expect(rotated.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/)
    expect(rotated.secret).not.toBe(created.secret)
    // Stored sealed like the first one; the page shows it in this answer only.
    const stored = await WebhookEndpointModel.findById(created.endpointId).lean()
    expect(stored!.secretSealed).not.toContain(rotated.secret)
    expect(openSecret(stored!.secretSealed, created.endpointId)).toBe(rotated.secret)
    const page = await logLoader({ request: new Request(`${BASE}/admin/webhooks/${created.endpointId}`, { headers: { Cookie: cookie } }), params: { endpointId: created.endpointId }, context: {} })
    expect(JSON.stringify(page)).not.toContain(rotated.secret)

    const vendor = await createVendor(newVendor(), procurement)
    expect(vendor.ok).toBe(true)
    await until(() => signed.length === 1)
    const delivery = signed[0]!
    expect(delivery.kind).toBe('vendor.created')
    expect(verifySignature({ secret: rotated.secret, header: delivery.signature, timestamp: delivery.timestamp, body: delivery.body })).toBe(true)
    expect(verifySignature({ secret: created.secret, header: delivery.signature, timestamp: delivery.timestamp, body: delivery.body })).toBe(false)

    const audit = await AuditEventModel.find({ action: 'webhook.rotate_secret', 'subject.id': created.endpointId }).lean()
    expect(audit).toHaveLength(1)
    expect(audit[0]!.actor).toMatchObject({ id: admin.id, label: admin.email })
    expect(JSON.stringify(audit)).not.toContain(rotated.secret)

    // The rest of this suite's deliveries go to the endpoint made below.
    await pagePost(created.endpointId, cookie, [['intent', 'delete'], ['confirm', 'yes']])
  })

  it('deletes an endpoint only when confirmed; what was waiting for it is never sent', async () => {
    const cookie = await cookieOf(admin)
    const created = await register(cookie, 'Procurement')
    // The receiver fails the first attempt: the delivery waits for its retry.
    answer = 500
    const before = signed.length
    const vendor = await createVendor(newVendor(), procurement)
    expect(vendor.ok).toBe(true)
    await until(async () => (await WebhookDeliveryModel.findOne({ endpointId: created.endpointId, status: 'queued', attempts: 1 }).lean()) !== null)
    expect(signed.length).toBe(before + 1)
    answer = 204

    // Not confirmed: a field message in both languages, nothing deleted.
    const unconfirmed = (await pagePost(created.endpointId, cookie, [['intent', 'delete']])) as Response
    expect(unconfirmed.status).toBe(400)
    expect(await unconfirmed.json()).toMatchObject({ ok: false, intent: 'delete', fieldErrors: { confirm: ['webhooks:delete.confirmRequired'] } })
    expect(await WebhookEndpointModel.countDocuments({ _id: created.endpointId })).toBe(1)

    const deleted = (await pagePost(created.endpointId, cookie, [['intent', 'delete'], ['confirm', 'yes']])) as Response
    expect(deleted.status).toBe(302)
    expect(deleted.headers.get('Location')).toBe('/admin/webhooks')
    expect(await WebhookEndpointModel.countDocuments({ _id: created.endpointId })).toBe(0)
    expect(await WebhookDeliveryModel.countDocuments({ endpointId: created.endpointId })).toBe(0)
    // Far past every retry time: nothing more reaches the receiver, not even for a new vendor.
    expect(await createVendor(newVendor(), procurement)).toMatchObject({ ok: true })
    await deliverDueWebhooks({ now: () => new Date(Date.now() + 24 * 3600_000) })
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(signed.length).toBe(before + 1)
    expect(await WebhookDeliveryModel.countDocuments({ endpointId: created.endpointId })).toBe(0)

    const audit = await AuditEventModel.findOne({ action: 'webhook.delete', 'subject.id': created.endpointId }).lean()
    expect(audit).toMatchObject({ actor: { id: admin.id }, details: { name: 'Procurement', url: receiverUrl, pendingCancelled: 1, deliveriesRemoved: 1 } })
    // The page is gone; deleting again changes nothing.
    expect(await thrownStatus(logLoader({ request: new Request(`${BASE}/admin/webhooks/${created.endpointId}`, { headers: { Cookie: cookie } }), params: { endpointId: created.endpointId }, context: {} }))).toBe(404)
    expect(((await pagePost(created.endpointId, cookie, [['intent', 'delete'], ['confirm', 'yes']])) as Response).status).toBe(409)
  })

  it('refuses the new secret and the deletion to everyone but admins', async () => {
    const created = await register(await cookieOf(admin), 'Register')
    const sealed = (await WebhookEndpointModel.findById(created.endpointId).lean())!.secretSealed
    for (const role of ['procurement', 'compliance', 'viewer'] as const) {
      const cookie = await cookieOf(role === 'procurement' ? procurement : await staffUser(role))
      expect(await thrownStatus(pagePost(created.endpointId, cookie, [['intent', 'rotate-secret']]))).toBe(403)
      expect(await thrownStatus(pagePost(created.endpointId, cookie, [['intent', 'delete'], ['confirm', 'yes']]))).toBe(403)
    }
    // Signed out: sent to sign in.
    const signedOut = await thrownStatus(pagePost(created.endpointId, '', [['intent', 'delete'], ['confirm', 'yes']]))
    expect(signedOut).toBe(302)
    expect((await WebhookEndpointModel.findById(created.endpointId).lean())!.secretSealed).toBe(sealed)
    expect(await AuditEventModel.countDocuments({ action: { $in: ['webhook.rotate_secret', 'webhook.delete'] }, 'subject.id': created.endpointId })).toBe(0)
  })
})
