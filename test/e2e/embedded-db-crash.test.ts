// Crash test of the embedded database and its supervisor, with real processes: the built app
// (`node --import tsx server.ts`, no MONGODB_URI) runs its own file-backed mongo-java-server in a
// temporary data folder. Vendors autosave over HTTP while the database process is killed with
// SIGKILL at seeded random moments; the supervisor restarts it; every save, evidence upload and
// submission acknowledged before the kill must be in the file afterwards, and each vendor's next
// save must succeed without a false conflict. Then the same with the app process itself killed
// mid-save and restarted on the same folder; then shutdown with the database hung or dead.
//
// CRASH_DURABILITY=none runs it against the old background commit, to see it fail; CRASH_SEED
// changes the kill moments.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { MongoClient, ObjectId } from 'mongodb'
import mongoose from 'mongoose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestAssessment, useFixtureLibrary } from '../integration/assessments-helpers'
import { alive, autosaveUntil as autosaveAll, checkStored, databaseProcesses as databaseProcessesIn, dbPid as dbPidIn, fill, mulberry32, nextSavesSucceed, sleep, startOwnApp as startApp, TEXT_QUESTIONS, Vendor, type App } from '../support/supervised-app'

const DURABILITY = process.env.CRASH_DURABILITY ?? 'commit'
const SEED = Number(process.env.CRASH_SEED ?? 20261201)
const VENDORS = 6
const ROUNDS = 3
const pdf = (n: string) => new File([Buffer.from(`%PDF-1.4\n% evidence ${n}\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n`)], `policy-${n}.pdf`, { type: 'application/pdf' })

const random = mulberry32(SEED)
const between = (low: number, high: number) => Math.round(low + random() * (high - low))
const t0 = performance.now()
const mark = (what: string) => console.log(`[${((performance.now() - t0) / 1000).toFixed(1)} s] ${what}`)

let dataDir = ''
async function startOwnApp(): Promise<App> {
  const app = await startApp(dataDir, { CLAUSEWISE_DB_DURABILITY: DURABILITY })
  mark('app ready')
  return app
}
const databaseProcesses = () => databaseProcessesIn(dataDir)
const dbPid = () => dbPidIn(dataDir)
const autosaveUntil = (base: () => string, vendors: Vendor[], stop: { now: boolean }) => autosaveAll(base, vendors, stop, () => between(0, 15))

const uploadRefusals: string[] = []
async function uploadEvidence(base: string, token: string, questionId: string, n: string): Promise<string | null> {
  const form = new FormData()
  form.set('questionId', questionId)
  form.set('file', pdf(n))
  try {
    const response = await fetch(`${base}/v/${token}/evidence`, { method: 'POST', body: form, signal: AbortSignal.timeout(15_000) })
    if (response.status !== 200) {
      uploadRefusals.push(`${response.status} ${(await response.text()).slice(0, 200)}`)
      return null
    }
    const body = (await response.json()) as { evidence: { fileId: string; filename: string }[] }
    return body.evidence.find((e) => e.filename.includes(`policy-${n}`))?.fileId ?? null
  } catch {
    return null
  }
}

async function submit(base: string, token: string, key: string): Promise<number> {
  try {
    const response = await fetch(`${base}/v/${token}/submit`, {
      method: 'POST',
      redirect: 'manual',
      headers: { origin: base },
      body: new URLSearchParams({ name: '张三', title: '信息安全经理', confirm: 'on', submissionKey: key }),
      signal: AbortSignal.timeout(15_000),
    })
    return response.status
  } catch {
    return 0
  }
}

async function checkEvidenceAndSubmissions(dbUri: string, evidence: { assessmentId: string; questionId: string; fileId: string }[], submitted: string[]) {
  const client = await MongoClient.connect(dbUri, { serverSelectionTimeoutMS: 10_000 })
  const problems: string[] = []
  try {
    const db = client.db('clausewise')
    for (const item of evidence) {
      const doc = await db.collection('assessments').findOne({ _id: new ObjectId(item.assessmentId) })
      const listed = ((doc?.answers as Record<string, { evidence?: { fileId: string }[] }>)?.[item.questionId]?.evidence ?? []).some((e) => String(e.fileId) === item.fileId)
      const file = await db.collection('evidence.files').findOne({ _id: new ObjectId(item.fileId) })
      const chunks = await db.collection('evidence.chunks').countDocuments({ files_id: new ObjectId(item.fileId) })
      if (!listed || !file || chunks === 0) problems.push(`evidence ${item.fileId} acknowledged but listed=${listed} file=${Boolean(file)} chunks=${chunks}`)
    }
    for (const id of submitted) {
      const doc = await db.collection('assessments').findOne({ _id: new ObjectId(id) })
      if (doc?.status !== 'submitted') problems.push(`assessment ${id} was acknowledged as submitted but is ${doc?.status}`)
    }
  } finally {
    await client.close()
  }
  return problems
}

describe(`embedded database crashes (durability ${DURABILITY}, seed ${SEED})`, () => {
  let app: App
  const vendors: Vendor[] = []
  const evidenceVendor = { assessmentId: '', token: '' }
  const submitters: { assessmentId: string; token: string }[] = []

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'clausewise-crash-'))
    app = await startOwnApp()
    // Assessments and their links, made as procurement would (the links' tokens come from the outbox).
    useFixtureLibrary()
    process.env.MONGODB_URI = `${app.dbUri}/clausewise` // for the helpers' getEnv(), in this process only
    process.env.SESSION_SECRET ??= 'crash-secret-crash-secret-crash-secret-0'
    await mongoose.connect(`${app.dbUri}/clausewise`)
    for (let i = 0; i < VENDORS; i++) {
      const { assessmentId, token } = await startTestAssessment()
      vendors.push(new Vendor(i, assessmentId, token))
    }
    Object.assign(evidenceVendor, await startTestAssessment())
    for (let i = 0; i < ROUNDS + 1; i++) submitters.push(await startTestAssessment())
    await mongoose.disconnect()
    for (const vendor of vendors) await fill(app.url, vendor.token)
    await fill(app.url, evidenceVendor.token, [{ questionId: 'PAY-01', value: 'yes' }])
    const complete = [
      { questionId: 'GOV-03', value: 5 },
      { questionId: 'GOV-04', value: '2025-03-01' },
      { questionId: 'SEC-02', value: ['phone'] },
      { questionId: 'PAY-01', value: 'no' },
    ]
    for (const submitter of submitters) await fill(app.url, submitter.token, complete)
    mark('set up')
  })

  afterAll(async () => {
    if (app?.child.exitCode === null && app.child.signalCode === null) {
      app.child.kill('SIGKILL')
    }
    await sleep(200)
    for (const pid of databaseProcesses()) process.kill(pid, 'SIGKILL')
    if (process.env.CRASH_KEEP) console.log(`data kept in ${dataDir}`)
    else rmSync(dataDir, { recursive: true, force: true })
  })

  it('loses no acknowledged save, upload or submission when the database process is killed, and restarts it', async () => {
    const lost: string[] = []
    const evidence: { assessmentId: string; questionId: string; fileId: string }[] = []
    const submitted: string[] = []
    let downPageChecked = false
    for (let round = 0; round < ROUNDS; round++) {
      const stop = { now: false }
      const saving = autosaveUntil(() => app.url, vendors, stop)
      const killAt = between(600, 1500)
      // An upload and a submission racing the kill.
      const uploads = (async () => {
        for (const [n, at] of [['a', between(50, killAt / 2)], ['b', killAt - between(0, 300)]] as const) {
          await sleep(at)
          const fileId = await uploadEvidence(app.url, evidenceVendor.token, 'PAY-01', `r${round}${n}`)
          if (fileId) evidence.push({ ...evidenceVendor, questionId: 'PAY-01', fileId })
        }
      })()
      const submitting = (async () => {
        await sleep(killAt - between(0, 100))
        const status = await submit(app.url, submitters[round]!.token, `round-${round}-key-0123456789`)
        if (status === 302) submitted.push(submitters[round]!.assessmentId)
        return status
      })()
      await sleep(killAt)
      const pid = dbPid()
      const logFrom = app.logs().length
      process.kill(pid, 'SIGKILL')
      await app.waitForLog(/killed by SIGKILL/, logFrom)

      if (!downPageChecked) {
        // While it is down: a calm page in both languages, at once, and JSON for fetches.
        downPageChecked = true
        const started = performance.now()
        const page = await fetch(`${app.url}/login`, { headers: { accept: 'text/html' } })
        expect(page.status).toBe(503)
        expect(page.headers.get('retry-after')).toBe('5')
        const html = await page.text()
        expect(html).toContain('数据库正在重新启动')
        expect(html).toContain('The database is restarting')
        const json = await fetch(`${app.url}/v/${vendors[0]!.token}/save`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
        expect(json.status).toBe(503)
        expect(await json.json()).toMatchObject({ ok: false, unavailable: true, message: { en: expect.any(String), 'zh-CN': expect.any(String) } })
        expect(performance.now() - started).toBeLessThan(2000)
      }

      await app.waitForLog(/embedded database restarted \(pid \d+/, logFrom)
      stop.now = true // compare the file with what was acknowledged before anyone saves again
      expect(dbPid()).not.toBe(pid)
      await Promise.all([saving, uploads])
      if ((await submitting) !== 302) {
        // Not acknowledged before the crash: the same submission again succeeds (or is recognised).
        expect(await submit(app.url, submitters[round]!.token, `round-${round}-key-0123456789`)).toBe(302)
        submitted.push(submitters[round]!.assessmentId)
      }
      mark(`round ${round + 1}: database killed at ${killAt} ms, restarted`)
      lost.push(...(await checkStored(app.dbUri, vendors)))
      lost.push(...(await checkEvidenceAndSubmissions(app.dbUri, evidence, submitted)))
      expect(await nextSavesSucceed(app.url, vendors)).toEqual([])
    }
    const acknowledged = vendors.reduce((n, v) => n + v.acknowledged, 0)
    console.log(`uploads refused: ${JSON.stringify(uploadRefusals)}`)
    console.log(
      `database killed ${ROUNDS}× (durability ${DURABILITY}): ${acknowledged} saves acknowledged, ${vendors.reduce((n, v) => n + v.failed, 0)} refused while down, ${vendors.reduce((n, v) => n + v.landedUnacknowledged, 0)} unacknowledged saves found committed; ${evidence.length} uploads and ${submitted.length} submissions acknowledged; lost: ${lost.length}`,
    )
    expect(lost).toEqual([])
    expect(vendors.flatMap((v) => v.falseConflicts)).toEqual([])
    expect(vendors.flatMap((v) => v.badFailures)).toEqual([])
    expect(acknowledged).toBeGreaterThan(VENDORS * ROUNDS)
    expect(app.logs()).toMatch(/embedded database restarted \(pid \d+, mongodb:\/\/127\.0\.0\.1:\d+, durability \w+\) \d+ ms after it was killed by SIGKILL; restart #3/)
  })

  it('loses nothing acknowledged when the app process itself is killed mid-save, and starts again on the same folder', async () => {
    const stop = { now: false }
    const base = app.url
    const saving = autosaveUntil(() => base, vendors, stop)
    const killAt = between(300, 900)
    const evidence: { assessmentId: string; questionId: string; fileId: string }[] = []
    const submitted: string[] = []
    const last = submitters[ROUNDS]!
    const side = (async () => {
      await sleep(killAt - between(0, 100))
      const [fileId, status] = await Promise.all([uploadEvidence(base, evidenceVendor.token, 'GOV-05', 'app'), submit(base, last.token, 'app-kill-key-0123456789')])
      if (fileId) evidence.push({ ...evidenceVendor, questionId: 'GOV-05', fileId })
      if (status === 302) submitted.push(last.assessmentId)
    })()
    await sleep(killAt)
    const oldDb = dbPid()
    app.child.kill('SIGKILL')
    await sleep(100)
    stop.now = true
    await Promise.all([saving, side])
    // The orphaned database sees its standard input close, commits and exits by itself.
    for (let i = 0; i < 100 && alive(oldDb); i++) await sleep(100)
    expect(alive(oldDb)).toBe(false)

    app = await startOwnApp()
    expect(await checkStored(app.dbUri, vendors)).toEqual([])
    expect(await checkEvidenceAndSubmissions(app.dbUri, evidence, submitted)).toEqual([])
    expect(await nextSavesSucceed(app.url, vendors)).toEqual([])
    if (!submitted.includes(last.assessmentId)) {
      expect(await submit(app.url, last.token, 'app-kill-key-0123456789')).toBe(302)
      expect(await checkEvidenceAndSubmissions(app.dbUri, [], [last.assessmentId])).toEqual([])
    }
    expect(vendors.flatMap((v) => v.falseConflicts)).toEqual([])
  })

  it('shuts down within 10 s with the database hung (SIGSTOP), and with it just killed', async () => {
    // Hung: a save waits on the stopped database; SIGTERM still ends the app and the database.
    const hung = dbPid()
    process.kill(hung, 'SIGSTOP')
    const pendingSave = vendors[0]!.save(app.url, TEXT_QUESTIONS[0]!)
    await sleep(200)
    let started = performance.now()
    let exited = new Promise((resolve) => app.child.once('exit', resolve))
    app.child.kill('SIGTERM')
    await exited
    mark(`SIGTERM with the database stopped (SIGSTOP): exited in ${Math.round(performance.now() - started)} ms`)
    expect(performance.now() - started).toBeLessThan(10_000)
    await pendingSave
    for (let i = 0; i < 20 && alive(hung); i++) await sleep(100)
    expect(alive(hung)).toBe(false)
    expect(databaseProcesses()).toEqual([])

    // Killed, restart under way: SIGTERM ends the app and leaves no database process behind.
    app = await startOwnApp()
    const logFrom = app.logs().length
    const killed = dbPid()
    process.kill(killed, 'SIGKILL')
    await app.waitForLog(/killed by SIGKILL/, logFrom)
    started = performance.now()
    exited = new Promise((resolve) => app.child.once('exit', resolve))
    app.child.kill('SIGTERM')
    await exited
    mark(`SIGTERM with the database just killed: exited in ${Math.round(performance.now() - started)} ms`)
    expect(performance.now() - started).toBeLessThan(10_000)
    await sleep(300)
    expect(databaseProcesses()).toEqual([])
  })
})
