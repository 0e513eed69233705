// The Clausewise server: starts the embedded database when MONGODB_URI is not set, loads the
// Remix app (built, or through Vite with --dev), boots it, and serves it on PORT (default 3000).
import { randomBytes } from 'node:crypto'
import { existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { createRequestHandler } from '@remix-run/express'
import type { ServerBuild } from '@remix-run/node'
import compression from 'compression'
import express from 'express'
import mongoose from 'mongoose'
import { parseDbDurability } from './app/env.server'
import { databaseGate, RETRY_AFTER_SECONDS } from './scripts/embedded-db/gate'
import { EmbeddedMongoUnavailableError, embeddedMongoProblem } from './scripts/embedded-db/launch'
import { parseHungAfter } from './scripts/embedded-db/liveness'
import { EmbeddedDatabaseSupervisor } from './scripts/embedded-db/supervisor'
import { installSecurity, securityContext } from './server-security'

const dev = process.argv.includes('--dev')
const dataDir = path.resolve(process.env.CLAUSEWISE_DATA_DIR ?? 'data')
const port = Number(process.env.PORT ?? 3000)
const host = process.env.HOST ?? '0.0.0.0'
const buildDir = path.resolve(process.env.CLAUSEWISE_BUILD_DIR ?? 'build')

function fail(message: string): never {
  console.error(`[clausewise] ${message}`)
  process.exit(1)
}

// A stable secret for the embedded default, so sessions survive restarts without configuration.
function ensureSessionSecret() {
  // The session secret and the two-factor secrets' key (docs/decisions/023-how-secrets-are-kept.md).
  for (const [name, fileName] of [['SESSION_SECRET', 'session-secret'], ['TOTP_ENCRYPTION_KEY', 'totp-key']] as const) {
    if (process.env[name]) continue
    mkdirSync(dataDir, { recursive: true })
    const file = path.join(dataDir, fileName)
    if (!existsSync(file)) {
      // Written whole, then linked into place: two instances starting on a fresh folder end up
      // with the same complete secret, never one reading the other's half-written file.
      const draft = `${file}.${process.pid}.tmp`
      writeFileSync(draft, randomBytes(32).toString('hex'), { mode: 0o600 })
      try {
        linkSync(draft, file)
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      } finally {
        unlinkSync(draft)
      }
    }
    process.env[name] = readFileSync(file, 'utf8').trim()
  }
}

// Without MONGODB_URI: the embedded database, supervised (restarted on the same file and port if it
// dies; requests meanwhile get a 503 from databaseGate). Its pid is in data/embedded-db.pid.
async function startEmbeddedDatabase(): Promise<EmbeddedDatabaseSupervisor | null> {
  if (process.env.MONGODB_URI) return null
  const problem = embeddedMongoProblem()
  if (problem) fail(problem)
  const setting = parseDbDurability(process.env.CLAUSEWISE_DB_DURABILITY)
  if ('problem' in setting) fail(setting.problem)
  const watch = parseHungAfter(process.env.CLAUSEWISE_DB_HUNG_AFTER_MS, process.env.CLAUSEWISE_DB_WRITE_STALL_MS)
  if ('problem' in watch) fail(watch.problem)
  mkdirSync(dataDir, { recursive: true })
  const started = Date.now()
  const supervisor = new EmbeddedDatabaseSupervisor({ file: path.join(dataDir, 'clausewise.mv'), durability: setting.durability, pidFile: path.join(dataDir, 'embedded-db.pid'), stopTimeoutMs: 2_500, liveness: watch.liveness })
  const uri = await supervisor.start()
  process.env.MONGODB_URI = `${uri}/clausewise`
  const hungAfter = watch.liveness ? `hung after ${watch.liveness.misses * watch.liveness.intervalMs} ms without an answer${watch.liveness.writeStallMs ? ` or ${watch.liveness.writeStallMs} ms with a write unanswered` : ''}` : 'no liveness probe'
  console.log(`[clausewise] embedded database (mongo-java-server, ${path.relative(process.cwd(), dataDir)}/clausewise.mv, durability ${setting.durability}, pid ${supervisor.pid}, ${hungAfter}) on ${uri} in ${Date.now() - started} ms`)
  return supervisor
}

const READY_DEADLINE_MS = 2_000

/**
 * Probes for a load balancer or orchestrator (docs/decisions/052-hung-database-detection.md):
 * `/healthz` — this process answers (no database involved: restart it if this fails);
 * `/readyz` — it can serve requests now: the app's own database connection answers a ping within
 * 2 s (and, embedded, the supervisor has the database up). Send traffic only to ready instances.
 */
function installProbes(server: express.Express, embedded: EmbeddedDatabaseSupervisor | null) {
  server.get('/healthz', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ ok: true })
  })
  server.get('/readyz', async (_req, res) => {
    res.set('Cache-Control', 'no-store')
    const notReady = (reason: string) => res.status(503).set('Retry-After', String(RETRY_AFTER_SECONDS)).json({ ok: false, reason })
    if (embedded && embedded.state !== 'up') return notReady(`embedded database ${embedded.state}`)
    const db = mongoose.connection.readyState === mongoose.ConnectionStates.connected ? mongoose.connection.db : undefined
    if (!db) return notReady('not connected to the database')
    const started = Date.now()
    try {
      await db.command({ ping: 1 }, { timeoutMS: READY_DEADLINE_MS })
      res.json({ ok: true, pingMs: Date.now() - started })
    } catch (error) {
      notReady(`database ping failed after ${Date.now() - started} ms (${error instanceof Error ? error.name : 'error'})`)
    }
  })
}

/** Runs the shutdown steps, each bounded, and exits within `budgetMs` whatever state the database is in. */
async function shutdownWithin(budgetMs: number, steps: [name: string, step: () => Promise<unknown>, timeoutMs: number][]) {
  setTimeout(() => {
    console.error(`[clausewise] shutdown took over ${budgetMs} ms; exiting`)
    process.exit(1)
  }, budgetMs).unref()
  for (const [name, step, timeoutMs] of steps) {
    let timer: NodeJS.Timeout | undefined
    const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)))
    const outcome = await Promise.race([step().catch((error: unknown) => console.error(`[clausewise] shutdown (${name}):`, error)), timedOut])
    clearTimeout(timer)
    if (outcome === 'timeout') console.error(`[clausewise] shutdown: ${name} did not finish within ${timeoutMs} ms; going on`)
  }
}

async function main() {
  process.env.NODE_ENV ??= dev ? 'development' : 'production'
  const embedded = await startEmbeddedDatabase()
  ensureSessionSecret()

  const vite = dev
    ? await import('vite').then((v) => v.createServer({ server: { middlewareMode: true } }))
    : null
  const loadBuild = async (): Promise<ServerBuild> =>
    vite
      ? ((await vite.ssrLoadModule('virtual:remix/server-build')) as ServerBuild)
      : ((await import(path.join(buildDir, 'server', 'index.js'))) as ServerBuild)

  if (!vite && !existsSync(path.join(buildDir, 'server', 'index.js'))) fail('The app is not built: run `npm start` (it builds first) or `npm run build`.')
  const build = await loadBuild()
  const boot = (build.entry.module as { boot?: typeof import('./app/boot.server').boot }).boot
  if (!boot) fail('The server build does not export boot().')
  let app: Awaited<ReturnType<typeof boot>>
  try {
    app = await boot({ embedded: embedded !== null })
  } catch (error) {
    await embedded?.stop()
    fail(error instanceof Error ? error.message : String(error))
  }

  const server = express()
  server.disable('x-powered-by')
  installSecurity(server, { dev, appUrl: process.env.APP_URL })
  installProbes(server, embedded)
  const gate = embedded ? databaseGate(embedded) : null
  // The vendor's autosave, answered before static files, compression and Remix's routing (the
  // same function as its Remix route; docs/decisions/007-one-round-trip-autosave.md), behind the
  // same security headers and database gate as every other request.
  const nodeRoutes = (build.entry.module as { nodeRoutes?: typeof import('./app/entry.server').nodeRoutes }).nodeRoutes
  if (!vite) for (const route of nodeRoutes ?? []) server[route.method](route.path, ...(gate ? [gate] : []), route.handler)
  server.use(compression())
  if (vite) {
    server.use(vite.middlewares)
  } else {
    server.use('/assets', express.static(path.join(buildDir, 'client', 'assets'), { immutable: true, maxAge: '1y' }))
    server.use(express.static(path.join(buildDir, 'client'), { maxAge: '1h' }))
  }
  if (gate) server.use(gate)
  const remix = createRequestHandler({ build: vite ? loadBuild : build, mode: process.env.NODE_ENV, getLoadContext: securityContext })
  // Each request in its own scope: the root and page loaders share one session lookup.
  const inRequestScope = (build.entry.module as { inRequestScope?: typeof import('./app/request-scope.server').inRequestScope }).inRequestScope ?? ((run) => run())
  server.all('*', (req, res, next) => inRequestScope(() => remix(req, res, next)))

  const listener = server.listen(port, host, () => {
    const address = listener.address()
    const actualPort = typeof address === 'object' && address ? address.port : port
    process.env.PORT = String(actualPort) // links in e-mails use the real port when PORT=0
    console.log(`[clausewise] ready on http://localhost:${actualPort}`)
  })

  let stopping = false
  const stop = async (signal: string) => {
    if (stopping) return
    stopping = true
    console.log(`[clausewise] ${signal}: shutting down`)
    listener.close()
    listener.closeAllConnections?.()
    await shutdownWithin(9_500, [
      ['app', () => app.shutdown(), 2_500],
      ['vite', async () => vite?.close(), 1_000],
      ['database', async () => embedded?.stop(), 4_000], // commits and exits, or is killed after 2.5 s
    ])
    process.exit(0)
  }
  process.on('SIGINT', () => void stop('SIGINT'))
  process.on('SIGTERM', () => void stop('SIGTERM'))
}

main().catch((error: unknown) =>
  fail(error instanceof EmbeddedMongoUnavailableError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)),
)
