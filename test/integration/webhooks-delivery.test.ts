// Webhook deliveries to a real HTTP server on loopback: signed, retried after a 500, the same event
// id on every attempt, and an event left on its document (as a crash right after the write leaves it)
// relayed and delivered once.
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { Types } from 'mongoose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { VendorModel } from '~models/vendor'
import { WebhookDeliveryModel } from '~models/webhook-delivery'
import { domainEvent } from '~/modules/events/catalogue.server'
import { setInlinePublishing } from '~/modules/events/outbox.server'
import { relayDocumentEvents, relayLeftoverEvents } from '~/modules/events/relay.server'
import { deliverDueWebhooks, deliverNow } from '~/modules/webhooks/delivery.server'
import { createEndpoint } from '~/modules/webhooks/endpoints.server'
import { verifySignature } from '~/modules/webhooks/signature.server'

process.env.WEBHOOK_ALLOW_NETWORKS = 'loopback'
process.env.WEBHOOK_RETRY_BASE_MS = '10'

type Received = { headers: http.IncomingHttpHeaders; body: string }
const received: Received[] = []
let answers: number[] = []
let server: http.Server
let url = ''

beforeAll(async () => {
  server = http.createServer((request, response) => {
    let body = ''
    request.on('data', (chunk) => (body += chunk))
    request.on('end', () => {
      received.push({ headers: request.headers, body })
      response.writeHead(answers.shift() ?? 200).end('ok')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`
})
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

const admin = { id: new Types.ObjectId().toString(), name: 'Admin', email: 'admin@example.test' }

async function vendorWithEvent() {
  const _id = new Types.ObjectId()
  const event = domainEvent('vendor.created', { vendorId: String(_id), name: { 'zh-CN': '测试', en: 'Test' }, tier: 2 })
  await VendorModel.collection.insertOne({ _id, legalName: { 'zh-CN': '测试', en: 'Test' }, version: 0, pendingEvents: [event] } as never)
  return { _id, event }
}

describe('webhook delivery', () => {
  it('posts a signed event, retries after a 500 with the same event id, and is delivered once', async () => {
    const endpoint = await createEndpoint({ name: 'Risk register', url, events: ['vendor.created'] }, admin)
    expect(endpoint.ok).toBe(true)
    if (!endpoint.ok) return
    answers = [500]
    const before = received.length
    const { _id, event } = await vendorWithEvent()
    const { deliveryIds } = await relayDocumentEvents('vendors', _id)
    expect(deliveryIds).toHaveLength(1)
    // A repeated relay (after a crash) queues nothing new.
    expect((await relayDocumentEvents('vendors', _id)).deliveryIds).toHaveLength(0)
    expect(await deliverNow(deliveryIds)).toMatchObject({ retrying: 1 })
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(await deliverDueWebhooks()).toMatchObject({ delivered: 1 })
    const posts = received.slice(before)
    expect(posts).toHaveLength(2)
    for (const post of posts) {
      expect(post.headers['clausewise-event-id']).toBe(event.id)
      expect(verifySignature({ secret: endpoint.secret, header: String(post.headers['clausewise-signature']), timestamp: String(post.headers['clausewise-timestamp']), body: post.body })).toBe(true)
      expect(JSON.parse(post.body)).toMatchObject({ id: event.id, kind: 'vendor.created', data: { vendorId: String(_id) } })
    }
    const delivery = await WebhookDeliveryModel.findById(deliveryIds[0]).lean()
    expect(delivery).toMatchObject({ status: 'delivered' })
    expect(delivery?.log.map((entry) => entry.statusCode)).toEqual([500, 200])
  })

  it('an event left on its document by a crash is relayed by the job and delivered once', async () => {
    setInlinePublishing('nothing')
    const before = received.length
    const { _id, event } = await vendorWithEvent()
    expect(await relayLeftoverEvents()).toBe(1)
    await deliverDueWebhooks()
    expect(await relayLeftoverEvents()).toBe(0)
    await deliverDueWebhooks()
    expect(received.slice(before).map((post) => post.headers['clausewise-event-id'])).toEqual([event.id])
    expect((await VendorModel.collection.findOne({ _id }))?.pendingEvents).toEqual([])
    setInlinePublishing('relay-and-deliver')
  })
})
