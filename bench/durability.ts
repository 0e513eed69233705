// Benchmark: what durable acknowledgement costs on the embedded database, per durability level.
//
//   npm run bench:durability
//
// For each level (none, commit, fsync) on a fresh H2 file: one writer alone (sequential updates,
// median and p99 latency) and 50 writers at once (group commit: throughput and latency), then a
// crash check: 8 writers, kill -9 of the database process mid-stream, restart on the same file,
// count the acknowledged writes that are missing.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { MongoClient } from 'mongodb'
import { startEmbeddedMongo, type EmbeddedDurability } from '../scripts/embedded-db/launch'

const SOLO = Number(process.env.BENCH_SOLO ?? 300)
const WRITERS = Number(process.env.BENCH_WRITERS ?? 50)
const EACH = Number(process.env.BENCH_EACH ?? 40)
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

async function main() {
  const dir = mkdtempSync(path.join(tmpdir(), 'clausewise-durability-'))
  try {
    console.log(`durability benchmark: mongo-java-server + H2 file in ${dir}`)
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
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
