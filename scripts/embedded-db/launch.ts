// Starts the embedded mongo-java-server (see EmbeddedMongo.java) as a child process and resolves
// with its connection string. Used by the app server when MONGODB_URI is unset, by the tests and
// by the benchmarks. The child exits by itself if this process dies (its stdin closes).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
const libDir = path.join(root, '.tools', 'mongo-java-server', 'lib')
const launcher = path.join(root, 'scripts', 'embedded-db', 'EmbeddedMongo.java')

export interface EmbeddedMongo {
  uri: string
  /** The Java process's id (crash tests kill it). */
  pid: number
  /** Resolves when the database process ends, for whatever reason (stop(), a crash, kill -9). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
  stop(): Promise<void>
  /** SIGKILL at once (a hung database; loses nothing acknowledged at 'commit' and 'fsync'). */
  kill(): void
}

export class EmbeddedMongoUnavailableError extends Error {}

export function embeddedMongoProblem(): string | null {
  if (spawnSync('java', ['-version'], { stdio: 'ignore' }).status !== 0) {
    return 'No MongoDB is configured and Java is not installed: set MONGODB_URI to a MongoDB 5+ deployment, or install Java 17+ and Maven and run `npm install` again.'
  }
  const installed = existsSync(libDir) && readdirSync(libDir).some((f) => f.startsWith('mongo-java-server-core'))
  if (!installed) {
    return 'No MongoDB is configured and the embedded database is not installed: set MONGODB_URI, or install Maven and run `npm install` (it fetches mongo-java-server into .tools/).'
  }
  return null
}

/**
 * How a write to the H2 file is acknowledged: 'fsync' (committed and flushed to the disk before the
 * reply), 'commit' (committed to the file, survives a crash of the database process, not a power
 * cut), 'none' (H2's background commit: the fastest, loses the last moments on any crash).
 */
export type EmbeddedDurability = 'fsync' | 'commit' | 'none'

/**
 * The launcher compiled once into .tools/embedded-db/<hash of source and jars>, so a restart after
 * a crash starts the JVM without compiling the source again (about 1 s instead of 2–5 s). Inside the
 * project, not the shared temporary folder, so no other local user can plant a class there. Falls
 * back to running the source file directly when javac is missing or the folder is not writable.
 */
let compiled: string | null | undefined
function compiledLauncher(): string | null {
  if (compiled !== undefined) return compiled
  const hash = createHash('sha256').update(readFileSync(launcher)).update(readdirSync(libDir).sort().join(',')).digest('hex').slice(0, 16)
  const cache = path.join(root, '.tools', 'embedded-db')
  const dir = path.join(cache, hash)
  if (existsSync(path.join(dir, 'EmbeddedMongo.class'))) return (compiled = dir)
  let work: string
  try {
    mkdirSync(cache, { recursive: true })
    work = mkdtempSync(path.join(cache, 'build-'))
  } catch {
    return (compiled = null)
  }
  const result = spawnSync('javac', ['-nowarn', '-cp', path.join(libDir, '*'), '-d', work, launcher], { stdio: 'ignore' })
  if (result.status !== 0) {
    rmSync(work, { recursive: true, force: true })
    return (compiled = null)
  }
  try {
    renameSync(work, dir) // atomic: a concurrent compile of the same source may have won, which is as good
  } catch {
    rmSync(work, { recursive: true, force: true })
  }
  return (compiled = existsSync(path.join(dir, 'EmbeddedMongo.class')) ? dir : null)
}

/** file: H2 MVStore file for persistent data; omit for an in-memory server (tests). signal: abort a start under way. */
export async function startEmbeddedMongo(options: { file?: string; port?: number; durability?: EmbeddedDurability; stopTimeoutMs?: number; signal?: AbortSignal } = {}): Promise<EmbeddedMongo> {
  const problem = embeddedMongoProblem()
  if (problem) throw new EmbeddedMongoUnavailableError(problem)

  const classes = compiledLauncher()
  const program = classes ? ['-cp', `${classes}${path.delimiter}${path.join(libDir, '*')}`, 'EmbeddedMongo'] : ['-cp', path.join(libDir, '*'), launcher]
  const args = ['-XX:+UseSerialGC', '-Xshare:auto', ...program, '--host', '127.0.0.1', '--port', String(options.port ?? 0)]
  if (options.file) args.push('--file', path.resolve(options.file))
  if (options.durability) args.push('--durability', options.durability)
  const child: ChildProcess = spawn('java', args, { stdio: ['pipe', 'pipe', 'pipe'] })
  const abort = () => child.kill('SIGKILL')
  options.signal?.addEventListener('abort', abort, { once: true })

  // Until it listens, its stderr explains a failed start; after that, whatever it prints (an
  // unexpected server-side exception's stack) goes to this process's stderr, into the app's log.
  let stderr = ''
  let listening = false
  child.stderr!.on('data', (chunk) => {
    if (listening) process.stderr.write(chunk)
    else stderr += String(chunk)
  })
  const address = await new Promise<string>((resolve, reject) => {
    let stdout = ''
    const onData = (chunk: Buffer) => {
      stdout += String(chunk)
      const match = /LISTENING (\S+:\d+)/.exec(stdout)
      if (match) {
        listening = true
        if (stderr) process.stderr.write(stderr)
        options.signal?.removeEventListener('abort', abort)
        child.stdout!.off('data', onData)
        resolve(match[1]!)
      }
    }
    child.stdout!.on('data', onData)
    child.once('exit', (code) => {
      if (/file is locked/i.test(stderr)) {
        reject(new EmbeddedMongoUnavailableError(`The embedded database file ${options.file} is in use by another process: is Clausewise already running? Stop it first, or set CLAUSEWISE_DATA_DIR to another folder.`))
      } else {
        reject(new Error(`embedded MongoDB exited with code ${code}: ${stderr.trim()}`))
      }
    })
    child.once('error', reject)
  })

  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve({ code: child.exitCode, signal: child.signalCode })
    else child.once('exit', (code, signal) => resolve({ code, signal }))
  })
  let stopped: Promise<void> | null = null
  return {
    uri: `mongodb://${address}`,
    pid: child.pid!,
    exited,
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve()
        child.once('exit', () => resolve())
        child.kill('SIGTERM') // runs the JVM shutdown hook, which commits the H2 file
        // A hung (or stopped) database must not hold the app's shutdown: SIGKILL loses nothing
        // acknowledged at the 'commit' and 'fsync' durability levels.
        setTimeout(() => child.kill('SIGKILL'), options.stopTimeoutMs ?? 5_000).unref()
      })
      return stopped
    },
    kill() {
      child.kill('SIGKILL')
    },
  }
}
