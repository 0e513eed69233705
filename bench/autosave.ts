// Benchmark: 200 vendors autosaving at once against the running app, beside the same conditional
// updates issued straight through the MongoDB driver.
//
//   npm run bench:autosave            (build first: npm run build, or set CLAUSEWISE_BUILD_DIR)
//
// Each simulated vendor has its own assessment and link, and makes BENCH_SAVES saves one after the
// other (as one browser tab does: one save in flight per answer), cycling through the questions.
// Prints median and p99 latency and saves per second for both paths, the ratio between them, and
// checks that every acknowledged answer is in the database at the end (zero lost updates).
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createServer } from 'node:net'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import mongoose from 'mongoose'
import { startEmbeddedMongo } from '../scripts/embedded-db/launch'
import { AssessmentModel } from '~models/assessment'
import type { Question } from '~/modules/library/content-schema'
import { loadLibrary } from '~/modules/library/library.server'
import { newAccessToken } from '~/modules/assessments/tokens.server'
import { progressOf } from '~/modules/assessments/questions'

const VENDORS = Number(process.env.BENCH_VENDORS ?? 200)
const SAVES = Number(process.env.BENCH_SAVES ?? 20)
const buildDir = path.resolve(process.env.CLAUSEWISE_BUILD_DIR ?? 'build')

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!
const fmt = (n: number, digits = 1) => n.toFixed(digits)

/** Questions whose answers are easy to vary: text, numbers and single choices. */
function benchQuestions(questions: Question[]) {
  return questions.filter((q) => !q.showWhen && ['short_text', 'long_text', 'number', 'yes_no_na', 'single_choice'].includes(q.kind)).slice(0, 20)
}

function valueFor(question: Question, vendor: number, save: number): string | number {
  if (question.kind === 'number') return (question.min ?? 0) + ((vendor * 7 + save) % 5)
  if (question.kind === 'yes_no_na' || question.kind === 'single_choice') return question.options![(vendor + save) % question.options!.length]!.id
  return `vendor ${vendor} save ${save}`
}

async function main() {
  if (!existsSync(path.join(buildDir, 'server', 'index.js'))) {
    console.error(`The app is not built in ${path.relative(process.cwd(), buildDir)}/: run \`npm run build\` first (or set CLAUSEWISE_BUILD_DIR).`)
    process.exit(1)
  }
  const library = loadLibrary()
  const baseline = library.latest.find((q) => q.kind === 'baseline')!
  const questions = benchQuestions(baseline.sections.flatMap((section) => section.questions))
  const mongo = await startEmbeddedMongo()
  const uri = `${mongo.uri}/clausewise_bench`
  await mongoose.connect(uri)
  await AssessmentModel.init() // indexes first: the embedded server dislikes inserts racing an index build
  let app: ChildProcess | undefined
  try {
    // One assessment and one link per simulated vendor, for each of the two runs.
    const seed = async (run: string) => {
      const links: { id: mongoose.Types.ObjectId; token: string }[] = []
      const docs = Array.from({ length: VENDORS }, (_, i) => {
        const { token, tokenHash } = newAccessToken()
        const id = new mongoose.Types.ObjectId()
        links.push({ id, token })
        return {
          _id: id,
          vendorId: new mongoose.Types.ObjectId(),
          status: 'invited',
          vendorSnapshot: { vendorId: '', legalName: { en: `${run} vendor ${i}` }, category: 'other', dataProfile: { piCategories: [] } },
          questionnaires: [{ id: baseline.id, version: baseline.version }],
          contract: { clauses: [] },
          dueAt: new Date(Date.now() + 30 * 86_400_000),
          invitations: [{ name: `Contact ${i}`, email: `contact${i}@${run}.test`, locale: 'en', tokenHash, expiresAt: new Date(Date.now() + 44 * 86_400_000) }],
          answers: {},
        }
      })
      await AssessmentModel.collection.insertMany(docs.map((doc) => ({ ...doc, invitations: doc.invitations.map((invitation) => ({ _id: new mongoose.Types.ObjectId(), ...invitation })), progress: { answered: 0, required: 0, percent: 0 }, version: 0, createdAt: new Date(), updatedAt: new Date() })))
      return links
    }
    const appLinks = await seed('app')
    const driverLinks = await seed('driver')

    const port = await freePort()
    // BENCH_NODE_ARGS passes extra flags to the app's Node, e.g. "--cpu-prof" to see where its time goes.
    const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean)
    app = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'server.ts'], {
      env: { ...process.env, NODE_ENV: 'production', PORT: String(port), HOST: '127.0.0.1', MONGODB_URI: uri, SESSION_SECRET: 'bench-secret-bench-secret-bench-secret-0', DEMO_DATA: 'never', CLAUSEWISE_BUILD_DIR: buildDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    app.stdout!.on('data', (chunk) => (output += String(chunk)))
    app.stderr!.on('data', (chunk) => (output += String(chunk)))
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`app did not start:\n${output}`)), 60_000)
      app!.stdout!.on('data', () => /ready on/.test(output) && (clearTimeout(timer), resolve()))
      app!.once('exit', (code) => reject(new Error(`app exited with ${code}:\n${output}`)))
    })
    const base = `http://127.0.0.1:${port}`

    // Warm-up: one save per vendor on a question the measured run does not use.
    const warm = baseline.sections.flatMap((s) => s.questions).find((q) => q.kind === 'long_text' && !questions.includes(q))
    if (warm) {
      await Promise.all(appLinks.map((link) => fetch(`${base}/v/${link.token}/save`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ questionId: warm.id, baseRev: 0, value: 'warm', comment: null }) }).then((r) => r.arrayBuffer())))
    }

    // Over HTTP, through the app: each vendor's saves in sequence, all vendors at once.
    const acknowledged = new Map<string, { value: unknown; rev: number }>() // `${assessment}:${question}`
    const httpLatencies: number[] = []
    let failures = 0
    const httpStarted = performance.now()
    await Promise.all(
      appLinks.map(async (link, vendor) => {
        const revs = new Map<string, number>()
        for (let save = 0; save < SAVES; save++) {
          const question = questions[save % questions.length]!
          const value = valueFor(question, vendor, save)
          const baseRev = revs.get(question.id) ?? 0
          const started = performance.now()
          const response = await fetch(`${base}/v/${link.token}/save`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ questionId: question.id, baseRev, value, comment: null }) })
          const body = (await response.json()) as { ok?: boolean; rev?: number }
          httpLatencies.push(performance.now() - started)
          if (response.status === 200 && body.ok) {
            revs.set(question.id, body.rev!)
            acknowledged.set(`${link.id}:${question.id}`, { value, rev: body.rev! })
          } else failures++
        }
      }),
    )
    const httpSeconds = (performance.now() - httpStarted) / 1000

    // Straight through the driver: the same conditional single-document update per save.
    const collection = AssessmentModel.collection
    const driverLatencies: number[] = []
    const driverStarted = performance.now()
    await Promise.all(
      driverLinks.map(async (link, vendor) => {
        const revs = new Map<string, number>()
        for (let save = 0; save < SAVES; save++) {
          const question = questions[save % questions.length]!
          const value = valueFor(question, vendor, save)
          const baseRev = revs.get(question.id) ?? 0
          const path = `answers.${question.id}`
          const started = performance.now()
          const after = await collection.findOneAndUpdate(
            { _id: link.id, ...(baseRev === 0 ? { [path]: { $exists: false } } : { [`${path}.rev`]: baseRev }) },
            { $set: { [`${path}.value`]: value, [`${path}.comment`]: null, [`${path}.rev`]: baseRev + 1, [`${path}.updatedAt`]: new Date(), status: 'in_progress' }, $inc: { version: 1 } },
            { returnDocument: 'after', projection: { version: 1 } },
          )
          driverLatencies.push(performance.now() - started)
          if (after) revs.set(question.id, baseRev + 1)
        }
      }),
    )
    const driverSeconds = (performance.now() - driverStarted) / 1000

    // Zero lost updates: every answer the app acknowledged is in the database, at that revision.
    const stored = await AssessmentModel.find({ _id: { $in: appLinks.map((link) => link.id) } }, { answers: 1, progress: 1 }).lean()
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

    httpLatencies.sort((a, b) => a - b)
    driverLatencies.sort((a, b) => a - b)
    const total = VENDORS * SAVES
    const httpMedian = percentile(httpLatencies, 50)
    const driverMedian = percentile(driverLatencies, 50)
    console.log(`autosave benchmark: ${VENDORS} concurrent vendors × ${SAVES} saves = ${total} saves each way (mongo-java-server in memory, ${questions.length} questions cycled)`)
    console.log('')
    console.log('path                 median ms   p99 ms   saves/s')
    console.log(`app over HTTP       ${fmt(httpMedian).padStart(9)} ${fmt(percentile(httpLatencies, 99)).padStart(8)} ${fmt(total / httpSeconds, 0).padStart(9)}`)
    console.log(`driver, direct      ${fmt(driverMedian).padStart(9)} ${fmt(percentile(driverLatencies, 99)).padStart(8)} ${fmt(total / driverSeconds, 0).padStart(9)}`)
    console.log('')
    console.log(`app / driver: median latency ×${fmt(httpMedian / driverMedian, 2)}, throughput ×${fmt(total / httpSeconds / (total / driverSeconds), 2)}`)
    console.log(`acknowledged answers: ${acknowledged.size} distinct (${total - failures} saves acknowledged, ${failures} refused)`)
    console.log(`lost updates: ${lost}   stored progress out of date: ${progressWrong}`)
    if (lost > 0 || failures > 0) process.exitCode = 1
  } finally {
    if (app && app.exitCode === null) {
      const exited = new Promise((resolve) => app!.once('exit', resolve))
      app.kill('SIGTERM')
      await exited
    }
    await mongoose.disconnect()
    await mongo.stop()
  }
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
