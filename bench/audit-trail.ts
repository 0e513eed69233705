// Benchmark: the audit trail with 100,000 events. Goal: every page ≤ 250 ms median ("well under a
// second"), including the deep pages and the filters.
//
//   npm run bench:audit          (BENCH_EVENTS=100000 BENCH_RUNS=15)
//
// Runs on the embedded in-memory mongo-java-server, as the tests do, through auditPage() — the
// function the /admin/audit loader calls. Compares keyset paging on _id (what the page does) with
// skip/limit paging and a countDocuments (the shape it avoids) at the same depth.
import { performance } from 'node:perf_hooks'
import mongoose, { Types } from 'mongoose'
import { startEmbeddedMongo } from '../scripts/embedded-db/launch'

const EVENTS = Number(process.env.BENCH_EVENTS ?? 100_000)
const RUNS = Number(process.env.BENCH_RUNS ?? 15)
const GOAL_MS = 250

const mongo = await startEmbeddedMongo()
process.env.MONGODB_URI = `${mongo.uri}/bench_audit_trail`
process.env.SESSION_SECRET ??= 'bench-secret-bench-secret-bench-secret-0'
const { connectDb, disconnectDb } = await import('../app/db.server')
const { AuditEventModel } = await import('../models/audit-event')
const { auditPage } = await import('../app/modules/audit/audit.server')
await connectDb()
await AuditEventModel.createIndexes()

const ACTIONS = ['auth.sign-in', 'auth.sign-in-failed', 'vendor.update', 'contract.update', 'assessment.submit', 'finding.update', 'report.download', 'settings.review.update']
const start = Date.now() / 1000 - EVENTS * 60 // one event a minute, ending now
const t0 = performance.now()
for (let i = 0; i < EVENTS; i += 5000) {
  const batch = Array.from({ length: Math.min(5000, EVENTS - i) }, (_, j) => {
    const n = i + j
    return {
      _id: Types.ObjectId.createFromTime(Math.floor(start + n * 60)),
      actor: { kind: 'user', id: `u${n % 40}`, label: `user${n % 40}@bank.example` },
      action: ACTIONS[n % ACTIONS.length],
      subject: { kind: 'vendor', id: `v${n % 2000}` },
      details: { field: 'name', from: `old ${n}`, to: `new ${n}` },
      clientAddress: `10.0.${n % 250}.${n % 200}`,
      createdAt: new Date((start + n * 60) * 1000),
    }
  })
  // Distinct _ids from createFromTime share the other 8 bytes; make them unique.
  for (const [j, event] of batch.entries()) event._id = new Types.ObjectId(event._id.toHexString().slice(0, 8) + (i + j).toString(16).padStart(16, '0'))
  await AuditEventModel.collection.insertMany(batch)
}
console.log(`inserted ${EVENTS} events in ${((performance.now() - t0) / 1000).toFixed(1)} s`)

const TZ = 'Asia/Shanghai'
async function time(label: string, run: () => Promise<unknown>) {
  const samples: number[] = []
  for (let i = 0; i < 3; i++) await run()
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now()
    await run()
    samples.push(performance.now() - t)
  }
  samples.sort((a, b) => a - b)
  const median = samples[Math.floor(samples.length / 2)]!
  console.log(`${label.padEnd(46)} median ${median.toFixed(1).padStart(7)} ms   p95 ${samples[Math.floor(samples.length * 0.95)]!.toFixed(1).padStart(7)} ms  ${median <= GOAL_MS ? 'ok' : 'OVER GOAL'}`)
  return median
}

// A cursor about 1,000 pages deep (50,000 events back).
const deep = new Types.ObjectId(Types.ObjectId.createFromTime(Math.floor(start + (EVENTS / 2) * 60)).toHexString().slice(0, 8) + 'f'.repeat(16)).toHexString()
const day = new Date((start + EVENTS * 30) * 1000).toISOString().slice(0, 10)

const keysetFirst = await time('first page (keyset)', () => auditPage({}, TZ))
const keysetDeep = await time('page 1,000 (keyset, before=cursor)', () => auditPage({ before: deep }, TZ))
await time('actor filter', () => auditPage({ actor: 'user7@bank.example' }, TZ))
await time('kind filter (report)', () => auditPage({ kind: 'report' }, TZ))
await time('object filter (vendor:v42)', () => auditPage({ object: 'vendor:v42' }, TZ))
await time(`one day (${day})`, () => auditPage({ from: day, to: day }, TZ))
await time('actor + kind + date range', () => auditPage({ actor: 'user7@bank.example', kind: 'auth', from: day }, TZ))
const skipDeep = await time('page 1,000 (skip/limit + count, avoided)', () =>
  Promise.all([AuditEventModel.find({}).sort({ _id: -1 }).skip(50_000).limit(51).lean(), AuditEventModel.countDocuments({})]),
)
console.log(`\nkeyset first page ${keysetFirst.toFixed(1)} ms, page 1,000 ${keysetDeep.toFixed(1)} ms; skip/limit at page 1,000 ${skipDeep.toFixed(1)} ms (${(skipDeep / keysetDeep).toFixed(1)}× the keyset page)`)
await disconnectDb()
await mongoose.disconnect().catch(() => undefined)
await mongo.stop()
