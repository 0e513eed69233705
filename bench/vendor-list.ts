// Benchmark: the first page of the vendor list with 10,000 vendors, unfiltered and with a search
// term. Goal: ≤ 50 ms median for the page on this machine.
//
//   npm run bench:vendors        (BENCH_VENDORS=10000 BENCH_RUNS=40; needs `npm run build` or
//                                 CLAUSEWISE_BUILD_DIR pointing at a build)
//
// Runs on the embedded in-memory mongo-java-server, as the tests do. For each query it times:
//   naive    countDocuments + find through the driver: two scans (the shape the app avoids);
//   driver   the app's query shape straight through the MongoDB driver: what the database costs;
//   queries  every query the page makes, through the driver in the app's order: the session and
//            its user (one lookup per request), then the list query — the page's raw queries, as
//            bench:pages measures the review page and the dashboard;
//   list     listVendors(), the function the loader uses (parse → filter → count + find → plain rows);
//   loader   the built route's loader with a signed-in request (session lookup + listVendors);
//   page     the whole server response for GET /vendors: Remix request handler, root and route
//            loaders, React rendering to HTML (no network).
// Each figure is the median / p95 of wall-clock milliseconds; the page also gets its mean CPU time
// (this process + the database's JVM), which stays meaningful when other work shares the cores.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import type { ServerBuild } from '@remix-run/node'
import mongoose from 'mongoose'
import { startEmbeddedMongo } from '../scripts/embedded-db/launch'

const VENDORS = Number(process.env.BENCH_VENDORS ?? 10_000)
const RUNS = Number(process.env.BENCH_RUNS ?? 40)
const WARMUP = 5
const GOAL_MS = 50
const ADMIN = { email: 'bench-admin@clausewise.local', password: 'bench-admin-password' }

const buildDir = path.resolve(process.env.CLAUSEWISE_BUILD_DIR ?? 'build')
if (!existsSync(path.join(buildDir, 'server', 'index.js'))) {
  console.error(`No server build in ${buildDir}: run \`npm run build\` (or set CLAUSEWISE_BUILD_DIR) first.`)
  process.exit(1)
}

const mongo = await startEmbeddedMongo()

// The database's JVM is a child of this process; its CPU time comes from /proc (Linux).
const javaPid = readdirSync('/proc')
  .filter((entry) => /^\d+$/.test(entry))
  .find((pid) => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
      return stat.includes('(java)') && stat.split(') ')[1]!.split(' ')[1] === String(process.pid)
    } catch {
      return false
    }
  })
const ticksPerMs = 100 / 1000 // USER_HZ
function javaCpuMs(): number {
  if (!javaPid) return 0
  const fields = readFileSync(`/proc/${javaPid}/stat`, 'utf8').split(') ')[1]!.split(' ')
  return (Number(fields[11]) + Number(fields[12])) / ticksPerMs
}
process.env.MONGODB_URI = `${mongo.uri}/bench_vendor_list`
process.env.SESSION_SECRET ??= 'bench-secret-bench-secret-bench-secret-0'
process.env.NODE_ENV = 'production'
process.env.DEMO_DATA = 'never'
process.env.TWO_FACTOR_REQUIRED_ROLES ??= 'none' // the bench signs in with a password only
process.env.ADMIN_EMAIL = ADMIN.email
process.env.ADMIN_PASSWORD = ADMIN.password

const build = (await import(path.join(buildDir, 'server', 'index.js'))) as ServerBuild
const { createRequestHandler } = await import('@remix-run/node')
const boot = (build.entry.module as unknown as { boot: typeof import('../app/boot.server').boot }).boot
const app = await boot({ embedded: false, log: () => undefined })
const remixHandler = createRequestHandler(build, 'production')
// As server.ts serves it: each request in its own scope (one session lookup for root and page).
const { inRequestScope } = build.entry.module as unknown as { inRequestScope: typeof import('../app/request-scope.server').inRequestScope }
const handler = (request: Request) => inRequestScope(() => remixHandler(request))

const { VendorModel } = await import('~models/vendor')
const { listVendors, vendorListFilter } = await import('~/modules/vendors/vendors.server')
const { newVendorDocument } = await import('~/modules/vendors/writes.server')
const { parseVendorListQuery, vendorInputSchema } = await import('~/modules/vendors/schemas')
const { buildCreditCode } = await import('~/modules/vendors/credit-code')

// ---- data: 10,000 varied vendors, built by the same code the app uses ----

function random(seed: number) {
  let state = seed >>> 0
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0
    return state / 2 ** 32
  }
}
const next = random(7)
const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!
const CITIES = [['上海', 'Shanghai', '310115'], ['北京', 'Beijing', '110108'], ['深圳', 'Shenzhen', '440300'], ['杭州', 'Hangzhou', '330106'], ['成都', 'Chengdu', '510107'], ['武汉', 'Wuhan', '420106']] as const
const WORDS = [['云桥', 'Yunqiao'], ['汇通', 'Huitong'], ['星衡', 'Xingheng'], ['信达', 'Xinda'], ['睿铭', 'Ruiming'], ['泰和', 'Taihe'], ['明德', 'Mingde'], ['数聚', 'Shuju'], ['灵犀', 'Lingxi'], ['恒信', 'Hengxin']] as const
const TRADES = [['支付科技', 'Payment Technology', 'payment_platform'], ['云计算', 'Cloud Computing', 'cloud_it'], ['营销策划', 'Marketing Planning', 'marketing'], ['资产管理', 'Asset Management', 'collection_agency'], ['征信', 'Credit Reporting', 'credit_reporting'], ['保险经纪', 'Insurance Brokers', 'insurance_intermediary'], ['办公服务', 'Office Services', 'other']] as const
const PI = ['identity', 'account_auth', 'transactions', 'financial_credit', 'location', 'contact'] as const

function vendorInput(index: number) {
  const [cityZh, cityEn, division] = pick(CITIES)
  const [wordZh, wordEn] = pick(WORDS)
  const [tradeZh, tradeEn, category] = pick(TRADES)
  const body = String(index).padStart(8, '0')
  const piCategories = PI.filter(() => next() < 0.35)
  return {
    legalName: { 'zh-CN': `${cityZh}${wordZh}${tradeZh}有限公司（${index}）`, en: `${cityEn} ${wordEn} ${tradeEn} Co., Ltd. (${index})` },
    registration: 'domestic',
    creditCode: buildCreditCode(division, body),
    category,
    status: pick(['onboarding', 'active', 'active', 'active', 'suspended', 'offboarded']),
    contacts: [{ name: `Contact ${index}`, email: `contact${index}@vendor-${index}.example`, locale: 'zh-CN' }],
    dataProfile: {
      piCategories,
      sensitivity: piCategories.some((c) => c !== 'location' && c !== 'contact') ? pick(['C2', 'C3']) : pick(['C1', 'C2']),
      recordCount: piCategories.length ? Math.floor(next() ** 3 * 5_000_000) + 1 : 0,
      crossBorder: next() < 0.1,
      crossBorderDestinations: 'SG, HK',
      usesSubProcessors: false,
      transferMethods: ['api'],
      serviceCriticality: pick(['critical', 'important', 'standard', 'standard']),
    },
  }
}

const loadStarted = performance.now()
for (let offset = 0; offset < VENDORS; offset += 1000) {
  const batch = Array.from({ length: Math.min(1000, VENDORS - offset) }, (_, i) => newVendorDocument(vendorInputSchema.parse(vendorInput(offset + i))))
  await VendorModel.insertMany(batch, { lean: true })
}
console.log(`${VENDORS.toLocaleString('en')} vendors loaded in ${((performance.now() - loadStarted) / 1000).toFixed(1)} s (mongo-java-server, in memory)`)

// ---- a signed-in session for the loader and the page ----

const signIn = await handler(new Request('http://bench.local/login', { method: 'POST', body: new URLSearchParams({ ...ADMIN, redirectTo: '/' }) }))
const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0]!
if (signIn.status !== 302 || !cookie) throw new Error(`sign-in failed: ${signIn.status}`)

// ---- measuring ----

type Stats = { median: number; p95: number; cpu: number }
function stats(times: number[], cpu: number[]): Stats {
  const sorted = [...times].sort((a, b) => a - b)
  return {
    median: sorted[Math.floor(sorted.length / 2)]!,
    p95: sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)]!,
    cpu: cpu.reduce((sum, value) => sum + value, 0) / cpu.length, // a mean: the JVM's CPU clock ticks in 10 ms steps
  }
}

async function time(run: () => Promise<unknown>): Promise<Stats> {
  for (let i = 0; i < WARMUP; i++) await run()
  const times: number[] = []
  const cpu: number[] = []
  for (let i = 0; i < RUNS; i++) {
    const java = javaCpuMs()
    const node = process.cpuUsage()
    const started = performance.now()
    await run()
    times.push(performance.now() - started)
    const used = process.cpuUsage(node)
    cpu.push((used.user + used.system) / 1000 + (javaCpuMs() - java))
  }
  return stats(times, cpu)
}

const LIST_PROJECTION = {
  legalName: 1, creditCode: 1, 'foreignRegistration.number': 1, 'foreignRegistration.country': 1, category: 1, status: 1, effectiveTier: 1,
  'tier.override.tier': 1, 'dataProfile.sensitivity': 1, 'dataProfile.recordCount': 1, 'dataProfile.crossBorder': 1, 'reassessment.nextDueAt': 1, updatedAt: 1,
}
const SORT = { updatedAt: -1, _id: -1 } as const

const routeLoader = build.routes['routes/vendors._index']!.module.loader!
const scenarios = [
  ['unfiltered', ''],
  ['search "汇通支付"', 'q=汇通支付'],
  ['search "yunqiao"', 'q=yunqiao'],
  ['tier 1 + active', 'tier=1&status=active'],
] as const

// Warm the server (JIT, connection pool, module caches) on every page before timing any of them.
for (let i = 0; i < 10; i++) {
  for (const [, search] of scenarios) await (await handler(new Request(`http://bench.local/vendors?${search}`, { headers: { cookie } }))).text()
}

const collection = mongoose.connection.db!.collection('vendors')
const rows: string[][] = []
const cell = (s: Stats) => `${s.median.toFixed(1)} / ${s.p95.toFixed(1)}`
for (const [label, search] of scenarios) {
  const query = parseVendorListQuery(new URLSearchParams(search))
  const filter = vendorListFilter(query)
  const unfiltered = Object.keys(filter).length === 0
  const find = () => collection.find(filter, { projection: LIST_PROJECTION }).sort(SORT).limit(query.size).toArray()
  const naive = await time(() => Promise.all([collection.countDocuments(filter), find()]))
  const driverQuery = () =>
    unfiltered
      ? Promise.all([collection.estimatedDocumentCount(), find()])
      : collection
          .aggregate([{ $match: filter }, { $sort: SORT }, { $facet: { total: [{ $count: 'count' }], rows: [{ $skip: 0 }, { $limit: query.size }, { $project: LIST_PROJECTION }] } }])
          .toArray()
  const driver = await time(driverQuery)
  const sessions = mongoose.connection.db!.collection('sessions')
  const users = mongoose.connection.db!.collection('users')
  const session = (await sessions.findOne({}))!
  const queries = await time(async () => {
    const record = await sessions.findOne({ _id: session._id })
    await users.findOne({ _id: record!.userId })
    await driverQuery()
  })
  const list = await time(() => listVendors(query, { locale: 'zh-CN' }))
  const url = `http://bench.local/vendors${search ? `?${search}` : ''}`
  const loader = await time(() => routeLoader({ request: new Request(url, { headers: { cookie } }), params: {}, context: {} }) as Promise<unknown>)
  const page = await time(async () => {
    const response = await handler(new Request(url, { headers: { cookie } }))
    if (response.status !== 200) throw new Error(`GET ${url}: ${response.status}`)
    await response.text()
  })
  const found = await listVendors(query)
  rows.push([
    label,
    String(found.total),
    cell(naive),
    cell(driver),
    cell(queries),
    cell(list),
    cell(loader),
    cell(page),
    page.cpu.toFixed(1),
    `${(page.median / driver.median).toFixed(1)}×`,
    `${(page.median / queries.median).toFixed(1)}×`,
    page.median <= GOAL_MS ? 'yes' : 'NO',
  ])
}

const header = ['query', 'matches', 'naive: count+find', 'driver', 'queries', 'list', 'loader', 'page (HTML)', 'page CPU', 'page ÷ driver', 'page ÷ queries', `page ≤ ${GOAL_MS} ms`]
// Chinese characters take two columns in a terminal.
const width = (text: string) => [...text].reduce((sum, char) => sum + (/[\u3000-\u9fff\uff00-\uffef]/.test(char) ? 2 : 1), 0)
const widths = header.map((h, i) => Math.max(width(h), ...rows.map((row) => width(row[i]!))))
const line = (cells: string[]) => cells.map((cell, i) => cell + ' '.repeat(widths[i]! - width(cell))).join('  ')
const load = (await import('node:os')).loadavg()[0]!.toFixed(1)
console.log(`\nFirst page (25 rows): wall-clock median / p95 in ms over ${RUNS} runs after ${WARMUP} warm-ups; page CPU = mean ms of CPU`)
console.log(`(this process + the database JVM) per page. Machine load average while measuring: ${load} on ${(await import('node:os')).cpus().length} cores.\n`)
console.log(line(header))
console.log(line(widths.map((w) => '-'.repeat(w))))
for (const row of rows) console.log(line(row))

await app.shutdown()
await mongo.stop()
process.exit(0) // the scheduler leaves a timer behind for up to 5 minutes (schedule/runner.server.ts)
