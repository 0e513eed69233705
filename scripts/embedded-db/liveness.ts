// Notices an embedded database that is alive but does not answer (stopped with SIGSTOP, a GC death
// spiral, a deadlock of its network threads): the supervisor sends it a `ping` every second on a
// connection of its own — not the app's pool, whose connections may all be waiting — and declares
// it hung after a few pings in a row found no answer within their deadline.
// docs/decisions/052-hung-database-detection.md
import { Socket } from 'node:net'
import mongoose from 'mongoose'

export interface LivenessOptions {
  /** A ping every intervalMs; each must be answered before the next is due. */
  intervalMs: number
  /** This many unanswered pings in a row (intervalMs × misses in all) mean the database is hung. */
  misses: number
  /**
   * A small write (an upsert in a database of its own) every interval, unless one is still
   * waiting; one left unanswered this long means writes are stalled though pings are answered (the
   * group commit stuck, a lock never released). 0: no write probe.
   */
  writeStallMs: number
}

export type Hang = { kind: 'silent'; silentMs: number } | { kind: 'writes_stalled'; waitingMs: number }

export const DEFAULT_HUNG_AFTER_MS = 3_000
const INTERVAL_MS = 1_000

/**
 * `CLAUSEWISE_DB_HUNG_AFTER_MS`: unset → 3000, `0` → no liveness probe, else a whole number ≥ 1000.
 * `CLAUSEWISE_DB_WRITE_STALL_MS`: unset → three times that (a commit under heavy load may take
 * seconds), `0` → no write probe, else a whole number ≥ 1000.
 */
export function parseHungAfter(value: string | undefined, writeStall?: string): { liveness: LivenessOptions | null } | { problem: string } {
  const ms = value === undefined || value === '' ? DEFAULT_HUNG_AFTER_MS : Number(value)
  if (ms === 0) return { liveness: null }
  if (!Number.isInteger(ms) || ms < INTERVAL_MS) return { problem: `CLAUSEWISE_DB_HUNG_AFTER_MS must be 0 (off) or a whole number of milliseconds ≥ ${INTERVAL_MS}, not "${value}"` }
  const writeStallMs = writeStall === undefined || writeStall === '' ? 3 * ms : Number(writeStall)
  if (writeStallMs !== 0 && (!Number.isInteger(writeStallMs) || writeStallMs < INTERVAL_MS)) {
    return { problem: `CLAUSEWISE_DB_WRITE_STALL_MS must be 0 (off) or a whole number of milliseconds ≥ ${INTERVAL_MS}, not "${writeStall}"` }
  }
  return { liveness: { intervalMs: INTERVAL_MS, misses: Math.round(ms / INTERVAL_MS), writeStallMs } }
}

/** OP_MSG `{ ping: 1, $db: 'admin' }` with the given request id (wire protocol opcode 2013). */
function pingMessage(requestId: number): Buffer {
  const document = Buffer.concat([
    Buffer.from([0x10]), Buffer.from('ping\0'), int32(1), // int32 field
    Buffer.from([0x02]), Buffer.from('$db\0'), int32(6), Buffer.from('admin\0'), // string field
    Buffer.from([0x00]),
  ])
  const body = Buffer.concat([int32(0) /* flag bits */, Buffer.from([0]) /* section kind: body */, int32(document.length + 4), document])
  return Buffer.concat([int32(16 + body.length), int32(requestId), int32(0), int32(2013), body])
}

/** OP_MSG upsert of one tiny document in `clausewise_liveness.probe`: answered once committed. */
function probeWriteMessage(requestId: number, counter: number): Buffer {
  const document = mongoose.mongo.BSON.serialize({
    update: 'probe',
    updates: [{ q: { _id: 'probe' }, u: { $set: { counter } }, upsert: true }],
    $db: 'clausewise_liveness',
  })
  const body = Buffer.concat([int32(0), Buffer.from([0]), document])
  return Buffer.concat([int32(16 + body.length), int32(requestId), int32(0), int32(2013), body])
}

function int32(value: number): Buffer {
  const buffer = Buffer.alloc(4)
  buffer.writeInt32LE(value)
  return buffer
}

/**
 * Pings 127.0.0.1:port until stop(); calls onHung once, with how long the database has been
 * silent, after `misses` pings in a row went unanswered. A ping whose deadline this process itself
 * overslept (its event loop stalled on a loaded machine) is not counted against the database.
 */
export function watchLiveness(port: number, options: LivenessOptions, onHung: (hang: Hang) => void): { stop(): void; readonly missed: number } {
  let requestId = 0
  let pingId = 0
  let answered = true
  let writeId = 0
  let writeSentAt: number | null = null // the probe write still waiting for its reply
  let writes = 0
  let missed = 0
  let lastAnswer = Date.now()
  let stopped = false
  let timer: NodeJS.Timeout | undefined

  /** A connection of its own that reports each reply's `responseTo`; reconnects after a close. */
  const channel = (onReply: (responseTo: number) => void, onClose: () => void) => {
    let socket: Socket | null = null
    let received = Buffer.alloc(0)
    return {
      send(message: Buffer) {
        if (!socket) {
          const connection = new Socket()
          connection.setNoDelay(true)
          connection.unref()
          connection.on('data', (chunk: Buffer) => {
            received = Buffer.concat([received, chunk])
            while (received.length >= 16 && received.length >= received.readInt32LE(0)) {
              onReply(received.readInt32LE(8))
              received = received.subarray(received.readInt32LE(0))
            }
          })
          // A refused or reset connection is a miss like a silent one: the next message connects again.
          connection.on('error', () => undefined)
          connection.on('close', () => {
            if (socket !== connection) return
            socket = null
            onClose()
          })
          connection.connect(port, '127.0.0.1')
          received = Buffer.alloc(0)
          socket = connection
        }
        socket.write(message)
      },
      destroy() {
        socket?.destroy()
        socket = null
      },
    }
  }
  const pings = channel(
    (responseTo) => void (responseTo === pingId && (answered = true)), // the ping now due
    () => undefined,
  )
  // The probe write has a connection of its own: a held write reply also holds every later reply
  // on its connection (replies keep their order), which would silence the pings.
  const probeWrites = channel(
    (responseTo) => void (responseTo === writeId && (writeSentAt = null)),
    () => (writeSentAt = null), // its reply cannot come on a new connection; the pings judge a dead server
  )

  const ping = () => {
    answered = false
    pings.send(pingMessage((pingId = ++requestId)))
    if (options.writeStallMs > 0 && writeSentAt === null) {
      writeSentAt = Date.now()
      probeWrites.send(probeWriteMessage((writeId = ++requestId), ++writes))
    }
  }

  let due = Date.now() + options.intervalMs
  const tick = () => {
    if (stopped) return
    // Let this process read what has already arrived before judging the ping (timers run before I/O).
    setImmediate(() => {
      if (stopped) return
      const overslept = Date.now() - due > options.intervalMs / 2
      if (answered) {
        missed = 0
        lastAnswer = Date.now()
      } else if (!overslept) {
        missed++
        if (missed >= options.misses) {
          stop()
          onHung({ kind: 'silent', silentMs: Date.now() - lastAnswer })
          return
        }
      }
      // Pings answered but the probe write not: judged only while this process keeps time.
      if (writeSentAt !== null && answered && !overslept && Date.now() - writeSentAt >= options.writeStallMs) {
        stop()
        onHung({ kind: 'writes_stalled', waitingMs: Date.now() - writeSentAt })
        return
      }
      ping()
      due = Date.now() + options.intervalMs
      timer = setTimeout(tick, options.intervalMs)
      timer.unref()
    })
  }

  const stop = () => {
    stopped = true
    clearTimeout(timer)
    pings.destroy()
    probeWrites.destroy()
  }

  ping()
  timer = setTimeout(tick, options.intervalMs)
  timer.unref()
  return {
    stop,
    /** Unanswered pings in a row so far (0: the last one was answered). */
    get missed() {
      return missed
    },
  }
}
