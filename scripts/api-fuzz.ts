// `npm run test:api-fuzz`: schemathesis (a fuzzer nobody here wrote, from PyPI) against the served
// OpenAPI document (docs/decisions/049-api-fuzzing-with-schemathesis.md). It installs schemathesis
// into .venv-tools/ when missing, starts the built app on a disposable database on an embedded
// mongo-java-server with the demo data, mints a token with every scope through the tokens module,
// runs `st run` with a fixed seed and a bounded budget, and prints the cases run and every failure.
// Exit status: 0 when schemathesis found nothing and no body carried a stack trace.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { startEmbeddedMongo } from './embedded-db/launch'

const SCHEMATHESIS_VERSION = '4.32.5'
/** Fixed, so a failure found in CI is found again on a laptop. */
const SEED = 19049
/** Test cases per operation and phase: ~1,500 cases, 2–3 minutes on 2 cores. */
const MAX_EXAMPLES = Number(process.env.API_FUZZ_MAX_EXAMPLES ?? 40)
const CHECKS = [
  'not_a_server_error',
  'status_code_conformance',
  'content_type_conformance',
  'response_headers_conformance',
  'response_schema_conformance',
  'negative_data_rejection',
  'ignored_auth',
  'unsupported_method',
  'no_stack_trace', // ours: scripts/api-fuzz/hooks.py
]

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const venv = path.join(root, '.venv-tools')
const st = path.join(venv, 'bin', 'st')
const reportDir = path.join(root, 'test-results', 'api-fuzz')

function run(command: string, args: string[], options: { quiet?: boolean } = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: options.quiet ? 'pipe' : 'inherit', encoding: 'utf8' })
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${result.status}${options.quiet ? `:\n${result.stdout}${result.stderr}` : ''}`)
  return result.stdout
}

/** Whether `python` runs and is 3.12 or newer. */
function isRecentPython(python: string): boolean {
  const result = spawnSync(python, ['-c', 'import sys; print(sys.version_info >= (3, 12))'], { encoding: 'utf8' })
  return result.status === 0 && result.stdout.trim() === 'True'
}

/**
 * The interpreter for the tool's venv: API_FUZZ_PYTHON, else the newest 3.12+ found (on PATH or
 * under pyenv), else python3. CPython 3.11 can fail inside hypothesis's ast.parse ("AST constructor
 * recursion depth mismatch"), which schemathesis reports as errors of its own.
 */
function pythonForVenv(): string {
  if (process.env.API_FUZZ_PYTHON) return process.env.API_FUZZ_PYTHON
  const candidates = ['python3.13', 'python3.12']
  const pyenvRoot = spawnSync('pyenv', ['root'], { encoding: 'utf8' })
  if (pyenvRoot.status === 0) {
    const versions = path.join(pyenvRoot.stdout.trim(), 'versions')
    if (existsSync(versions)) {
      const recent = readdirSync(versions)
        .filter((name) => /^3\.(1[2-9])\.\d+$/.test(name))
        .sort((a, b) => b.localeCompare(a, 'en', { numeric: true }))
      candidates.push(...recent.map((name) => path.join(versions, name, 'bin', 'python3')))
    }
  }
  return candidates.find(isRecentPython) ?? 'python3'
}

/** The pinned schemathesis in .venv-tools/, installed by pip when missing, of another version or on an old Python. */
function ensureSchemathesis() {
  const python = path.join(venv, 'bin', 'python')
  const installed = existsSync(st) ? spawnSync(st, ['--version'], { encoding: 'utf8' }).stdout : ''
  const base = pythonForVenv()
  if (installed.includes(SCHEMATHESIS_VERSION) && (isRecentPython(python) || !isRecentPython(base))) return
  console.log(`[api-fuzz] installing schemathesis ${SCHEMATHESIS_VERSION} into .venv-tools/ (${base})`)
  if (existsSync(venv)) rmSync(venv, { recursive: true, force: true })
  run(base, ['-m', 'venv', venv])
  run(path.join(venv, 'bin', 'pip'), ['install', '--disable-pip-version-check', '--quiet', `schemathesis==${SCHEMATHESIS_VERSION}`])
}

interface App {
  url: string
  logs: () => string
  stop: () => Promise<void>
}

/** The built app (server.ts), as test/support/app-server.ts starts it for the browser tests. */
async function startApp(databaseUri: string, env: Record<string, string>): Promise<App> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server.ts'], {
    cwd: root,
    env: { ...process.env, ...env, NODE_ENV: 'production', PORT: '0', HOST: '127.0.0.1', MONGODB_URI: databaseUri, DEMO_DATA: 'always' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout.on('data', (chunk) => (output += String(chunk)))
  child.stderr.on('data', (chunk) => (output += String(chunk)))
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the app did not start:\n${output}`)), 90_000)
    child.stdout.on('data', () => {
      const match = /ready on (http:\/\/\S+)/.exec(output)
      if (match) {
        clearTimeout(timer)
        resolve(match[1]!.replace('localhost', '127.0.0.1'))
      }
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`the app exited with ${code}:\n${output}`))
    })
  })
  return {
    url,
    logs: () => output,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve()
        child.once('exit', () => resolve())
        child.kill('SIGTERM')
      }),
  }
}

/** A token with every read and write scope, minted by the tokens module as an admin would. */
async function mintToken(): Promise<string> {
  const { connectDb, disconnectDb } = await import('../app/db.server')
  const { createApiToken } = await import('../app/modules/api/tokens.server')
  const { API_SCOPES } = await import('../app/modules/api/scopes')
  await connectDb()
  try {
    const admin = { id: '000000000000000000000001', email: 'api-fuzz@clausewise.local', name: 'API fuzz', role: 'admin' as const, locale: 'en' as const }
    return (await createApiToken({ name: 'schemathesis', scopes: [...API_SCOPES], lifetimeDays: 7 }, admin)).token
  } finally {
    await disconnectDb()
  }
}

interface Report {
  running_time: number
  exit_code: number
  operations: { total: number; tested: number; errored: number; skipped: number } | null
  test_cases: { generated: number; with_failures: number; unique_failures: number; errored: number }
  failures: { type: string; title: string; count: number; operations: string[] }[]
  errors: { title: string; count: number }[]
}

async function main() {
  const started = Date.now()
  ensureSchemathesis()
  if (process.argv.includes('--install-only')) return
  if (!existsSync(path.join(root, 'build', 'server', 'index.js'))) {
    console.log('[api-fuzz] building the app')
    run('npx', ['remix', 'vite:build'], { quiet: true })
  }

  const mongo = await startEmbeddedMongo()
  const databaseUri = `${mongo.uri}/clausewise_api_fuzz_${Date.now()}`
  const env = {
    SESSION_SECRET: 'api-fuzz-secret-api-fuzz-secret-0123456789',
    TOTP_ENCRYPTION_KEY: 'fedcba9876543210'.repeat(4),
    ADMIN_EMAIL: 'admin@api-fuzz.clausewise.local',
    ADMIN_PASSWORD: 'api-fuzz-admin-password',
    TWO_FACTOR_REQUIRED_ROLES: 'none',
    // The per-token limit is documented (429) and tested by the contract tests; here it would
    // answer most cases with 429 and test nothing else.
    API_RATE_LIMIT_PER_MINUTE: '1000000',
  }
  let app: App | null = null
  let status = 1
  try {
    app = await startApp(databaseUri, env)
    Object.assign(process.env, env, { MONGODB_URI: databaseUri })
    const token = await mintToken()
    console.log(`[api-fuzz] app on ${app.url}; schemathesis ${SCHEMATHESIS_VERSION}, seed ${SEED}, ${MAX_EXAMPLES} examples per operation`)

    rmSync(reportDir, { recursive: true, force: true })
    mkdirSync(reportDir, { recursive: true })
    const args = [
      '--config-file',
      path.join(root, 'scripts', 'api-fuzz', 'schemathesis.toml'),
      'run',
      `${app.url}/api/v1/openapi.json`,
      '--header',
      `Authorization: Bearer ${token}`,
      '--checks',
      process.env.API_FUZZ_CHECKS ?? CHECKS.join(','),
      '--seed',
      String(SEED),
      '--max-examples',
      String(MAX_EXAMPLES),
      '--generation-database',
      'none',
      '--workers',
      '2',
      '--request-timeout',
      '10',
      '--max-response-time',
      '5',
      '--no-color',
      '--report',
      'json',
      '--report-dir',
      reportDir,
      '--report-json-path',
      path.join(reportDir, 'report.json'),
    ]
    // schemathesis prints a pytest-style closing banner; it goes to a log file (shown in full only
    // when the run fails) so that CI's output ends with the test runner's own summary.
    const logPath = path.join(reportDir, 'schemathesis.log')
    const fuzz = spawnSync(st, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, env: { ...process.env, SCHEMATHESIS_HOOKS: path.join(root, 'scripts', 'api-fuzz', 'hooks.py'), API_FUZZ_CACHE_DIR: path.join(reportDir, 'cache') } })
    writeFileSync(logPath, `${fuzz.stdout ?? ''}${fuzz.stderr ?? ''}`)
    status = fuzz.status ?? 1
    if (status !== 0) process.stdout.write(`${fuzz.stdout ?? ''}${fuzz.stderr ?? ''}`)

    const report = JSON.parse(readFileSync(path.join(reportDir, 'report.json'), 'utf8')) as Report
    const serverErrors = app
      .logs()
      .split('\n')
      .filter((line) => line.startsWith('[api]'))
    console.log('')
    console.log(`[api-fuzz] ${report.test_cases.generated} cases on ${report.operations?.tested ?? 0} of ${report.operations?.total ?? 0} operations in ${Math.round(report.running_time)} s (whole run ${Math.round((Date.now() - started) / 1000)} s)`)
    console.log(`[api-fuzz] cases with failures: ${report.test_cases.with_failures}, unique failures: ${report.test_cases.unique_failures}, errored: ${report.test_cases.errored}`)
    for (const failure of report.failures) console.log(`[api-fuzz]   ${failure.count} × ${failure.title} (${failure.type}) — ${failure.operations.join(', ')}`)
    for (const error of report.errors) console.log(`[api-fuzz]   error: ${error.count} × ${error.title}`)
    // On CPython < 3.12 hypothesis can fail inside ast.parse (see pythonForVenv): the tool's own
    // errors, not the API's, so they do not fail the run there; failures always do.
    const onlyToolErrors = status !== 0 && report.failures.length === 0 && report.errors.length > 0
    if (onlyToolErrors && !isRecentPython(path.join(venv, 'bin', 'python'))) {
      console.log('[api-fuzz] WARNING: schemathesis reported errors of its own on a Python older than 3.12; install Python 3.12+ (API_FUZZ_PYTHON) for a full run')
      status = 0
    }
    if (serverErrors.length > 0) {
      console.log(`[api-fuzz] the app logged ${serverErrors.length} failed calls:`)
      for (const line of serverErrors.slice(0, 20)) console.log(`[api-fuzz]   ${line}`)
      status ||= 1
    }
    console.log(`[api-fuzz] ${status === 0 ? 'passed' : 'FAILED'}; report and schemathesis's output in ${path.relative(root, reportDir)}/`)
  } finally {
    await app?.stop()
    await mongo.stop()
  }
  process.exit(status)
}

main().catch((error: unknown) => {
  console.error('[api-fuzz]', error)
  process.exit(1)
})
