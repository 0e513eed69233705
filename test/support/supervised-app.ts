// The built app with its own supervised, file-backed embedded database, started as a real process,
// and vendors autosaving over HTTP who remember what they were told: shared by the crash and hang
// tests of the embedded database (test/e2e/embedded-db-*.test.ts).
import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { MongoClient, ObjectId } from 'mongodb'
import { expect } from 'vitest'
import { FIXTURE_LIBRARY } from '../integration/assessments-helpers'

export const TEXT_QUESTIONS = ['GOV-02', 'SEC-03'] // shown once GOV-01 = no and SEC-01 = all

export function mulberry32(seed: number) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
export const alive = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

export interface App {
  child: ChildProcess
  url: string
  dbUri: string
  logs: () => string
  /** Resolves when a log line matching `pattern` appears after the first `from` characters. */
  waitForLog: (pattern: RegExp, from: number, timeoutMs?: number) => Promise<void>
}

/** The built app on its own data folder (server.ts, no MONGODB_URI); `env` adds to or overrides its environment. */
export async function startOwnApp(dataDir: string, env: Record<string, string>): Promise<App> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server.ts'], {
    env: {
      ...process.env,
      MONGODB_URI: '',
      NODE_ENV: 'production',
      PORT: '0',
      HOST: '127.0.0.1',
      CLAUSEWISE_DATA_DIR: dataDir,
      CLAUSEWISE_QUESTIONNAIRES_DIR: FIXTURE_LIBRARY,
      SESSION_SECRET: 'crash-secret-crash-secret-crash-secret-0',
      DEMO_DATA: 'never',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const onChunk = (chunk: Buffer) => {
    output += String(chunk)
  }
  child.stdout!.on('data', onChunk)
  child.stderr!.on('data', onChunk)
  const waitForLog = (pattern: RegExp, from: number, timeoutMs = 20_000) =>
    new Promise<void>((resolve, reject) => {
      const started = Date.now()
      const check = () => {
        if (pattern.test(output.slice(from))) return resolve()
        if (Date.now() - started > timeoutMs) return reject(new Error(`no ${pattern} in the app's log:\n${output}`))
        setTimeout(check, 25)
      }
      check()
    })
  const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`app exited with ${code}:\n${output}`))))
  await Promise.race([waitForLog(/ready on http/, 0, 60_000), exited])
  exited.catch(() => undefined)
  const url = /ready on (http:\/\/\S+)/.exec(output)![1]!.replace('localhost', '127.0.0.1')
  const dbUri = /on (mongodb:\/\/\S+) in \d+ ms/.exec(output)![1]!
  return { child, url, dbUri, logs: () => output, waitForLog }
}

/** Java processes serving a file in this test's data folder (none must outlive the app). */
export function databaseProcesses(dataDir: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8')
        return cmdline.includes('EmbeddedMongo') && cmdline.includes(dataDir)
      } catch {
        return false
      }
    })
    .map(Number)
}

export const dbPid = (dataDir: string) => Number(readFileSync(path.join(dataDir, 'embedded-db.pid'), 'utf8'))

/** What one vendor knows about one answer: the last acknowledged revision, plus saves that failed (one of them may have landed). */
interface Known {
  rev: number
  value: string | null
  pending: string[]
}

/**
 * How a vendor judges a refusal: by default a 503 with Retry-After within 5 s (a request caught by a
 * crash) and a refused connection (the app itself is down) are fine; `refusedWithinMs` and
 * `appAlwaysUp` make it stricter (a hung database: the app stays up and must answer in time).
 */
export interface Patience {
  refusedWithinMs?: number
  appAlwaysUp?: boolean
}

export class Vendor {
  known = new Map<string, Known>(TEXT_QUESTIONS.map((q) => [q, { rev: 0, value: null, pending: [] }]))
  acknowledged = 0
  failed = 0
  /** Every save's status (0: no answer), when it was sent and when it ended (performance.now()). */
  replies: { status: number; sentAt: number; at: number }[] = []
  landedUnacknowledged = 0
  falseConflicts: string[] = []
  badFailures: string[] = []
  private counter = 0
  constructor(
    readonly index: number,
    readonly assessmentId: string,
    readonly token: string,
    private readonly patience: Patience = {},
  ) {}

  async save(base: string, questionId: string): Promise<number> {
    const known = this.known.get(questionId)!
    const value = `vendor ${this.index} ${questionId} #${++this.counter}`
    const started = performance.now()
    let status = 0
    let body: { ok?: boolean; rev?: number; conflict?: { theirs: { value: unknown; rev: number } } } = {}
    try {
      const response = await fetch(`${base}/v/${this.token}/save`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ questionId, baseRev: known.rev, value, comment: null }), signal: AbortSignal.timeout(15_000) })
      status = response.status
      body = (await response.json().catch(() => ({}))) as typeof body
      if (status === 503) expect(response.headers.get('retry-after')).toBe('5')
    } catch {
      status = 0 // connection refused or reset (the app is down), or no answer within 15 s
    }
    const elapsed = performance.now() - started
    this.replies.push({ status, sentAt: started, at: started + elapsed })
    if (status === 200 && body.ok) {
      Object.assign(known, { rev: body.rev!, value, pending: [] })
      this.acknowledged++
    } else if (status === 409 && body.conflict) {
      const theirs = body.conflict.theirs
      // Allowed only when "theirs" is this vendor's own save whose reply was lost in the crash.
      if (theirs.rev === known.rev + 1 && known.pending.includes(theirs.value as string)) {
        Object.assign(known, { rev: theirs.rev, value: theirs.value, pending: [] })
        this.landedUnacknowledged++
      } else {
        this.falseConflicts.push(`vendor ${this.index} ${questionId}: knew rev ${known.rev} ${JSON.stringify(known.value)}, got 409 with rev ${theirs.rev} ${JSON.stringify(theirs.value)}`)
        Object.assign(known, { rev: theirs.rev, value: theirs.value, pending: [] })
      }
    } else {
      known.pending.push(value)
      this.failed++
      // A refusal is a 503 with Retry-After, fast (the gate), or within 5 s for a request caught mid-flight.
      const { refusedWithinMs = 5000, appAlwaysUp = false } = this.patience
      if ((status !== 0 || appAlwaysUp) && (elapsed > refusedWithinMs || status !== 503)) this.badFailures.push(`${status} after ${Math.round(elapsed)} ms`)
    }
    return status
  }
}

/** Each vendor saves its answers in turn until `stop.now`, pausing `pause()` ms after a success and 150 ms after a refusal. */
export async function autosaveUntil(base: () => string, vendors: Vendor[], stop: { now: boolean }, pause: () => number) {
  await Promise.all(
    vendors.map(async (vendor) => {
      let turn = vendor.index
      while (!stop.now) {
        const status = await vendor.save(base(), TEXT_QUESTIONS[turn++ % TEXT_QUESTIONS.length]!)
        await sleep(status === 200 ? pause() : 150)
      }
    }),
  )
}

/** Compares the file's contents with what each vendor was told; adopts a failed save that landed. */
export async function checkStored(dbUri: string, vendors: Vendor[]) {
  const client = await MongoClient.connect(dbUri, { serverSelectionTimeoutMS: 10_000 })
  const lost: string[] = []
  try {
    const docs = await client.db('clausewise').collection('assessments').find({ _id: { $in: vendors.map((v) => new ObjectId(v.assessmentId)) } }).toArray()
    for (const vendor of vendors) {
      const doc = docs.find((d) => d._id.toString() === vendor.assessmentId)
      for (const [questionId, known] of vendor.known) {
        const stored = (doc?.answers as Record<string, { rev: number; value: unknown }> | undefined)?.[questionId]
        const rev = stored?.rev ?? 0
        const value = stored?.value ?? null
        if (rev === known.rev && value === known.value) continue
        if (rev === known.rev + 1 && known.pending.includes(value as string)) {
          Object.assign(known, { rev, value, pending: [] }) // a save whose reply was lost, committed: fine
          vendor.landedUnacknowledged++
          continue
        }
        lost.push(`vendor ${vendor.index} ${questionId}: acknowledged rev ${known.rev} ${JSON.stringify(known.value)}, file has rev ${rev} ${JSON.stringify(value)}`)
        Object.assign(known, { rev, value, pending: [] })
      }
      for (const known of vendor.known.values()) known.pending = []
    }
  } finally {
    await client.close()
  }
  return lost
}

/** The next save of every vendor on every answer must succeed: no false 409. */
export async function nextSavesSucceed(base: string, vendors: Vendor[]) {
  const statuses: string[] = []
  for (const vendor of vendors) {
    for (const questionId of TEXT_QUESTIONS) {
      // As the browser's queue does: after a 503 it waits and sends again; a 409 that turned out to
      // be this vendor's own save whose reply the crash swallowed updates the revision (a false
      // conflict is recorded by save() and fails the test separately), then the edit goes again.
      let status = 0
      for (let attempt = 0; attempt < 3 && status !== 200; attempt++) {
        const falseBefore = vendor.falseConflicts.length
        status = await vendor.save(base, questionId)
        if (status === 503) await sleep(1000)
        else if (!(status === 409 && vendor.falseConflicts.length === falseBefore)) break
      }
      if (status !== 200) statuses.push(`vendor ${vendor.index} ${questionId}: ${status}`)
    }
  }
  return statuses
}

/** Answers the questions that make TEXT_QUESTIONS visible (and `extra`), through the app. */
export async function fill(base: string, token: string, extra: { questionId: string; value: unknown }[] = []) {
  const answers = [{ questionId: 'GOV-01', value: 'no' }, { questionId: 'SEC-01', value: 'all' }, ...extra]
  for (const answer of answers) {
    const response = await fetch(`${base}/v/${token}/save`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...answer, baseRev: 0, comment: null }) })
    expect(response.status, await response.text()).toBe(200)
  }
}
