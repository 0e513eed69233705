// Benchmark: what durable acknowledgement costs on the embedded database, per durability level.
//
//   npm run bench:durability          (build first for the app part: npm run build)
//
// For each level (none, commit, fsync) on a fresh H2 file: one writer alone (sequential updates,
// median and p99 latency) and 50 writers at once (group commit: throughput and latency), then a
// crash check: 8 writers, kill -9 of the database process mid-stream, restart on the same file,
// count the acknowledged writes that are missing. Then, if the app is built, autosave over HTTP
// through the real app (server.ts on its own embedded file at that level): BENCH_APP_VENDORS
// vendors × BENCH_APP_SAVES saves each, one after the other per vendor.
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { MongoClient } from 'mongodb'
import mongoose from 'mongoose'
import { startEmbeddedMongo, type EmbeddedDurability } from '../scripts/embedded-db/launch'
import { AssessmentModel } from '~models/assessment'
import { loadLibrary } from '~/modules/library/library.server'
import { newAccessToken } from '~/modules/assessments/tokens.server'

const SOLO = Number(process.env.BENCH_SOLO ?? 300)
const WRITERS = Number(process.env.BENCH_WRITERS ?? 50)
const EACH = Number(process.env.BENCH_EACH ?? 40)
const APP_VENDORS = Number(process.env.BENCH_APP_VENDORS ?? 50)
const APP_SAVES = Number(process.env.BENCH_APP_SAVES ?? 10)
const buildDir = path.resolve(process.env.CLAUSEWISE_BUILD_DIR ?? 'build')
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!
const fmt = (n: number) => n.toFixed(2)

async function measure(durability: EmbeddedDurability, dir: string) {
  const file = path.join(dir, `${durability}.mv`)
  const db = await startEmbeddedMongo({ file, durability })
  const client = await MongoClient.connect(db.uri)
  const docs = client.db('bench').collection<{ _id: number; n: number }>('docs')
  await docs.insertMany(Array.from({ length: WRITERS }, (_, i) => ({ _id: i, n: 0 })))
  const solo: number[] = []
  for (let i = 0; i < SOLO; i++) {
    const started = performance.now()
    await docs.updateOne({ _id: 0 }, { $inc: { n: 1 } })
    solo.push(performance.now() - started)
  }
  const concurrent: number[] = []
  const started = performance.now()
  await Promise.all(
    Array.from({ length: WRITERS }, async (_, writer) => {
      for (let i = 0; i < EACH; i++) {
        const t = performance.now()
        await docs.updateOne({ _id: writer }, { $inc: { n: 1 } })
        concurrent.push(performance.now() - t)
      }
    }),
  )
  const seconds = (performance.now() - started) / 1000
  await client.close()
  await db.stop()
  solo.sort((a, b) => a - b)
  concurrent.sort((a, b) => a - b)
  return { solo, concurrent, rate: (WRITERS * EACH) / seconds }
}

async function crash(durability: EmbeddedDurability, dir: string) {
  const file = path.join(dir, `${durability}-crash.mv`)
  const db = await startEmbeddedMongo({ file, durability })
  const client = await MongoClient.connect(db.uri, { serverSelectionTimeoutMS: 1000 })
  const docs = client.db('bench').collection<{ _id: number; n: number }>('docs')
  await docs.insertMany(Array.from({ length: 8 }, (_, i) => ({ _id: i, n: 0 })))
  const acknowledged = new Array<number>(8).fill(0)
  let running = true
  const writers = Array.from({ length: 8 }, async (_, writer) => {
    while (running) {
      try {
        await docs.updateOne({ _id: writer }, { $set: { n: acknowledged[writer]! + 1 } })
        acknowledged[writer]!++
      } catch {
        return
      }
    }
  })
  await new Promise((resolve) => setTimeout(resolve, 700))
  process.kill(db.pid, 'SIGKILL')
  running = false
  await Promise.all(writers)
  await db.exited
  await client.close(true)
  const again = await startEmbeddedMongo({ file, durability })
  const reader = await MongoClient.connect(again.uri)
  const stored = await reader.db('bench').collection<{ _id: number; n: number }>('docs').find().toArray()
  let lost = 0
  for (const doc of stored) lost += Math.max(0, acknowledged[doc._id]! - doc.n)
  lost += 8 - stored.length > 0 ? acknowledged.slice(stored.length).reduce((a, b) => a + b, 0) : 0
  await reader.close()
  await again.stop()
  return { acknowledged: acknowledged.reduce((a, b) => a + b, 0), lost }
}

/** Autosave through the app on a file-backed embedded database at this level. */
async function appAutosave(durability: EmbeddedDurability, dir: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server.ts'], {
    env: { ...process.env, MONGODB_URI: '', NODE_ENV: 'production', PORT: '0', HOST: '127.0.0.1', CLAUSEWISE_DATA_DIR: path.join(dir, `app-${durability}`), CLAUSEWISE_DB_DURABILITY: durability, DEMO_DATA: 'never', SESSION_SECRET: 'bench-secret-bench-secret-bench-secret-0', CLAUSEWISE_BUILD_DIR: buildDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout.on('data', (chunk) => (output += String(chunk)))
  child.stderr.on('data', (chunk) => (output += String(chunk)))
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`app did not start:\n${output}`)), 90_000)
      child.stdout.on('data', () => /ready on/.test(output) && (clearTimeout(timer), resolve()))
      child.once('exit', (code) => reject(new Error(`app exited with ${code}:\n${output}`)))
    })
    const base = /ready on (http:\/\/\S+)/.exec(output)![1]!.replace('localhost', '127.0.0.1')
    const dbUri = /on (mongodb:\/\/\S+) in \d+ ms/.exec(output)![1]!
    const baseline = loadLibrary().latest.find((q) => q.kind === 'baseline')!
    const questions = baseline.sections.flatMap((section) => section.questions).filter((q) => !q.showWhen && ['short_text', 'long_text'].includes(q.kind))
    await mongoose.connect(`${dbUri}/clausewise`)
    await AssessmentModel.init()
    const links = Array.from({ length: APP_VENDORS }, (_, i) => {
      const { token, tokenHash } = newAccessToken()
      const doc = {
        _id: new mongoose.Types.ObjectId(),
        vendorId: new mongoose.Types.ObjectId(),
        status: 'invited',
        vendorSnapshot: { vendorId: '', legalName: { en: `vendor ${i}` }, category: 'other', dataProfile: { piCategories: [] } },
        questionnaires: [{ id: baseline.id, version: baseline.version }],
        contract: { clauses: [] },
        dueAt: new Date(Date.now() + 30 * 86_400_000),
        invitations: [{ _id: new mongoose.Types.ObjectId(), name: `Contact ${i}`, email: `contact${i}@bench.test`, locale: 'en', tokenHash, expiresAt: new Date(Date.now() + 44 * 86_400_000) }],
        answers: {},
        progress: { answered: 0, required: 0, percent: 0 },
        version: 0,
        createdAt: new Date(),
        updatedAt: new Date(),
      }
      return { doc, token }
    })
    await AssessmentModel.collection.insertMany(links.map((link) => link.doc))
    await mongoose.disconnect()
    // Warm-up: one save per vendor on a question the measured run does not use.
    const warm = questions.at(-1)!
    await Promise.all(links.map((link) => fetch(`${base}/v/${link.token}/save`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ questionId: warm.id, baseRev: 0, value: 'warm', comment: null }) }).then((r) => r.arrayBuffer())))
    const latencies: number[] = []
    let refused = 0
    const started = performance.now()
    await Promise.all(
      links.map(async (link, vendor) => {
        const revs = new Map<string, number>()
        for (let save = 0; save < APP_SAVES; save++) {
          const question = questions[(vendor + save) % (questions.length - 1)]!
          const t = performance.now()
          const response = await fetch(`${base}/v/${link.token}/save`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ questionId: question.id, baseRev: revs.get(question.id) ?? 0, value: `vendor ${vendor} save ${save}`, comment: null }) })
          const body = (await response.json()) as { ok?: boolean; rev?: number }
          latencies.push(performance.now() - t)
          if (response.status === 200 && body.ok) revs.set(question.id, body.rev!)
          else refused++
        }
      }),
    )
    const seconds = (performance.now() - started) / 1000
    latencies.sort((a, b) => a - b)
    return { median: percentile(latencies, 50), p99: percentile(latencies, 99), rate: (APP_VENDORS * APP_SAVES) / seconds, refused }
  } finally {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGTERM')
      await exited
    }
  }
}

async function main() {
  const dir = mkdtempSync(path.join(tmpdir(), 'clausewise-durability-'))
  try {
    console.log(`durability benchmark: mongo-java-server + H2 file in ${dir} (load average now ${loadavg().map((n) => n.toFixed(1)).join(', ')})`)
    console.log(`one writer × ${SOLO} updates; ${WRITERS} writers × ${EACH} updates; crash: 8 writers, kill -9 after 0.7 s`)
    console.log('')
    console.log('level    solo median ms  solo p99 ms  50-way median ms  50-way p99 ms  50-way writes/s  crash: acknowledged  lost')
    for (const level of ['none', 'commit', 'fsync'] as const) {
      const m = await measure(level, dir)
      const c = await crash(level, dir)
      console.log(
        `${level.padEnd(8)} ${fmt(percentile(m.solo, 50)).padStart(14)} ${fmt(percentile(m.solo, 99)).padStart(12)} ${fmt(percentile(m.concurrent, 50)).padStart(17)} ${fmt(percentile(m.concurrent, 99)).padStart(14)} ${m.rate.toFixed(0).padStart(16)} ${String(c.acknowledged).padStart(20)} ${String(c.lost).padStart(5)}`,
      )
    }
    if (existsSync(path.join(buildDir, 'server', 'index.js'))) {
      console.log('')
      console.log(`autosave through the app over HTTP: ${APP_VENDORS} vendors × ${APP_SAVES} saves, one after the other per vendor`)
      console.log('level    median ms   p99 ms   saves/s  refused')
      for (const level of ['none', 'commit', 'fsync'] as const) {
        const a = await appAutosave(level, dir)
        console.log(`${level.padEnd(8)} ${fmt(a.median).padStart(9)} ${fmt(a.p99).padStart(8)} ${a.rate.toFixed(0).padStart(9)} ${String(a.refused).padStart(8)}`)
      }
    } else {
      console.log(`(app not built in ${path.relative(process.cwd(), buildDir)}/: autosave through the app skipped)`)
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
