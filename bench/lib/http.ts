// A lean HTTP client for the benchmarks: keep-alive sockets and node:http, so the load generator
// spends less of the shared CPU than fetch would, and the numbers measure the server.
import http from 'node:http'
import { spawn, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'

const agent = new http.Agent({ keepAlive: true, maxSockets: 1024 })

export function postJson(port: number, path: string, body: unknown, retried = false): Promise<{ status: number; body: unknown }> {
  const payload = JSON.stringify(body)
  return new Promise((resolve, reject) => {
    const request = http.request(
      { host: '127.0.0.1', port, path, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } },
      (response) => {
        const chunks: Buffer[] = []
        response.on('data', (chunk: Buffer) => chunks.push(chunk))
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8')
          let parsed: unknown = text
          try {
            parsed = JSON.parse(text)
          } catch {
            // not JSON: keep the text
          }
          resolve({ status: response.statusCode ?? 0, body: parsed })
        })
        response.on('error', reject)
      },
    )
    // A kept-alive socket the server closed as it sat idle, just as this request went out (Node's
    // documented race): send once more on a fresh socket. Had the first one arrived, the repeat
    // gets a 409 (same base revision) and counts as refused, never as saved twice.
    request.on('error', (error: NodeJS.ErrnoException) => {
      if (!retried && request.reusedSocket && error.code === 'ECONNRESET') postJson(port, path, body, true).then(resolve, reject)
      else reject(error)
    })
    request.end(payload)
  })
}

export function getText(port: number, path: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request({ host: '127.0.0.1', port, path, method: 'GET', agent, headers }, (response) => {
      const chunks: Buffer[] = []
      response.on('data', (chunk: Buffer) => chunks.push(chunk))
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }))
      response.on('error', reject)
    })
    request.on('error', reject)
    request.end()
  })
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

/** Starts the built app (server.ts) against a database; BENCH_NODE_ARGS adds Node flags, e.g. --cpu-prof. */
export async function startApp(options: { uri: string; buildDir: string; env?: Record<string, string> }): Promise<{ port: number; stop(): Promise<void> }> {
  const port = await freePort()
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean)
  const app: ChildProcess = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'server.ts'], {
    env: { ...process.env, NODE_ENV: 'production', PORT: String(port), HOST: '127.0.0.1', MONGODB_URI: options.uri, SESSION_SECRET: 'bench-secret-bench-secret-bench-secret-0', DEMO_DATA: 'never', CLAUSEWISE_BUILD_DIR: options.buildDir, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  app.stdout!.on('data', (chunk) => (output += String(chunk)))
  app.stderr!.on('data', (chunk) => (output += String(chunk)))
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`app did not start:\n${output}`)), 60_000)
    app.stdout!.on('data', () => /ready on/.test(output) && (clearTimeout(timer), resolve()))
    app.once('exit', (code) => reject(new Error(`app exited with ${code}:\n${output}`)))
  })
  return {
    port,
    async stop() {
      if (app.exitCode !== null) return
      const exited = new Promise((resolve) => app.once('exit', resolve))
      app.kill('SIGTERM')
      await exited
    },
  }
}

export const percentile = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : NaN)
export const median = (values: number[]) => percentile([...values].sort((a, b) => a - b), 50)

/** A small seeded generator (mulberry32), so open-loop arrival times are the same on every run. */
export function seededRandom(seed: number) {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
