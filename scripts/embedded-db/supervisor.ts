// Keeps the embedded database running for the app server: starts it, notices when the Java process
// dies (crash, kill -9, out of memory), restarts it on the same file and the same port — so the
// MongoDB driver's pool reconnects by itself — and reports whether it is up, so requests in between
// can be answered at once with 503 (see gate.ts) instead of waiting for the driver's timeouts.
// A database that is alive but does not answer its liveness pings is treated as a crash: killed
// and restarted the same way (liveness.ts).
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { startEmbeddedMongo, EmbeddedMongoUnavailableError, type EmbeddedDurability, type EmbeddedMongo } from './launch'
import { watchLiveness, type Hang, type LivenessOptions } from './liveness'

export type DatabaseState = 'starting' | 'up' | 'down' | 'stopping'

export interface SupervisorOptions {
  file: string
  durability: EmbeddedDurability
  /** The current database process's id is written here (and removed on stop). */
  pidFile?: string
  log?: (line: string) => void
  /** How long a stop waits for the database to commit and exit before killing it. */
  stopTimeoutMs?: number
  /** How a hung database is noticed; null: not watched (only its exit is). */
  liveness?: LivenessOptions | null
}

export class EmbeddedDatabaseSupervisor {
  state: DatabaseState = 'starting'
  uri = ''
  restarts = 0
  /** When the current database process was adopted (ms since the epoch). */
  upSince = 0
  private current: EmbeddedMongo | null = null
  /** The process killed because it was hung: its exit is the kill, not news. */
  private killedAsHung: { db: EmbeddedMongo; at: number } | null = null
  private liveness: ReturnType<typeof watchLiveness> | null = null
  private port = 0
  private wake: (() => void) | null = null
  private readonly launches = new AbortController()
  private readonly log: (line: string) => void

  constructor(private readonly options: SupervisorOptions) {
    this.log = options.log ?? ((line) => console.log(line))
  }

  get pid(): number | null {
    return this.current?.pid ?? null
  }

  /**
   * Whether the database process is alive and running right now, before Node has handled its exit
   * or the liveness probe has called it hung: a request whose database call failed because the
   * process just died, or is stopped (SIGSTOP), can tell so. (Linux: /proc; elsewhere it only knows
   * what the exit event said.)
   */
  get running(): boolean {
    const pid = this.current?.pid
    if (!pid) return false
    try {
      return !/^\d+ \(.*\) [ZXTt]/s.test(readFileSync(`/proc/${pid}/stat`, 'utf8'))
    } catch {
      return !existsSync('/proc/self/stat')
    }
  }

  /** False while the liveness probe's last ping went unanswered (the database may be hanging). */
  get answering(): boolean {
    return (this.liveness?.missed ?? 0) === 0
  }

  /**
   * First start: a free port is chosen; later restarts reuse it. If the file is still locked (the
   * database of an app process that was just killed is committing and exiting), wait for it a while.
   */
  async start({ lockWaitMs = 10_000 }: { lockWaitMs?: number } = {}): Promise<string> {
    const deadline = Date.now() + lockWaitMs
    let db: EmbeddedMongo
    for (;;) {
      try {
        db = await this.launch()
        break
      } catch (error) {
        if (!(error instanceof EmbeddedMongoUnavailableError && /in use/.test(error.message)) || Date.now() > deadline) throw error
        await new Promise((resolve) => setTimeout(resolve, 250))
      }
    }
    this.port = Number(new URL(db.uri).port)
    this.uri = db.uri
    this.adopt(db)
    return db.uri
  }

  /** Stops the database (commit and exit, or kill after stopTimeoutMs) and any restart under way. */
  async stop(): Promise<void> {
    this.state = 'stopping'
    this.wake?.()
    this.launches.abort() // a restart under way is killed, not left behind
    const db = this.current
    this.current = null
    await db?.stop()
    if (this.options.pidFile) rmSync(this.options.pidFile, { force: true })
  }

  private launch(): Promise<EmbeddedMongo> {
    return startEmbeddedMongo({ file: this.options.file, durability: this.options.durability, port: this.port, stopTimeoutMs: this.options.stopTimeoutMs, signal: this.launches.signal })
  }

  private adopt(db: EmbeddedMongo) {
    this.current = db
    this.state = 'up'
    this.upSince = Date.now()
    if (this.options.pidFile) writeFileSync(this.options.pidFile, `${db.pid}\n`)
    const liveness = this.options.liveness ? watchLiveness(Number(new URL(db.uri).port), this.options.liveness, (hang) => this.killHung(db, hang)) : null
    this.liveness = liveness
    void db.exited.then((exit) => {
      liveness?.stop()
      if (this.liveness === liveness) this.liveness = null
      if (this.killedAsHung?.db === db) {
        const { at } = this.killedAsHung
        this.killedAsHung = null
        if (this.state !== 'stopping') void this.restart(at, 'found hung')
        return
      }
      if (this.current !== db || this.state === 'stopping') return
      this.current = null
      this.state = 'down'
      const how = exit.signal ? `killed by ${exit.signal}` : `exited with code ${exit.code}`
      this.log(`[clausewise] embedded database (pid ${db.pid}) ${how}; requests get 503 until it is back; restarting on the same file and port`)
      void this.restart(Date.now(), how)
    })
  }

  /**
   * Alive but silent, or answering pings while a write waits for ever: from now on requests get 503; the process is killed (nothing acknowledged is
   * lost at 'commit' and 'fsync': every acknowledged write is in the file) and, once it has exited
   * and let go of the file and the port, restarted like a crashed one. Requests waiting on it end
   * when its connections close, and the gate answers them 503 too.
   */
  private killHung(db: EmbeddedMongo, hang: Hang) {
    if (this.current !== db || this.state !== 'up') return
    this.current = null
    this.state = 'down'
    this.killedAsHung = { db, at: Date.now() }
    const why = hang.kind === 'silent' ? `${this.options.liveness!.misses} pings in a row unanswered, silent for ${hang.silentMs} ms` : `it answers pings but a write has waited ${hang.waitingMs} ms for its commit`
    this.log(`[clausewise] embedded database (pid ${db.pid}) hung: ${why}; requests get 503 until it is back; killing it (SIGKILL) and restarting on the same file and port`)
    db.kill()
  }

  private async restart(since: number, cause: string) {
    let delay = 200
    for (let attempt = 1; (this.state as DatabaseState) !== 'stopping'; attempt++) {
      try {
        const db = await this.launch()
        if ((this.state as DatabaseState) === 'stopping') {
          await db.stop()
          return
        }
        this.restarts++
        this.adopt(db)
        this.log(`[clausewise] embedded database restarted (pid ${db.pid}, ${db.uri}, durability ${this.options.durability}) ${Date.now() - since} ms after it was ${cause}; restart #${this.restarts}`)
        return
      } catch (error) {
        const reason = error instanceof EmbeddedMongoUnavailableError || error instanceof Error ? error.message.split('\n')[0] : String(error)
        this.log(`[clausewise] embedded database restart attempt ${attempt} failed (${reason}); retrying in ${delay} ms`)
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, delay)
          this.wake = () => {
            clearTimeout(timer)
            resolve()
          }
        })
        this.wake = null
        delay = Math.min(delay * 2, 5_000)
      }
    }
  }
}
