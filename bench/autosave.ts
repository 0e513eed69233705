// Benchmark: vendors autosaving against the running app, beside the same conditional updates
// issued straight through the MongoDB driver, on a file-backed embedded database, once per
// durability level (BENCH_DURABILITY, default "commit,none"), printed side by side.
//
//   npm run bench:autosave            (build first: npm run build, or set CLAUSEWISE_BUILD_DIR)
//
// For each durability level, in one run:
// - closed loop: BENCH_VENDORS (200) vendors, each making BENCH_SAVES (20) saves back to back (one
//   save in flight per vendor, as one browser tab); goal: app throughput ≥ 0.6× the driver's;
// - open loop: every vendor saves once a second at a random offset (seeded; arrival times fixed in
//   advance, latency counted from the planned arrival, so a slow reply never slows the load);
//   goal: p99 ≤ 100 ms; then the rate is stepped up to find the highest multiple of that load at
//   which the app's p99 stays ≤ 100 ms;
// - one vendor alone, saving back to back: goal: app median ≤ 3× the driver's;
// and at the end, every answer the app acknowledged must be in the database at its revision.
// The driver does what the app's save does: one update pinned to { _id, version } setting the
// same fields. BENCH_NODE_ARGS passes flags to the app's Node, e.g. "--cpu-prof".
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import mongoose from 'mongoose'
import { startEmbeddedMongo, type EmbeddedDurability } from '../scripts/embedded-db/launch'
import { AssessmentModel } from '~models/assessment'
import type { Question } from '~/modules/library/content-schema'
import { loadLibrary } from '~/modules/library/library.server'
import { newAccessToken } from '~/modules/assessments/tokens.server'
import { progressOf } from '~/modules/assessments/questions'
import { percentile, postJson, seededRandom, startApp } from './lib/http'

const VENDORS = Number(process.env.BENCH_VENDORS ?? 200)
const SAVES = Number(process.env.BENCH_SAVES ?? 20)
const OPEN_SECONDS = Number(process.env.BENCH_OPEN_SECONDS ?? 10)
const STEP_SECONDS = Number(process.env.BENCH_STEP_SECONDS ?? 4)
const SINGLE_SAVES = Number(process.env.BENCH_SINGLE_SAVES ?? 300)
const STEPS = [2, 3, 4, 6, 8, 12, 16, 24, 32]
const P99_GOAL_MS = 100
const DURABILITIES = (process.env.BENCH_DURABILITY ?? 'commit,none').split(',').map((d) => d.trim()) as EmbeddedDurability[]
// BENCH_PARTS picks parts to run (closed,open,steps,single; default all), for profiling one of them.
const PARTS = new Set((process.env.BENCH_PARTS ?? 'closed,open,steps,single').split(',').map((p) => p.trim()))
const none: Stats = { median: NaN, p99: NaN, perSecond: NaN, count: 0, failed: 0 }
const buildDir = path.resolve(process.env.CLAUSEWISE_BUILD_DIR ?? 'build')

const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '–')
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Questions whose answers are easy to vary: text, numbers and single choices. */
function benchQuestions(questions: Question[]) {
  return questions.filter((q) => !q.showWhen && ['short_text', 'long_text', 'number', 'yes_no_na', 'single_choice'].includes(q.kind)).slice(0, 20)
}

function valueFor(question: Question, vendor: number, save: number): string | number {
  if (question.kind === 'number') return (question.min ?? 0) + ((vendor * 7 + save) % 5)
  if (question.kind === 'yes_no_na' || question.kind === 'single_choice') return question.options![(vendor + save) % question.options!.length]!.id
  return `vendor ${vendor} save ${save}`
}

interface Vendor {
  index: number
  id: mongoose.Types.ObjectId
  token: string
  next: number // saves made so far: the k-th save edits question k mod Q at revision ⌊k / Q⌋
  version: number // the driver's side: the version its next update is pinned to
}

interface Stats {
  median: number
  p99: number
  perSecond: number
  count: number
  failed: number
}

function stats(latencies: number[], seconds: number, failed: number): Stats {
  const sorted = [...latencies].sort((a, b) => a - b)
  return { median: percentile(sorted, 50), p99: percentile(sorted, 99), perSecond: latencies.length / seconds, count: latencies.length, failed }
}

type SaveFn = (vendor: Vendor) => Promise<boolean>

/** Each vendor saves back to back, all vendors at once. */
async function closedLoop(vendors: Vendor[], saves: number, save: SaveFn): Promise<Stats> {
  const latencies: number[] = []
  let failed = 0
  const started = performance.now()
  await Promise.all(
    vendors.map(async (vendor) => {
      for (let i = 0; i < saves; i++) {
        const t = performance.now()
        if (!(await save(vendor))) failed++
        latencies.push(performance.now() - t)
      }
    }),
  )
  return stats(latencies, (performance.now() - started) / 1000, failed)
}

/** Every vendor saves `rate` times a second from a random offset; latency counts from the planned arrival. */
async function openLoop(vendors: Vendor[], rate: number, seconds: number, seed: number, save: SaveFn): Promise<Stats> {
  const random = seededRandom(seed)
  const period = 1000 / rate
  const arrivals: { at: number; vendor: Vendor }[] = []
  for (const vendor of vendors) {
    for (let at = random() * period; at < seconds * 1000; at += period) arrivals.push({ at, vendor })
  }
  arrivals.sort((a, b) => a.at - b.at)
  const latencies: number[] = []
  let failed = 0
  const pending: Promise<void>[] = []
  const started = performance.now()
  for (let i = 0; i < arrivals.length; ) {
    const wait = started + arrivals[i]!.at - performance.now()
    if (wait > 1) await sleep(wait)
    const now = performance.now() - started
    for (; i < arrivals.length && arrivals[i]!.at <= now; i++) {
      const planned = started + arrivals[i]!.at
      pending.push(
        save(arrivals[i]!.vendor).then(
          (ok) => {
            if (!ok) failed++
            latencies.push(performance.now() - planned)
          },
          () => {
            failed++
          },
        ),
      )
    }
  }
  await Promise.all(pending)
  return stats(latencies, seconds, failed)
}

interface Run {
  durability: EmbeddedDurability
  closed: { app: Stats; driver: Stats }
  open: { app: Stats; driver: Stats }
  steps: { rate: number; app: Stats }[]
  highestRate: number
  single: { app: Stats; driver: Stats }
  acknowledged: number
  lost: number
  progressWrong: number
}

async function runAt(durability: EmbeddedDurability, questions: Question[], baseline: ReturnType<typeof loadLibrary>['latest'][number]): Promise<Run> {
  const dir = mkdtempSync(path.join(tmpdir(), 'clausewise-bench-'))
  const mongo = await startEmbeddedMongo({ file: path.join(dir, 'bench.mv'), durability })
  const uri = `${mongo.uri}/clausewise_bench`
  await mongoose.connect(uri)
  await AssessmentModel.init() // indexes first: the embedded server dislikes inserts racing an index build
  let app: Awaited<ReturnType<typeof startApp>> | undefined
  try {
    const seed = async (run: string, count: number): Promise<Vendor[]> => {
      const vendors: Vendor[] = []
      const docs = Array.from({ length: count }, (_, i) => {
        const { token, tokenHash } = newAccessToken()
        const id = new mongoose.Types.ObjectId()
        vendors.push({ index: i, id, token, next: 0, version: 0 })
        return {
          _id: id,
          vendorId: new mongoose.Types.ObjectId(),
          status: 'invited',
          vendorSnapshot: { vendorId: '', legalName: { en: `${run} vendor ${i}` }, category: 'other', dataProfile: { piCategories: [] } },
          questionnaires: [{ id: baseline.id, version: baseline.version }],
          contract: { clauses: [] },
          dueAt: new Date(Date.now() + 30 * 86_400_000),
          invitations: [{ _id: new mongoose.Types.ObjectId(), name: `Contact ${i}`, email: `contact${i}@${run}.test`, locale: 'en', tokenHash, expiresAt: new Date(Date.now() + 44 * 86_400_000) }],
          answers: {},
          progress: { answered: 0, required: 0, percent: 0 },
          version: 0,
          createdAt: new Date(),
          updatedAt: new Date(),
        }
      })
      await AssessmentModel.collection.insertMany(docs)
      return vendors
    }
    const appVendors = await seed('app', VENDORS)
    const driverVendors = await seed('driver', VENDORS)
    const [appAlone] = await seed('app-alone', 1)
    const [driverAlone] = await seed('driver-alone', 1)
    app = await startApp({ uri, buildDir })
    const port = app.port

    const acknowledged = new Map<string, { value: unknown; rev: number }>() // `${assessment}:${question}`
    const planned = (vendor: Vendor) => {
      const k = vendor.next++
      const question = questions[k % questions.length]!
      return { question, baseRev: Math.floor(k / questions.length), value: valueFor(question, vendor.index, k) }
    }
    const viaApp: SaveFn = async (vendor) => {
      const { question, baseRev, value } = planned(vendor)
      const response = await postJson(port, `/v/${vendor.token}/save`, { questionId: question.id, baseRev, value, comment: null })
      const body = response.body as { ok?: boolean; rev?: number }
      if (response.status !== 200 || !body.ok) return false
      acknowledged.set(`${vendor.id}:${question.id}`, { value, rev: body.rev! })
      return true
    }
    const collection = AssessmentModel.collection
    const viaDriver: SaveFn = async (vendor) => {
      const { question, baseRev, value } = planned(vendor)
      const at = `answers.${question.id}`
      for (let attempt = 0; attempt < 8; attempt++) {
        const now = new Date()
        const set = { [`${at}.value`]: value, [`${at}.comment`]: null, [`${at}.rev`]: baseRev + 1, [`${at}.updatedAt`]: now, [`${at}.updatedBy`]: 'Contact', status: 'in_progress', lastActivityAt: now, 'progress.answered': 1, 'progress.required': 1, 'progress.percent': 100 }
        const updated = await collection.updateOne({ _id: vendor.id, version: vendor.version }, { $set: set, $inc: { version: 1 } })
        if (updated.matchedCount === 1) {
          vendor.version++
          return true
        }
        vendor.version = ((await collection.findOne({ _id: vendor.id }, { projection: { version: 1 } })) as { version: number } | null)?.version ?? 0
      }
      return false
    }

    // Warm-up: a few saves per vendor on each path (JIT, connection pools, the app's link map).
    for (let round = 0; round < 2; round++) {
      await Promise.all([...appVendors, appAlone!].map(viaApp))
      await Promise.all([...driverVendors, driverAlone!].map(viaDriver))
    }

    const closed = PARTS.has('closed') ? { app: await closedLoop(appVendors, SAVES, viaApp), driver: await closedLoop(driverVendors, SAVES, viaDriver) } : { app: none, driver: none }
    const open = PARTS.has('open') ? { app: await openLoop(appVendors, 1, OPEN_SECONDS, 12, viaApp), driver: await openLoop(driverVendors, 1, OPEN_SECONDS, 12, viaDriver) } : { app: none, driver: none }
    const steps: Run['steps'] = []
    let highestRate = open.app.p99 <= P99_GOAL_MS && open.app.failed === 0 ? 1 : 0
    if (highestRate && PARTS.has('steps')) {
      for (const rate of STEPS) {
        const result = await openLoop(appVendors, rate, STEP_SECONDS, 100 + rate, viaApp)
        steps.push({ rate, app: result })
        if (result.p99 > P99_GOAL_MS || result.failed > 0) break
        highestRate = rate
      }
    }
    const single = PARTS.has('single') ? { app: await closedLoop([appAlone!], SINGLE_SAVES, viaApp), driver: await closedLoop([driverAlone!], SINGLE_SAVES, viaDriver) } : { app: none, driver: none }

    // Zero lost updates: every answer the app acknowledged is in the database, at that revision.
    const stored = await AssessmentModel.find({ _id: { $in: [...appVendors, appAlone!].map((vendor) => vendor.id) } }, { answers: 1, progress: 1 }).lean()
    let lost = 0
    let progressWrong = 0
    const byId = new Map(stored.map((doc) => [doc._id.toString(), doc]))
    for (const [key, expected] of acknowledged) {
      const [id, questionId] = key.split(':') as [string, string]
      const answer = (byId.get(id)?.answers as Record<string, { value: unknown; rev: number }> | undefined)?.[questionId]
      if (!answer || answer.value !== expected.value || answer.rev !== expected.rev) lost++
    }
    for (const doc of stored) {
      const expected = progressOf([baseline], doc.answers as never)
      if (doc.progress?.answered !== expected.answered) progressWrong++
    }
    return { durability, closed, open, steps, highestRate, single, acknowledged: acknowledged.size, lost, progressWrong }
  } finally {
    await app?.stop()
    await mongoose.disconnect()
    await mongo.stop()
    rmSync(dir, { recursive: true, force: true })
  }
}

async function main() {
  if (!existsSync(path.join(buildDir, 'server', 'index.js'))) {
    console.error(`The app is not built in ${path.relative(process.cwd(), buildDir)}/: run \`npm run build\` first (or set CLAUSEWISE_BUILD_DIR).`)
    process.exit(1)
  }
  const library = loadLibrary()
  const baseline = library.latest.find((q) => q.kind === 'baseline')!
  const questions = benchQuestions(baseline.sections.flatMap((section) => section.questions))
  const runs: Run[] = []
  for (const durability of DURABILITIES) runs.push(await runAt(durability, questions, baseline))

  const col = (text: string) => text.padStart(13)
  const row = (label: string, cell: (run: Run) => string[]) => console.log(label.padEnd(40) + runs.flatMap(cell).map(col).join(''))
  console.log(`autosave benchmark: ${VENDORS} vendors, ${questions.length} questions cycled, mongo-java-server on a file (H2), app over HTTP beside the driver`)
  console.log('')
  console.log(''.padEnd(40) + runs.map((run) => `durability: ${run.durability}`.padStart(39)).join(''))
  row('', () => ['app', 'driver', 'app/driver'])
  const trio = (a: Stats, d: Stats, pick: (s: Stats) => number, digits = 1) => [fmt(pick(a), digits), fmt(pick(d), digits), `×${fmt(pick(a) / pick(d), 2)}`]
  console.log(`closed loop, ${VENDORS} vendors × ${SAVES} saves back to back`)
  row('  median ms', (run) => trio(run.closed.app, run.closed.driver, (s) => s.median))
  row('  p99 ms', (run) => trio(run.closed.app, run.closed.driver, (s) => s.p99))
  row('  saves/s (goal app/driver ≥ 0.6)', (run) => trio(run.closed.app, run.closed.driver, (s) => s.perSecond, 0))
  console.log(`open loop, ${VENDORS} vendors × 1 save/s at random offsets, ${OPEN_SECONDS} s`)
  row('  median ms', (run) => trio(run.open.app, run.open.driver, (s) => s.median))
  row('  p99 ms (goal app ≤ 100)', (run) => trio(run.open.app, run.open.driver, (s) => s.p99))
  const allRates = [...new Set(runs.flatMap((run) => run.steps.map((step) => step.rate)))].sort((a, b) => a - b)
  for (const rate of allRates) {
    row(`  ×${rate} (${rate * VENDORS} saves/s planned): app p99 ms`, (run) => {
      const step = run.steps.find((s) => s.rate === rate)
      return [step ? fmt(step.app.p99) : '', step ? `${fmt(step.app.perSecond, 0)}/s` : '', step?.app.failed ? `${step.app.failed} failed` : '']
    })
  }
  row('  highest rate with app p99 ≤ 100 ms', (run) => [`×${run.highestRate}`, `${run.highestRate * VENDORS}/s`, ''])
  console.log(`one vendor alone, ${SINGLE_SAVES} saves back to back`)
  row('  median ms (goal app/driver ≤ 3)', (run) => trio(run.single.app, run.single.driver, (s) => s.median, 2))
  row('  p99 ms', (run) => trio(run.single.app, run.single.driver, (s) => s.p99, 2))
  console.log('')
  row('acknowledged answers (distinct)', (run) => [String(run.acknowledged), '', ''])
  row('refused saves (app)', (run) => [String(run.closed.app.failed + run.open.app.failed + run.single.app.failed + run.steps.reduce((n, s) => n + s.app.failed, 0)), '', ''])
  row('lost updates', (run) => [String(run.lost), '', ''])
  row('stored progress out of date', (run) => [String(run.progressWrong), '', ''])
  if (runs.some((run) => run.lost > 0 || run.closed.app.failed > 0 || run.open.app.failed > 0 || run.single.app.failed > 0)) process.exitCode = 1
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
