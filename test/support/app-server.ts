import { spawn } from 'node:child_process'
import { createServer } from 'node:net'
import { inject } from 'vitest'

export const TEST_ADMIN = { email: 'admin@test.clausewise.local', password: 'admin-password-for-tests' }
export const DEMO_PASSWORD = 'clausewise-demo'

export interface RunningApp {
  url: string
  databaseUri: string
  logs: () => string
  stop: () => Promise<void>
}

/** A port free on loopback now, for an app whose links (APP_URL) must name its port before it starts. */
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

/**
 * Starts the built app (server.ts, as `npm run serve` does) against its own database on the
 * test run's embedded server, seeded with the demo data. `npm test` builds the app first.
 */
export async function startApp(name: string, extraEnv: Record<string, string> = {}): Promise<RunningApp> {
  const databaseUri = `${inject('mongoUri')}/clausewise_e2e_${name}_${Date.now()}`
  const child = spawn(process.execPath, ['--import', 'tsx', 'server.ts'], {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PORT: '0',
      HOST: '127.0.0.1',
      MONGODB_URI: databaseUri,
      SESSION_SECRET: 'e2e-secret-e2e-secret-e2e-secret-012345',
      ADMIN_EMAIL: TEST_ADMIN.email,
      ADMIN_PASSWORD: TEST_ADMIN.password,
      DEMO_DATA: 'always',
      TOTP_ENCRYPTION_KEY: 'fedcba9876543210'.repeat(4),
      // The demo's admin and compliance users sign in with a password in other features' tests.
      TWO_FACTOR_REQUIRED_ROLES: 'none',
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout.on('data', (chunk) => (output += String(chunk)))
  child.stderr.on('data', (chunk) => (output += String(chunk)))
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`app did not start:\n${output}`)), 60_000)
    child.stdout.on('data', () => {
      const match = /ready on (http:\/\/\S+)/.exec(output)
      if (match) {
        clearTimeout(timer)
        resolve(match[1]!.replace('localhost', '127.0.0.1'))
      }
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`app exited with ${code}:\n${output}`))
    })
  })
  return {
    url,
    databaseUri,
    logs: () => output,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve()
        child.once('exit', () => resolve())
        child.kill('SIGTERM')
      }),
  }
}
