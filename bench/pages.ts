// Benchmark: the review page and the dashboard with 2,000 vendors and 5,000 assessments, each
// beside its raw queries. Goal: page median ≤ 2× its raw queries and ≤ 100 ms.
//
//   npm run bench:pages        (BENCH_VENDORS=2000 BENCH_ASSESSMENTS=5000 BENCH_RUNS=30; needs
//                               `npm run build` or CLAUSEWISE_BUILD_DIR pointing at a build;
//                               BENCH_PAGES=review times only the pages whose label has that word;
//                               BENCH_SAVE_HTML=dir writes each page's HTML there)
//
// Runs in this process on the embedded in-memory mongo-java-server, on top of the demo data (so
// the review page shows a real reviewed assessment), plus bulk vendors and assessments shaped
// like the demo's. For each page it times:
//   raw      the database queries the page's loaders make, captured from one real request and
//            replayed straight through the driver (queries the loaders issue together are
//            replayed together): what the database costs;
//   data     the page's data function (dashboardData / getReviewView);
//   page     the whole server response (session, root and route loaders, React rendering to HTML).
import { existsSync, mkdirSync } from 'node:fs'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import type { ServerBuild } from '@remix-run/node'
import mongoose from 'mongoose'
import { startEmbeddedMongo } from '../scripts/embedded-db/launch'

const VENDORS = Number(process.env.BENCH_VENDORS ?? 2_000)
const ASSESSMENTS = Number(process.env.BENCH_ASSESSMENTS ?? 5_000)
const RUNS = Number(process.env.BENCH_RUNS ?? 30)
const WARMUP = 5
const GOAL_MS = 100
const GOAL_RATIO = 2

const buildDir = path.resolve(process.env.CLAUSEWISE_BUILD_DIR ?? 'build')
if (!existsSync(path.join(buildDir, 'server', 'index.js'))) {
  console.error(`No server build in ${buildDir}: run \`npm run build\` (or set CLAUSEWISE_BUILD_DIR) first.`)
  process.exit(1)
}

const mongo = await startEmbeddedMongo()
process.env.MONGODB_URI = `${mongo.uri}/bench_pages`
process.env.SESSION_SECRET ??= 'bench-secret-bench-secret-bench-secret-0'
process.env.NODE_ENV = 'production'
process.env.DEMO_DATA = 'always'
// The bench signs in with a password only (two-step sign-in is not what it measures).
process.env.TWO_FACTOR_REQUIRED_ROLES ??= 'none'

const build = (await import(path.join(buildDir, 'server', 'index.js'))) as ServerBuild
const { createRequestHandler } = await import('@remix-run/node')
const boot = (build.entry.module as unknown as { boot: typeof import('../app/boot.server').boot }).boot
const seedStarted = performance.now()
// Not the supervised embedded default: its short socket timeouts are for restarts, and a long GC
// pause of the in-memory JVM while seeding would make the heartbeat drop the pool.
// The start-up sweep (reminders, escalations) runs in this process too: the measuring waits for it.
let sweepDone = false
const app = await boot({ embedded: false, log: (line) => void (/schedule sweep in \d+ ms/.test(line) && (sweepDone = true)) })
const remixHandler = createRequestHandler(build, 'production')
// As server.ts serves it: each request in its own scope (one session lookup for root and page).
const { inRequestScope } = build.entry.module as unknown as { inRequestScope: typeof import('../app/request-scope.server').inRequestScope }
const handler = (request: Request) => inRequestScope(() => remixHandler(request))
const { DEMO_PASSWORD } = await import('~/modules/demo/seed.server')
const { VendorModel } = await import('~models/vendor')
const { AssessmentModel } = await import('~models/assessment')
const { newVendorDocument } = await import('~/modules/vendors/writes.server')
const { vendorInputSchema } = await import('~/modules/vendors/schemas')
const { buildCreditCode } = await import('~/modules/vendors/credit-code')
const { dashboardData } = await import('~/modules/schedule/dashboard.server')
const { getReviewView } = await import('~/modules/review/view.server')

// ---- bulk data on top of the demo ----

let state = 11
const next = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0), state / 2 ** 32)
const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!
const day = 86_400_000
const demoVendors = await VendorModel.countDocuments()
const bulkVendors = Math.max(0, VENDORS - demoVendors)
const vendorIds: mongoose.Types.ObjectId[] = []
for (let offset = 0; offset < bulkVendors; offset += 1000) {
  const batch = Array.from({ length: Math.min(1000, bulkVendors - offset) }, (_, i) => {
    const index = offset + i
    const doc = { _id: new mongoose.Types.ObjectId(), ...newVendorDocument(
      vendorInputSchema.parse({
        legalName: { 'zh-CN': `上海汇通支付科技有限公司（${index}）`, en: `Shanghai Huitong Payment Technology Co., Ltd. (${index})` },
        registration: 'domestic',
        creditCode: buildCreditCode('310115', String(index + 500_000).padStart(8, '0')),
        category: pick(['payment_platform', 'cloud_it', 'marketing', 'other']),
        status: pick(['onboarding', 'active', 'active', 'active', 'suspended']),
        contacts: [{ name: `Contact ${index}`, email: `contact${index}@vendor-${index}.example`, locale: 'zh-CN' }],
        dataProfile: { piCategories: ['identity'], sensitivity: 'C2', recordCount: 1000, crossBorder: false, crossBorderDestinations: '', usesSubProcessors: false, transferMethods: ['api'], serviceCriticality: 'standard' },
      }),
    ) } as Record<string, unknown> & { _id: mongoose.Types.ObjectId }
    // Spread the next due dates over the coming year and the last one, as a running programme has them.
    doc.reassessment = { ...(doc.reassessment as object), nextDueAt: new Date(Date.now() + Math.floor((next() * 2 - 0.6) * 365) * day) }
    vendorIds.push(doc._id)
    return doc
  })
  await VendorModel.insertMany(batch, { lean: true })
}
// Assessments shaped like the demo's: its submitted one (answers, contract clauses, score), copied.
const template = (await AssessmentModel.findOne({ status: { $in: ['submitted', 'under_review', 'completed'] } }).lean())!
const demoAssessments = await AssessmentModel.countDocuments()
const bulkAssessments = Math.max(0, ASSESSMENTS - demoAssessments)
const STATUSES = ['invited', 'in_progress', 'in_progress', 'submitted', 'under_review', 'completed', 'completed', 'completed', 'cancelled'] as const
// Batches of 100: one insert command holds its netty thread, and a long one starves the driver's
// heartbeat on a connection sharing that thread (the monitor then drops the pool).
for (let offset = 0; offset < bulkAssessments; offset += 100) {
  const batch = Array.from({ length: Math.min(100, bulkAssessments - offset) }, () => {
    const status = pick(STATUSES)
    const { _id, ...rest } = template
    return {
      ...rest,
      _id: new mongoose.Types.ObjectId(),
      vendorId: pick(vendorIds.length ? vendorIds : [template.vendorId]),
      status,
      answers: status === 'invited' ? {} : template.answers,
      dueAt: new Date(Date.now() + Math.floor((next() * 2 - 1) * 200) * day),
      invitations: template.invitations.map((invitation) => ({ ...invitation, _id: new mongoose.Types.ObjectId(), tokenHash: new mongoose.Types.ObjectId().toString() })),
      version: 1,
    }
  })
  const t0 = performance.now(); await AssessmentModel.collection.insertMany(batch as never[]); if (process.env.BENCH_DEBUG) console.log(`insert ${offset}: ${(performance.now() - t0).toFixed(0)} ms`)
}
console.log(
  `${await VendorModel.countDocuments()} vendors, ${await AssessmentModel.countDocuments()} assessments (demo data + bulk copies) in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s (mongo-java-server, in memory)`,
)

// ---- a signed-in compliance user ----

const signIn = await handler(new Request('http://bench.local/login', { method: 'POST', body: new URLSearchParams({ email: 'compliance@clausewise.local', password: DEMO_PASSWORD, redirectTo: '/' }) }))
const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0]!
if (signIn.status !== 302 || !cookie) throw new Error(`sign-in failed: ${signIn.status}`)
const { SessionModel } = await import('~models/session')
const sessionUser = await (async () => {
  const { requireUser } = await import('~/modules/auth/session.server')
  return requireUser(new Request('http://bench.local/', { headers: { cookie } }), 'portal:read')
})()
void SessionModel

// ---- capturing a request's queries, and replaying them through the driver ----

type Captured = { collection: string; method: string; args: unknown[] }
let capture: Captured[][] | null = null
let wave: Captured[] | null = null
mongoose.set('debug', (collection: string, method: string, ...args: unknown[]) => {
  if (!capture) return
  // A page only reads (decision 048); a write seen here is a background job's (mail, sweep).
  if (/^(insert|update|delete|replace|bulkWrite|findOneAnd)/.test(method)) return
  if (!wave) {
    wave = []
    capture.push(wave)
    setImmediate(() => (wave = null)) // what is issued before the next turn of the event loop went out together
  }
  wave.push({ collection, method, args: args.filter((arg) => typeof arg !== 'function') })
})

async function captureQueries(run: () => Promise<unknown>): Promise<Captured[][]> {
  capture = []
  wave = null
  await run()
  const captured = capture
  capture = null
  return captured
}

function replay(waves: Captured[][]) {
  const db = mongoose.connection.db!
  return async () => {
    for (const group of waves) {
      await Promise.all(
        group.map(({ collection, method, args }) => {
          const target = db.collection(collection) as unknown as Record<string, (...a: unknown[]) => unknown>
          const result = target[method]!(...args) as { toArray?: () => Promise<unknown> } | Promise<unknown>
          return 'toArray' in result && typeof result.toArray === 'function' ? result.toArray() : result
        }),
      )
    }
  }
}

// ---- measuring ----

// The database's JVM is a child of this process; its CPU time comes from /proc (Linux). CPU time
// stays meaningful when other work shares the cores and stretches the wall clock.
const { readdirSync, readFileSync } = await import('node:fs')
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
function javaCpuMs(): number {
  if (!javaPid) return 0
  const fields = readFileSync(`/proc/${javaPid}/stat`, 'utf8').split(') ')[1]!.split(' ')
  return (Number(fields[11]) + Number(fields[12])) * 10 // USER_HZ = 100
}

type Stats = { median: number; p95: number; cpu: number }
async function time(run: () => Promise<unknown>): Promise<Stats> {
  for (let i = 0; i < WARMUP; i++) await run()
  const times: number[] = []
  let cpu = 0
  for (let i = 0; i < RUNS; i++) {
    const java = javaCpuMs()
    const node = process.cpuUsage()
    const started = performance.now()
    await run()
    times.push(performance.now() - started)
    const used = process.cpuUsage(node)
    cpu += (used.user + used.system) / 1000 + (javaCpuMs() - java)
  }
  times.sort((a, b) => a - b)
  return { median: times[Math.floor(times.length / 2)]!, p95: times[Math.min(times.length - 1, Math.ceil(times.length * 0.95) - 1)]!, cpu: cpu / RUNS }
}

const reviewed = (await AssessmentModel.findOne({ status: 'under_review', vendorId: { $nin: vendorIds } }, { _id: 1 }).lean()) ?? (await AssessmentModel.findOne({ status: 'completed', vendorId: { $nin: vendorIds } }, { _id: 1 }).lean())
if (!reviewed) throw new Error('the demo data has no reviewed assessment')
const pages = [
  { label: 'dashboard', url: 'http://bench.local/', data: () => dashboardData(new Date()) },
  { label: 'review page', url: `http://bench.local/assessments/${reviewed._id.toString()}/review`, data: () => getReviewView(reviewed._id.toString(), 'zh-CN', sessionUser) },
].filter((page) => !process.env.BENCH_PAGES || page.label.includes(process.env.BENCH_PAGES))
const get = async (url: string) => {
  const response = await handler(new Request(url, { headers: { cookie } }))
  if (response.status !== 200) throw new Error(`GET ${url}: ${response.status}`)
  return response.text()
}
for (let i = 0; i < 5; i++) for (const page of pages) await get(page.url)
const pageSizes = new Map<string, string>()
for (const page of pages) {
  const html = await get(page.url)
  // What the browser receives: the markup, and the loader data Remix streams into it for hydration.
  const data = [...html.matchAll(/<script[^>]*>([\s\S]*?)<\/script>/g)].reduce((sum, match) => sum + Buffer.byteLength(match[1]!), 0)
  pageSizes.set(page.label, `${Math.round(Buffer.byteLength(html) / 1024)} KB (${Math.round(data / 1024)} KB scripts), ${(html.match(/<[a-zA-Z]/g) ?? []).length} elements`)
  if (process.env.BENCH_SAVE_HTML) {
    mkdirSync(process.env.BENCH_SAVE_HTML, { recursive: true })
    ;(await import('node:fs')).writeFileSync(path.join(process.env.BENCH_SAVE_HTML, `${page.label.replace(/\W+/g, '-')}.html`), html)
  }
}
for (let waited = 0; !sweepDone && waited < 120; waited++) await new Promise((resolve) => setTimeout(resolve, 500))

// BENCH_PROFILE=file.cpuprofile: a CPU profile of the timed part only (not the seeding).
const profiler = process.env.BENCH_PROFILE ? new (await import('node:inspector/promises')).Session() : null
if (profiler) {
  profiler.connect()
  await profiler.post('Profiler.enable')
  await profiler.post('Profiler.start')
}
const rows: string[][] = []
const cell = (s: Stats) => `${s.median.toFixed(1)} / ${s.p95.toFixed(1)}`
for (const page of pages) {
  const waves = await captureQueries(() => get(page.url))
  const raw = await time(replay(waves))
  const data = await time(page.data)
  const whole = await time(() => get(page.url))
  const queries = waves.reduce((n, group) => n + group.length, 0)
  rows.push([
    page.label,
    `${queries} in ${waves.length} waves`,
    cell(raw),
    cell(data),
    cell(whole),
    `${(whole.median / raw.median).toFixed(2)}×`,
    `${raw.cpu.toFixed(1)} / ${whole.cpu.toFixed(1)}`,
    whole.median <= GOAL_MS && whole.median / raw.median <= GOAL_RATIO ? 'yes' : 'NO',
  ])
  if (process.env.BENCH_SHOW_QUERIES) for (const group of waves) console.log(page.label, group.map((q) => `${q.collection}.${q.method} ${JSON.stringify(q.args).slice(0, 160)}`).join('\n   '))
}

if (profiler) {
  const { profile } = await profiler.post('Profiler.stop')
  ;(await import('node:fs')).writeFileSync(process.env.BENCH_PROFILE!, JSON.stringify(profile))
}
const header = ['page', 'queries', 'raw queries', 'data function', 'page (HTML)', 'page ÷ raw', 'CPU ms raw / page', `≤ ${GOAL_RATIO}× and ≤ ${GOAL_MS} ms`]
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)))
const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ')
const os = await import('node:os')
console.log(`\nWall-clock median / p95 in ms over ${RUNS} runs after ${WARMUP} warm-ups; CPU = mean ms of CPU (this process + the database JVM). Machine load average: ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores.\n`)
console.log(line(header))
console.log(line(widths.map((w) => '-'.repeat(w))))
for (const row of rows) console.log(line(row))
console.log('')
for (const [label, size] of pageSizes) console.log(`${label}: ${size}`)

await app.shutdown()
await mongo.stop()
process.exit(0) // the scheduler leaves a timer behind for up to 5 minutes (schedule/runner.server.ts)
