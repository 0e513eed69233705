// Benchmark: the REST API and webhook delivery, in one run.
//
//   npm run bench:api      (BENCH_VENDORS=10000 BENCH_RUNS=40 BENCH_EVENTS=2000; needs `npm run
//                           build` or CLAUSEWISE_BUILD_DIR pointing at a build)
//
// 1. GET /api/v1/vendors, first page (the default 25), with 10,000 vendors, unfiltered and
//    searched, each beside the same query (filter, sort on _id, limit + 1) through the driver:
//      driver   the query straight through the MongoDB driver: what the database costs;
//      handler  handleApiRequest() in this process: token check, rate limit, query schema, the read,
//               the audit write and last-use stamp — everything but the network;
//      HTTP     the built app in its own process (server.ts), a real bearer token, over loopback.
//    Goal: HTTP median ≤ 3× the driver's.
// 2. Webhook delivery: N events fanned out to one endpoint on a loopback receiver, then the
//    webhooks job's delivery function run until nothing is due (one delivery after another, as the
//    job does): drain time, deliveries per second, median/p95 of one delivery (claim, look-ups,
//    signed POST, marked delivered), of its POST alone and of the claim's query through the driver;
//    beside N plain POSTs of the same body to the same receiver.
//
// Runs on the embedded in-memory mongo-java-server, as the tests do. BENCH_NODE_ARGS=--cpu-prof
// profiles the app process (see bench/lib/http.ts).
import { existsSync } from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import mongoose, { Types } from 'mongoose'
import { startEmbeddedMongo } from '../scripts/embedded-db/launch'
import { getText, median, percentile, startApp } from './lib/http'

const VENDORS = Number(process.env.BENCH_VENDORS ?? 10_000)
const RUNS = Number(process.env.BENCH_RUNS ?? 40)
const EVENTS = Number(process.env.BENCH_EVENTS ?? 2_000)
const WARMUP = 10
const GOAL_RATIO = 3

const buildDir = path.resolve(process.env.CLAUSEWISE_BUILD_DIR ?? 'build')
if (!existsSync(path.join(buildDir, 'server', 'index.js'))) {
  console.error(`No server build in ${buildDir}: run \`npm run build\` (or set CLAUSEWISE_BUILD_DIR) first.`)
  process.exit(1)
}

const mongo = await startEmbeddedMongo()
const uri = `${mongo.uri}/bench_api`
process.env.MONGODB_URI = uri
process.env.SESSION_SECRET ??= 'bench-secret-bench-secret-bench-secret-0'
process.env.TOTP_ENCRYPTION_KEY ??= '0123456789abcdef'.repeat(4) // seals the webhook secret
process.env.DEMO_DATA = 'never'
process.env.WEBHOOK_ALLOW_NETWORKS = 'loopback'
// The bench makes far more calls than a real client would; the limit is not what it measures.
process.env.API_RATE_LIMIT_PER_MINUTE = '1000000'

const { connectDb, disconnectDb } = await import('../app/db.server')
await connectDb()
await Promise.all(Object.values(mongoose.models).map((model) => model.init()))
const { VendorModel } = await import('~models/vendor')
const { WebhookDeliveryModel } = await import('~models/webhook-delivery')
const { newVendorDocument } = await import('~/modules/vendors/writes.server')
const { vendorInputSchema } = await import('~/modules/vendors/schemas')
const { vendorListFilter } = await import('~/modules/vendors/vendors.server')
const { buildCreditCode } = await import('~/modules/vendors/credit-code')
const { createApiToken } = await import('~/modules/api/tokens.server')
const { API_BASE, handleApiRequest } = await import('~/modules/api/handler.server')
const { vendorListParams, DEFAULT_LIMIT } = await import('~/modules/api/schemas')

// ---- data: varied vendors, built by the same code the app uses ----

let state = 7
const next = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0), state / 2 ** 32)
const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!
const CITIES = [['上海', 'Shanghai', '310115'], ['北京', 'Beijing', '110108'], ['深圳', 'Shenzhen', '440300'], ['杭州', 'Hangzhou', '330106']] as const
const WORDS = [['云桥', 'Yunqiao'], ['汇通', 'Huitong'], ['星衡', 'Xingheng'], ['信达', 'Xinda'], ['睿铭', 'Ruiming'], ['泰和', 'Taihe'], ['明德', 'Mingde'], ['数聚', 'Shuju']] as const
const TRADES = [['支付科技', 'Payment Technology', 'payment_platform'], ['云计算', 'Cloud Computing', 'cloud_it'], ['营销策划', 'Marketing Planning', 'marketing'], ['办公服务', 'Office Services', 'other']] as const

function vendorInput(index: number) {
  const [cityZh, cityEn, division] = pick(CITIES)
  const [wordZh, wordEn] = pick(WORDS)
  const [tradeZh, tradeEn, category] = pick(TRADES)
  return {
    legalName: { 'zh-CN': `${cityZh}${wordZh}${tradeZh}有限公司（${index}）`, en: `${cityEn} ${wordEn} ${tradeEn} Co., Ltd. (${index})` },
    registration: 'domestic',
    creditCode: buildCreditCode(division, String(index).padStart(8, '0')),
    category,
    status: pick(['onboarding', 'active', 'active', 'active', 'suspended']),
    contacts: [{ name: `Contact ${index}`, email: `contact${index}@vendor-${index}.example`, locale: 'zh-CN' }],
    dataProfile: { piCategories: ['identity'], sensitivity: pick(['C2', 'C3']), recordCount: Math.floor(next() * 1_000_000), crossBorder: next() < 0.1, crossBorderDestinations: 'SG', usesSubProcessors: false, transferMethods: ['api'], serviceCriticality: pick(['critical', 'important', 'standard']) },
  }
}

const loadStarted = performance.now()
for (let offset = 0; offset < VENDORS; offset += 1000) {
  const batch = Array.from({ length: Math.min(1000, VENDORS - offset) }, (_, i) => newVendorDocument(vendorInputSchema.parse(vendorInput(offset + i))))
  await VendorModel.insertMany(batch, { lean: true })
}
console.log(`${VENDORS.toLocaleString('en')} vendors loaded in ${((performance.now() - loadStarted) / 1000).toFixed(1)} s (mongo-java-server, in memory)`)

const admin = { id: new Types.ObjectId().toString(), email: 'bench-admin@clausewise.local', name: 'Bench admin', role: 'admin' as const, locale: 'en' as const }
const { token } = await createApiToken({ name: 'bench', scopes: ['vendors:read'], lifetimeDays: 1 }, admin)
const authorization = { Authorization: `Bearer ${token}`, 'Accept-Language': 'en' }

// ---- measuring ----

type Stats = { median: number; p95: number }
async function time(run: () => Promise<unknown>, runs = RUNS): Promise<Stats> {
  for (let i = 0; i < WARMUP; i++) await run()
  const samples: number[] = []
  for (let i = 0; i < runs; i++) {
    const started = performance.now()
    await run()
    samples.push(performance.now() - started)
  }
  samples.sort((a, b) => a - b)
  return { median: percentile(samples, 50), p95: percentile(samples, 95) }
}

// The projection and row shape of listVendorsAfter (app/modules/vendors/vendors.server.ts).
const LIST_PROJECTION = {
  legalName: 1, creditCode: 1, 'foreignRegistration.number': 1, 'foreignRegistration.country': 1, category: 1, status: 1, effectiveTier: 1,
  'tier.override.tier': 1, 'dataProfile.sensitivity': 1, 'dataProfile.recordCount': 1, 'dataProfile.crossBorder': 1, 'reassessment.nextDueAt': 1, updatedAt: 1,
}
const scenarios = [
  ['unfiltered', ''],
  ['search "yunqiao"', 'q=yunqiao'],
  ['tier 1 + active', 'tier=1&status=active'],
] as const

const app = await startApp({ uri, buildDir, env: { API_RATE_LIMIT_PER_MINUTE: '1000000', TWO_FACTOR_REQUIRED_ROLES: 'none' } })
const collection = mongoose.connection.db!.collection('vendors')
// The app's start-up sweep runs over every vendor: let it finish, and warm every path, before timing.
await new Promise((resolve) => setTimeout(resolve, 3000))
for (let i = 0; i < 20; i++) for (const [, search] of scenarios) await getText(app.port, `${API_BASE}/vendors?${search}`, authorization)

const cell = (s: Stats) => `${s.median.toFixed(1)} / ${s.p95.toFixed(1)}`
const apiRows: string[][] = []
let unfilteredRatio = NaN
for (const [label, search] of scenarios) {
  const query = vendorListParams.parse(Object.fromEntries(new URLSearchParams(search)))
  const filter = vendorListFilter(query)
  const driver = await time(() => collection.find(filter, { projection: LIST_PROJECTION }).sort({ _id: 1 }).limit(query.limit + 1).toArray())
  const url = `${API_BASE}/vendors${search ? `?${search}` : ''}`
  const handler = await time(async () => {
    const response = await handleApiRequest(new Request(`http://bench.local${url}`, { headers: authorization }))
    if (response.status !== 200) throw new Error(`handler ${url}: ${response.status}`)
    await response.text()
  })
  let rows = 0
  const overHttp = await time(async () => {
    const response = await getText(app.port, url, authorization)
    if (response.status !== 200) throw new Error(`GET ${url}: ${response.status} ${response.text.slice(0, 200)}`)
    rows = (JSON.parse(response.text) as { data: unknown[] }).data.length
  })
  const ratio = overHttp.median / driver.median
  if (!search) unfilteredRatio = ratio
  apiRows.push([label, String(rows), cell(driver), cell(handler), cell(overHttp), `${(handler.median / driver.median).toFixed(1)}×`, `${ratio.toFixed(1)}×`, ratio <= GOAL_RATIO ? 'yes' : 'NO'])
}
await app.stop()

// ---- webhook delivery: the app is stopped, so its webhooks job takes nothing from this run ----

const { createEndpoint } = await import('~/modules/webhooks/endpoints.server')
const { domainEvent } = await import('~/modules/events/catalogue.server')
const { relayLeftoverEvents } = await import('~/modules/events/relay.server')
const { deliverDueWebhooks } = await import('~/modules/webhooks/delivery.server')

const received = new Set<string>()
let posts = 0
const receiver = http.createServer((request, response) => {
  request.resume()
  request.on('end', () => {
    posts++
    received.add(String(request.headers['clausewise-event-id']))
    response.writeHead(204).end()
  })
})
await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve))
const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`
const endpoint = await createEndpoint({ name: 'Bench receiver', url: receiverUrl, events: ['vendor.created'] }, admin)
if (!endpoint.ok) throw new Error(`endpoint refused: ${endpoint.problem}`)

// N vendors each with the vendor.created event its write recorded, relayed as the events job does.
const eventVendors = Array.from({ length: EVENTS }, (_, i) => {
  const _id = new Types.ObjectId()
  const document = newVendorDocument(vendorInputSchema.parse(vendorInput(VENDORS + i)))
  return { _id, ...document, pendingEvents: [domainEvent('vendor.created', { vendorId: String(_id), name: document.legalName, tier: document.effectiveTier })] }
})
for (let offset = 0; offset < EVENTS; offset += 1000) await VendorModel.collection.insertMany(eventVendors.slice(offset, offset + 1000) as never[])
const relayStarted = performance.now()
let relayed = 0
for (let batch = await relayLeftoverEvents(); batch > 0; batch = await relayLeftoverEvents()) relayed += batch
const relayMs = performance.now() - relayStarted

// The claim's query alone through the driver (read-only: same filter and sort), on the full queue.
const due = () => ({ $or: [{ status: 'queued', nextAttemptAt: { $lte: new Date() } }, { status: 'sending', 'claim.until': { $lte: new Date() } }] })
const claimQuery = await time(() => WebhookDeliveryModel.collection.find(due(), { projection: { log: 0 } }).sort({ nextAttemptAt: 1 }).limit(1).toArray(), 20)

// Drained one delivery per call, so each one is timed: claim, look-ups, signed POST, marked delivered.
const drainStarted = performance.now()
const deliveryMs: number[] = []
let delivered = 0
for (;;) {
  const started = performance.now()
  const counts = await deliverDueWebhooks({ limit: 1 })
  if (counts.delivered + counts.retrying + counts.failed + counts.skipped === 0) break
  deliveryMs.push(performance.now() - started)
  delivered += counts.delivered
}
const drainMs = performance.now() - drainStarted
if (delivered !== EVENTS || received.size !== EVENTS) throw new Error(`expected ${EVENTS} deliveries, got ${delivered} (receiver saw ${received.size} event ids)`)
const deliveries = await WebhookDeliveryModel.find({ endpointId: endpoint.endpointId }, { log: 1 }).lean()
const postMs = deliveries.map((delivery) => delivery.log.at(-1)?.durationMs ?? NaN)
const posted = { posts, eventIds: received.size }

// The floor: the same number of plain POSTs of an event's size, one after another, new socket each (as the sender does).
const sampleBody = JSON.stringify({ id: 'x'.repeat(26), kind: 'vendor.created', at: new Date().toISOString(), data: eventVendors[0]!.pendingEvents[0]!.payload })
const rawSamples: number[] = []
const rawStarted = performance.now()
for (let i = 0; i < EVENTS; i++) {
  const started = performance.now()
  await new Promise<void>((resolve, reject) => {
    const request = http.request(receiverUrl, { method: 'POST', agent: false, headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(sampleBody) } }, (response) => {
      response.resume()
      response.on('end', resolve)
    })
    request.on('error', reject)
    request.end(sampleBody)
  })
  rawSamples.push(performance.now() - started)
}
const rawMs = performance.now() - rawStarted
await new Promise<void>((resolve) => receiver.close(() => resolve()))

// ---- report ----

const width = (text: string) => [...text].reduce((sum, char) => sum + (/[\u3000-\u9fff\uff00-\uffef]/.test(char) ? 2 : 1), 0)
function table(header: string[], rows: string[][]) {
  const widths = header.map((h, i) => Math.max(width(h), ...rows.map((row) => width(row[i]!))))
  const line = (cells: string[]) => cells.map((text, i) => text + ' '.repeat(widths[i]! - width(text))).join('  ')
  console.log(line(header))
  console.log(line(widths.map((w) => '-'.repeat(w))))
  for (const row of rows) console.log(line(row))
}
const ms = (value: number) => value.toFixed(2)
console.log(`\nMachine load average: ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores.`)
console.log(`\n1. GET ${API_BASE}/vendors, first page (limit ${DEFAULT_LIMIT}) of ${VENDORS.toLocaleString('en')} vendors: median / p95 ms over ${RUNS} runs after ${WARMUP} warm-ups\n`)
table(['query', 'rows', 'driver', 'handler', 'HTTP (token)', 'handler ÷ driver', 'HTTP ÷ driver', `≤ ${GOAL_RATIO}×`], apiRows)
console.log(`\n2. Webhook delivery: ${EVENTS.toLocaleString('en')} events to one endpoint on a loopback receiver\n`)
table(
  ['step', 'total', 'per second', 'median ms', 'p95 ms'],
  [
    ['relay (events → deliveries)', `${(relayMs / 1000).toFixed(2)} s`, (relayed / (relayMs / 1000)).toFixed(0), '', ''],
    ['drain (webhooks job delivering)', `${(drainMs / 1000).toFixed(2)} s`, (delivered / (drainMs / 1000)).toFixed(0), ms(median(deliveryMs)), ms(percentile([...deliveryMs].sort((a, b) => a - b), 95))],
    ['  its signed POST (log, whole ms)', '', '', ms(median(postMs)), ms(percentile([...postMs].sort((a, b) => a - b), 95))],
    ['  the claim query alone (driver)', '', '', ms(claimQuery.median), ms(claimQuery.p95)],
    ['plain POSTs, same receiver', `${(rawMs / 1000).toFixed(2)} s`, (EVENTS / (rawMs / 1000)).toFixed(0), ms(median(rawSamples)), ms(percentile([...rawSamples].sort((a, b) => a - b), 95))],
  ],
)
console.log(`\nReceiver: ${posted.posts} signed POSTs, ${posted.eventIds} distinct event ids; delivery ÷ plain POST throughput ${(drainMs / rawMs).toFixed(1)}× the time.`)
console.log(`Unfiltered API page ÷ driver: ${unfilteredRatio.toFixed(1)}×`)

await disconnectDb()
await mongo.stop()
