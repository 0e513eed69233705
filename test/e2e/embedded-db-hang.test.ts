// A database that hangs without dying, with real processes: the built app runs its supervised,
// file-backed embedded database; vendors autosave over HTTP while the Java process is stopped with
// SIGSTOP at seeded random moments. The supervisor's liveness probe must notice, answer 503 (page
// and JSON, both languages), kill and restart it; no request may wait beyond 10 s or end in a 500;
// every save acknowledged before the stop is in the file at its revision, and each vendor's next
// save succeeds without a false conflict. A pause shorter than the probe's limit (a long GC) must
// not be taken for a hang. Prints the time from SIGSTOP to the first 503, to the restart and to the
// first successful save.
//
// Also a database that answers pings while its writes wait for ever (the launcher's test hook
// holds the group commit while a file exists): the probe's write must notice it the same way.
//
// HANG_SEED changes the stop moments.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import mongoose from 'mongoose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestAssessment, useFixtureLibrary } from '../integration/assessments-helpers'
import { alive, autosaveUntil, checkStored, databaseProcesses, dbPid, fill, mulberry32, nextSavesSucceed, sleep, startOwnApp, Vendor, type App } from '../support/supervised-app'

const SEED = Number(process.env.HANG_SEED ?? 20261202)
const VENDORS = 6
const ROUNDS = 2
/** No save may take longer than this to be answered, hang or not. */
const REPLY_BOUND_MS = 10_000
/** A probe write unanswered this long means writes are stalled (CLAUSEWISE_DB_WRITE_STALL_MS). */
const WRITE_STALL_MS = 4_000

const random = mulberry32(SEED)
const between = (low: number, high: number) => Math.round(low + random() * (high - low))
const t0 = performance.now()
const mark = (what: string) => console.log(`[${((performance.now() - t0) / 1000).toFixed(1)} s] ${what}`)

describe(`embedded database hangs (seed ${SEED})`, () => {
  let dataDir = ''
  let app: App
  const vendors: Vendor[] = []
  const stoppedPids: number[] = []

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'clausewise-hang-'))
    app = await startOwnApp(dataDir, { CLAUSEWISE_DB_DURABILITY: 'commit', CLAUSEWISE_DB_WRITE_STALL_MS: String(WRITE_STALL_MS), CLAUSEWISE_DB_TEST_STALL_FILE: path.join(dataDir, 'stall-commits') })
    expect(app.logs()).toMatch(/hung after 3000 ms without an answer or 4000 ms with a write unanswered/)
    useFixtureLibrary()
    process.env.MONGODB_URI = `${app.dbUri}/clausewise` // for the helpers' getEnv(), in this process only
    process.env.SESSION_SECRET ??= 'crash-secret-crash-secret-crash-secret-0'
    await mongoose.connect(`${app.dbUri}/clausewise`)
    for (let i = 0; i < VENDORS; i++) {
      const { assessmentId, token } = await startTestAssessment()
      vendors.push(new Vendor(i, assessmentId, token, { refusedWithinMs: REPLY_BOUND_MS, appAlwaysUp: true }))
    }
    await mongoose.disconnect()
    for (const vendor of vendors) await fill(app.url, vendor.token)
    mark('set up')
  })

  afterAll(async () => {
    // Nothing stopped may be left behind: continue and kill whatever this test stopped.
    for (const pid of stoppedPids.filter(alive)) {
      process.kill(pid, 'SIGCONT')
      process.kill(pid, 'SIGKILL')
    }
    if (app?.child.exitCode === null && app.child.signalCode === null) {
      const exited = new Promise((resolve) => app.child.once('exit', resolve))
      app.child.kill('SIGTERM')
      await Promise.race([exited, sleep(10_000)])
      if (app.child.exitCode === null && app.child.signalCode === null) app.child.kill('SIGKILL')
    }
    await sleep(200)
    for (const pid of databaseProcesses(dataDir)) process.kill(pid, 'SIGKILL')
    rmSync(dataDir, { recursive: true, force: true })
  })

  it('takes a pause shorter than the limit (a long GC) for a pause, not a hang', async () => {
    const stop = { now: false }
    const saving = autosaveUntil(() => app.url, vendors, stop, () => between(0, 15))
    await sleep(between(300, 800))
    const pid = dbPid(dataDir)
    const logFrom = app.logs().length
    const pause = between(1000, 1500)
    stoppedPids.push(pid)
    process.kill(pid, 'SIGSTOP')
    await sleep(pause)
    process.kill(pid, 'SIGCONT')
    await sleep(1500)
    stop.now = true
    await saving
    mark(`database paused for ${pause} ms`)
    expect(app.logs().slice(logFrom)).not.toMatch(/hung|killed|restarted/)
    expect(dbPid(dataDir)).toBe(pid)
    expect(await checkStored(app.dbUri, vendors)).toEqual([])
    expect(vendors.flatMap((v) => v.falseConflicts)).toEqual([])
    expect(vendors.flatMap((v) => v.badFailures)).toEqual([])
  })

  it('notices a stopped database, answers 503 meanwhile, kills and restarts it, and loses nothing acknowledged', async () => {
    const lost: string[] = []
    const figures: string[] = []
    let pagesChecked = false
    for (let round = 0; round < ROUNDS; round++) {
      const stop = { now: false }
      const saving = autosaveUntil(() => app.url, vendors, stop, () => between(0, 15))
      await sleep(between(600, 1500))
      const pid = dbPid(dataDir)
      const logFrom = app.logs().length
      stoppedPids.push(pid)
      process.kill(pid, 'SIGSTOP')
      const stoppedAt = performance.now()

      if (!pagesChecked) {
        // Before the probe has decided: the process is alive (/healthz), but not ready (/readyz),
        // and says so within its ping deadline instead of waiting for the database.
        pagesChecked = true
        await sleep(200)
        const health = await fetch(`${app.url}/healthz`, { signal: AbortSignal.timeout(2_000) })
        expect(health.status).toBe(200)
        const readyStarted = performance.now()
        const ready = await fetch(`${app.url}/readyz`, { signal: AbortSignal.timeout(5_000) })
        expect(ready.status).toBe(503)
        expect(await ready.json()).toMatchObject({ ok: false })
        expect(performance.now() - readyStarted).toBeLessThan(3_000)
      }

      await app.waitForLog(/\) hung: \d+ pings in a row unanswered, silent for \d+ ms/, logFrom, 15_000)
      const detectedAt = performance.now()
      if (round === 0) {
        // Found hung: the same calm page in both languages, and JSON for fetches, at once.
        const started = performance.now()
        const page = await fetch(`${app.url}/login`, { headers: { accept: 'text/html' }, signal: AbortSignal.timeout(5_000) })
        expect(page.status).toBe(503)
        expect(page.headers.get('retry-after')).toBe('5')
        const html = await page.text()
        expect(html).toContain('数据库正在重新启动')
        expect(html).toContain('The database is restarting')
        const json = await fetch(`${app.url}/v/${vendors[0]!.token}/save`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}', signal: AbortSignal.timeout(5_000) })
        expect(json.status).toBe(503)
        expect(await json.json()).toMatchObject({ ok: false, unavailable: true, message: { en: expect.any(String), 'zh-CN': expect.any(String) } })
        expect(performance.now() - started).toBeLessThan(2_000)
      }
      await app.waitForLog(/embedded database restarted \(pid \d+, mongodb:\/\/127\.0\.0\.1:\d+, durability commit\) \d+ ms after it was found hung; restart #\d+/, logFrom, 20_000)
      const restartedAt = performance.now()
      expect(alive(pid)).toBe(false) // the stopped process was killed, not left behind
      expect(dbPid(dataDir)).not.toBe(pid)
      // Saving on until a save goes through again, then compare the file with what was acknowledged.
      while (!vendors.some((v) => v.replies.some((r) => r.status === 200 && r.sentAt > stoppedAt)) && performance.now() - restartedAt < 15_000) await sleep(50)
      stop.now = true
      await saving
      const replies = vendors.flatMap((v) => v.replies)
      const first503 = Math.min(...replies.filter((r) => r.status === 503 && r.at > stoppedAt).map((r) => r.at))
      const firstSaved = Math.min(...replies.filter((r) => r.status === 200 && r.sentAt > stoppedAt).map((r) => r.at))
      const longest = Math.max(...replies.filter((r) => r.at > stoppedAt).map((r) => r.at - r.sentAt))
      const seconds = (at: number) => `${((at - stoppedAt) / 1000).toFixed(2)} s`
      figures.push(`round ${round + 1}: SIGSTOP → found hung ${seconds(detectedAt)}, first 503 ${seconds(first503)}, restarted ${seconds(restartedAt)}, first save acknowledged ${seconds(firstSaved)}; longest reply ${Math.round(longest)} ms`)
      mark(figures.at(-1)!)
      lost.push(...(await checkStored(app.dbUri, vendors)))
      expect(await nextSavesSucceed(app.url, vendors)).toEqual([])
    }
    const acknowledged = vendors.reduce((n, v) => n + v.acknowledged, 0)
    console.log(
      `database hung ${ROUNDS}×: ${acknowledged} saves acknowledged, ${vendors.reduce((n, v) => n + v.failed, 0)} refused, ${vendors.reduce((n, v) => n + v.landedUnacknowledged, 0)} unacknowledged saves found committed; lost: ${lost.length}\n${figures.join('\n')}\n${app.logs().split('\n').filter((line) => /embedded database/.test(line)).join('\n')}`,
    )
    expect(lost).toEqual([])
    expect(vendors.flatMap((v) => v.falseConflicts)).toEqual([])
    expect(vendors.flatMap((v) => v.badFailures)).toEqual([]) // no 500, no save unanswered or answered after 10 s
    expect(acknowledged).toBeGreaterThan(VENDORS * ROUNDS)
    expect(app.logs().match(/\) hung: /g)).toHaveLength(ROUNDS) // no restart the test did not cause
    const ready = await fetch(`${app.url}/readyz`)
    expect(ready.status).toBe(200)
    expect(await ready.json()).toMatchObject({ ok: true })
  })

  it('notices writes that wait for ever while pings are answered, and restarts the database', async () => {
    const stop = { now: false }
    const saving = autosaveUntil(() => app.url, vendors, stop, () => between(0, 15))
    await sleep(between(600, 1500))
    const pid = dbPid(dataDir)
    const logFrom = app.logs().length
    const stallFile = path.join(dataDir, 'stall-commits')
    writeFileSync(stallFile, '')
    const stalledAt = performance.now()
    await sleep(1_500)
    // Stalled writes, not a silent server: pings are answered, so the app still says it is ready.
    expect((await fetch(`${app.url}/readyz`, { signal: AbortSignal.timeout(3_000) })).status).toBe(200)
    await app.waitForLog(/\) hung: it answers pings but a write has waited \d+ ms for its commit/, logFrom, 15_000)
    const detectedAt = performance.now()
    rmSync(stallFile) // before the restarted process makes its first commit
    await app.waitForLog(/embedded database restarted \(pid \d+, mongodb:\/\/127\.0\.0\.1:\d+, durability commit\) \d+ ms after it was found hung/, logFrom, 20_000)
    const restartedAt = performance.now()
    expect(alive(pid)).toBe(false)
    while (!vendors.some((v) => v.replies.some((r) => r.status === 200 && r.sentAt > restartedAt)) && performance.now() - restartedAt < 15_000) await sleep(50)
    stop.now = true
    await saving
    const replies = vendors.flatMap((v) => v.replies).filter((r) => r.at > stalledAt)
    const longest = Math.max(...replies.map((r) => r.at - r.sentAt))
    mark(`writes stalled: found hung ${((detectedAt - stalledAt) / 1000).toFixed(2)} s after the commit stopped, restarted ${((restartedAt - stalledAt) / 1000).toFixed(2)} s; longest reply ${Math.round(longest)} ms; ${replies.filter((r) => r.status === 503).length} saves refused meanwhile`)
    expect(detectedAt - stalledAt).toBeGreaterThanOrEqual(WRITE_STALL_MS - 1_000)
    expect(await checkStored(app.dbUri, vendors)).toEqual([])
    expect(await nextSavesSucceed(app.url, vendors)).toEqual([])
    expect(vendors.flatMap((v) => v.falseConflicts)).toEqual([])
    expect(vendors.flatMap((v) => v.badFailures)).toEqual([]) // no 500, none unanswered or answered after 10 s
  })
})
