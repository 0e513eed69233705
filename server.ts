// The Clausewise server: starts the embedded database when MONGODB_URI is not set, loads the
// Remix app (built, or through Vite with --dev), boots it, and serves it on PORT (default 3000).
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { createRequestHandler } from '@remix-run/express'
import type { ServerBuild } from '@remix-run/node'
import compression from 'compression'
import express from 'express'
import { EmbeddedMongoUnavailableError, embeddedMongoProblem, startEmbeddedMongo, type EmbeddedMongo } from './scripts/embedded-db/launch'

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
  if (process.env.SESSION_SECRET) return
  mkdirSync(dataDir, { recursive: true })
  const file = path.join(dataDir, 'session-secret')
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600 })
  process.env.SESSION_SECRET = readFileSync(file, 'utf8').trim()
}

async function main() {
  process.env.NODE_ENV ??= dev ? 'development' : 'production'
  let embedded: EmbeddedMongo | null = null
  if (!process.env.MONGODB_URI) {
    const problem = embeddedMongoProblem()
    if (problem) fail(problem)
    const started = Date.now()
    embedded = await startEmbeddedMongo({ file: path.join(dataDir, 'clausewise.mv') })
    process.env.MONGODB_URI = `${embedded.uri}/clausewise`
    console.log(`[clausewise] embedded database (mongo-java-server, ${path.relative(process.cwd(), dataDir)}/clausewise.mv) on ${embedded.uri} in ${Date.now() - started} ms`)
  }
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
  server.use(compression())
  if (vite) {
    server.use(vite.middlewares)
  } else {
    server.use('/assets', express.static(path.join(buildDir, 'client', 'assets'), { immutable: true, maxAge: '1y' }))
    server.use(express.static(path.join(buildDir, 'client'), { maxAge: '1h' }))
  }
  // The client's address reaches loaders as context.clientAddress (the public report check limits by it).
  server.all(
    '*',
    createRequestHandler({ build: vite ? loadBuild : build, mode: process.env.NODE_ENV, getLoadContext: (req) => ({ clientAddress: req.socket.remoteAddress ?? '' }) }),
  )

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
    await app.shutdown().catch((error: unknown) => console.error('[clausewise] shutdown:', error))
    await vite?.close()
    await embedded?.stop()
    process.exit(0)
  }
  process.on('SIGINT', () => void stop('SIGINT'))
  process.on('SIGTERM', () => void stop('SIGTERM'))
}

main().catch((error: unknown) =>
  fail(error instanceof EmbeddedMongoUnavailableError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)),
)
