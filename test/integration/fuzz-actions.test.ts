// Every route action, found by listing app/routes (a new route is covered without editing this
// file), gets generated malformed requests for each role and for a vendor link. Each answer must
// be below 500, carry no stack or internal detail, come within 2 s, and — when it refuses (4xx) —
// leave the database exactly as it was. Seeded and bounded; prints how many cases ran.
import { createHash } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import fc from 'fast-check'
import mongoose from 'mongoose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_PASSWORD, TEST_ADMIN, startApp, type RunningApp } from '../support/app-server'
import { Agent } from 'undici'

const SEED = Number(process.env.FUZZ_SEED ?? 20261201)
const CASES_PER_ROUTE_AND_ROLE = Number(process.env.FUZZ_CASES ?? 2)
const TIME_LIMIT_MS = 2_000
const root = path.resolve(__dirname, '../..')

// Collections a refused request may still touch, and why:
// - sessions: none is created by a refusal, but the demo's own sign-ins live here;
// - sign_in_throttles: every sign-in attempt is counted before it is checked (that is the point);
// - agenda_jobs, agenda_logs: the scheduler runs in the background, on its own clock.
// In audit_events, sign-in attempts (auth.*) are left out: a refused sign-in is itself recorded.
// The event relay (webhooks:deliver job, every 30 s) copies recorded events to domain_events and
// deliveries, then pulls them from their document, at any moment: that is background work, not a
// request's write. An event is recorded in the same update as its change, which is still compared.
const IGNORED_COLLECTIONS = new Set(['sessions', 'sign_in_throttles', 'agenda_jobs', 'agenda_logs', 'domain_events', 'webhook_deliveries'])

// ---- The routes ----------------------------------------------------------------------------

interface ActionRoute {
  file: string
  pattern: string
  vendorLink: boolean
}

function routeUrlPattern(file: string): string {
  const name = file.replace(/\.tsx?$/, '')
  const segments = name.match(/(\[[^\]]*\]|[^.])+/g) ?? []
  const parts = segments
    .filter((segment) => segment !== '_index')
    .map((segment) => segment.replace(/_$/, ''))
    .filter((segment) => !segment.startsWith('_'))
    .map((segment) => segment.replace(/\[([^\]]*)\]/g, '$1'))
  return `/${parts.join('/')}${name.endsWith('_index') ? '?index' : ''}`
}

function actionRoutes(): ActionRoute[] {
  const dir = path.join(root, 'app', 'routes')
  return readdirSync(dir)
    .filter((file) => /\.tsx?$/.test(file))
    .filter((file) => /export\s+(async\s+function\s+action|const\s+action|\{[^}]*\baction\b[^}]*\})/.test(readFileSync(path.join(dir, file), 'utf8')))
    .map((file) => ({ file, pattern: routeUrlPattern(file), vendorLink: file.startsWith('v.$token') }))
}

/** Field names and intents the forms really use, so generated bodies reach past the first check. */
function knownVocabulary() {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory() ? walk(path.join(dir, entry.name)) : /\.tsx?$/.test(entry.name) ? [path.join(dir, entry.name)] : [],
    )
  const files = [path.join(root, 'app', 'routes'), path.join(root, 'app', 'modules')].flatMap(walk)
  const names = new Set<string>(['intent', 'email', 'password', 'redirectTo', 'locale', 'version', 'dueDate', 'dueAt', 'name', 'questionId', 'file', 'content'])
  const intents = new Set<string>()
  for (const file of files) {
    const source = readFileSync(file, 'utf8')
    for (const match of source.matchAll(/name="([A-Za-z][\w.-]{0,40})"/g)) names.add(match[1]!)
    for (const match of source.matchAll(/^\s{2,6}([a-z][A-Za-z]{1,30}): (?:z\.|optionalText|requiredText|calendarDay|manyOf|checkbox|day\b|objectId)/gm)) names.add(match[1]!)
    for (const match of source.matchAll(/z\.literal\('([a-zA-Z-]+)'\)/g)) intents.add(match[1]!)
  }
  return { names: [...names], intents: [...intents] }
}

// ---- Generated requests ----------------------------------------------------------------------

interface FuzzRequest {
  label: string
  contentType?: string
  body: string | Uint8Array
}

const NASTY_VALUES = [
  '', '0', '-1', '1e309', 'NaN', 'true', 'null', 'undefined', '[object Object]', '{"$gt":""}', '{"$where":"sleep(5000)"}',
  '9999-99-99', '2027-02-30', '0000-00-00', '\u0000', '\uFFFD', '\ud800', '\udfff', 'a\r\nLocation: /evil', '/\t/evil.example',
  '//evil.example', '\u3000', '<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', "'; DROP TABLE vendors; --",
  '64b000000000000000000001', 'x'.repeat(5000), '../../../../etc/passwd',
]
const NASTY_KEYS = [
  '__proto__', '__proto__.isAdmin', 'constructor.prototype.polluted', 'a[__proto__][b]', 'role[$gt]', 'email[$ne]', '$where', 'toString',
  'hasOwnProperty', 'legalName.en.sub', 'contacts.-1.email', 'contacts[]', 'contacts[999999999]', 'a..b', '.', '[', ']]', '0',
]

function keyArbitrary(names: string[]) {
  const name = fc.constantFrom(...names)
  return fc.oneof(
    { weight: 4, arbitrary: name },
    { weight: 2, arbitrary: fc.constantFrom(...NASTY_KEYS) },
    { weight: 2, arbitrary: fc.tuple(name, fc.constantFrom(4294967294, 100000000, 99999, 201, 7)).map(([base, index]) => `${base}.${index}`) },
    { weight: 1, arbitrary: fc.tuple(name, fc.constantFrom(4294967294, 201, 0)).map(([base, index]) => `${base}[${index}]`) },
    { weight: 1, arbitrary: fc.tuple(name, name).map(([a, b]) => `${a}.${b}`) },
    { weight: 1, arbitrary: fc.integer({ min: 10, max: 3000 }).map((depth) => `a${'.b'.repeat(depth)}`) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
  )
}

function valueArbitrary() {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...NASTY_VALUES) },
    { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
    { weight: 1, arbitrary: fc.integer().map(String) },
  )
}

const PDF = new TextEncoder().encode('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n')
const HTML = new TextEncoder().encode('<!doctype html><script>alert(1)</script>')
const CSV = new TextEncoder().encode('legal_name_zh,category\n测试,other\n')
const FILE_NAMES = ['vendors;2025.csv', 'a=b.pdf', 'statement.html', '../../etc/passwd', 'x"y.pdf', '合同.pdf', '\u0000.pdf', 'evil\u202egnp.exe', '']
const FILE_TYPES = ['application/pdf', 'text/html', 'image/png', 'text/csv', 'application/octet-stream', '']

function multipartBody(fields: [string, string][], files: { field: string; name: string; type: string; bytes: Uint8Array }[]) {
  const boundary = `----fuzz${Math.random().toString(36).slice(2)}`
  const chunks: Uint8Array[] = []
  const text = (value: string) => chunks.push(new TextEncoder().encode(value))
  for (const [name, value] of fields) text(`--${boundary}\r\nContent-Disposition: form-data; name="${name.replace(/"/g, '%22')}"\r\n\r\n${value}\r\n`)
  for (const file of files) {
    text(`--${boundary}\r\nContent-Disposition: form-data; name="${file.field}"; filename="${file.name.replace(/"/g, '%22')}"\r\n`)
    text(file.type ? `Content-Type: ${file.type}\r\n\r\n` : '\r\n')
    chunks.push(file.bytes)
    text('\r\n')
  }
  text(`--${boundary}--\r\n`)
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` }
}

function requestArbitrary(names: string[], intents: string[]): fc.Arbitrary<FuzzRequest> {
  const pairs = fc.tuple(
    fc.option(fc.constantFrom(...intents), { nil: undefined, freq: 3 }),
    fc.array(fc.tuple(keyArbitrary(names), valueArbitrary()), { minLength: 0, maxLength: 12 }),
  ).map(([intent, entries]) => (intent ? [['intent', intent] as [string, string], ...entries] : entries))
  const urlencoded = pairs.map((entries) => ({ label: 'form', contentType: 'application/x-www-form-urlencoded', body: new URLSearchParams(entries).toString() }))
  const conflicting = fc.tuple(fc.constantFrom(...names), valueArbitrary()).map(([name, value]) => ({
    label: 'value+sub-key',
    contentType: 'application/x-www-form-urlencoded',
    body: new URLSearchParams([[name, value], [`${name}.sub`, '1'], [`${name}[0]`, '2']]).toString(),
  }))
  const multipart = fc
    .tuple(pairs, fc.constantFrom('file', 'signedCopy', 'evidence'), fc.constantFrom(...FILE_NAMES), fc.constantFrom(...FILE_TYPES), fc.constantFrom(PDF, HTML, CSV, new Uint8Array()))
    .map(([entries, field, name, type, bytes]) => ({ label: `multipart ${JSON.stringify(name)}`, ...multipartBody(entries, [{ field, name, type, bytes }]) }))
  const truncated = fc.tuple(multipart, fc.double({ min: 0.05, max: 0.95, noNaN: true })).map(([request, cut]) => {
    const bytes = request.body as Buffer
    return { label: 'truncated multipart', contentType: request.contentType, body: bytes.subarray(0, Math.floor(bytes.length * cut)) }
  })
  const wrongType = fc.oneof(
    fc.jsonValue().map((value) => ({ label: 'json', contentType: 'application/json', body: JSON.stringify(value) })),
    fc.constant({ label: 'json operators', contentType: 'application/json', body: '{"email":{"$gt":""},"password":{"$ne":null},"__proto__":{"admin":true},"constructor":{"prototype":{"x":1}}}' }),
    fc.string().map((value) => ({ label: 'text', contentType: 'text/plain', body: value })),
    fc.constant({ label: 'xml', contentType: 'application/xml', body: '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>' }),
    fc.constant({ label: 'empty form', contentType: 'application/x-www-form-urlencoded', body: '' }),
    fc.constant({ label: 'empty multipart', contentType: 'multipart/form-data; boundary=nothing', body: '' }),
    fc.constant({ label: 'multipart without boundary', contentType: 'multipart/form-data', body: '--x\r\n' }),
    fc.constant({ label: 'no content type', contentType: undefined, body: 'a=1' }),
  )
  return fc.oneof({ weight: 5, arbitrary: urlencoded }, { weight: 1, arbitrary: conflicting }, { weight: 2, arbitrary: multipart }, { weight: 1, arbitrary: truncated }, { weight: 2, arbitrary: wrongType })
}

/** 1–10 MB strings, as a form field or as a file: one size per route, in turn. */
const LARGE_SIZES_MB = [1, 3, 6, 10]
function largeRequest(turn: number): FuzzRequest {
  const mb = LARGE_SIZES_MB[turn % LARGE_SIZES_MB.length]!
  return turn % 2 === 0
    ? { label: `${mb} MB field`, contentType: 'application/x-www-form-urlencoded', body: `name=${'a'.repeat(mb * 1024 * 1024)}` }
    : { label: `${mb} MB file`, ...multipartBody([['questionId', 'GOV-01']], [{ field: 'file', name: 'big.pdf', type: 'application/pdf', bytes: Buffer.concat([PDF, Buffer.alloc(mb * 1024 * 1024)]) }]) }
}

// ---- The app under test ------------------------------------------------------------------

let app: RunningApp
let database: mongoose.Connection
const clients = new Map<string, Client>()
// No connection reuse: a route that answers before reading a large body (sign-out) may close the
// socket, and the next request must not be lost to that race.
const noKeepAlive = new Agent({ pipelining: 0 })

/** A cookie-keeping client, like test/support/browser.ts's, on fresh connections. */
function client(baseUrl: string) {
  let cookie = ''
  async function request(path: string, init: RequestInit & { headers?: Record<string, string> } = {}) {
    const response = await fetch(baseUrl + path, { ...init, redirect: 'manual', headers: { ...init.headers, cookie }, dispatcher: noKeepAlive } as RequestInit)
    for (const entry of response.headers.getSetCookie()) {
      const [pair] = entry.split(';')
      const name = pair!.split('=')[0]
      cookie = [...cookie.split('; ').filter((c) => c && !c.startsWith(`${name}=`)), pair].join('; ')
    }
    return response
  }
  return {
    request,
    async signIn(email: string, password: string) {
      const response = await request('/login', { method: 'POST', body: new URLSearchParams({ email, password, redirectTo: '/' }) })
      if (response.status !== 302) throw new Error(`sign-in failed for ${email}: ${response.status}`)
    },
  }
}
type Client = ReturnType<typeof client>
const ROLES = [
  { role: 'anonymous', email: '', password: '' },
  { role: 'viewer', email: 'viewer@clausewise.local', password: DEMO_PASSWORD },
  { role: 'procurement', email: 'procurement@clausewise.local', password: DEMO_PASSWORD },
  { role: 'compliance', email: 'compliance@clausewise.local', password: DEMO_PASSWORD },
  { role: 'admin', email: TEST_ADMIN.email, password: TEST_ADMIN.password },
]
const params: Record<string, string> = {}

async function signedIn(role: (typeof ROLES)[number]) {
  const signed = client(app.url)
  if (role.email) await signed.signIn(role.email, role.password)
  clients.set(role.role, signed)
}

/** One hash per collection. GridFS chunks are left out: a stored file always has its files entry. */
async function databaseDigest(): Promise<Map<string, string>> {
  const digests = new Map<string, string>()
  const collections = (await database.db!.listCollections().toArray()).map((collection) => collection.name).sort()
  await Promise.all(
    collections
      .filter((name) => !IGNORED_COLLECTIONS.has(name) && !name.endsWith('.chunks'))
      .map(async (name) => {
        const hash = createHash('sha256')
        const filter = name === 'audit_events' ? { action: { $not: /^auth\./ } } : {}
        for (const { pendingEvents: _relayed, ...document } of await database.db!.collection(name).find(filter).sort({ _id: 1 }).toArray()) hash.update(mongoose.mongo.BSON.serialize(document))
        digests.set(name, hash.digest('hex'))
      }),
  )
  return digests
}

function changedCollections(before: Map<string, string>, after: Map<string, string>): string[] {
  const names = new Set([...before.keys(), ...after.keys()])
  return [...names].filter((name) => before.get(name) !== after.get(name))
}

/** After an accepted request, background work it started (a report batch, mail) runs to its end. */
async function settledDigest(): Promise<Map<string, string>> {
  // Quiet for 1.5 s in a row: a report batch renders one PDF after another, each under a second.
  let last = await databaseDigest()
  let quiet = 0
  for (let round = 0; round < 200 && quiet < 5; round++) {
    await new Promise((resolve) => setTimeout(resolve, 300))
    const next = await databaseDigest()
    quiet = changedCollections(last, next).length === 0 ? quiet + 1 : 0
    last = next
  }
  return last
}

beforeAll(async () => {
  app = await startApp('fuzz')
  database = await mongoose.createConnection(app.databaseUri).asPromise()
  // The start-up sweep issues and escalates the demo's due assessments: let it finish first, so
  // its writes are not taken for a refused request's.
  for (let i = 0; i < 150 && !/schedule sweep in \d+ ms/.test(app.logs()); i++) await new Promise((resolve) => setTimeout(resolve, 200))
  await settledDigest()
  for (const role of ROLES) await signedIn(role)
  // Real ids for the routes' parameters, from the demo data.
  const contract = await database.collection('contracts').findOne({})
  const assessment = await database.collection('assessments').findOne({})
  const finding = await database.collection('findings').findOne({})
  params.vendorId = String(contract?.vendorId ?? (await database.collection('vendors').findOne({}))?._id)
  params.contractId = String(contract?._id ?? '64b000000000000000000009')
  params.assessmentId = String(assessment?._id ?? '64b000000000000000000009')
  params.findingId = String(finding?._id ?? '64b000000000000000000009')
  const mails = await database.collection('mail_messages').find({}).sort({ createdAt: -1 }).toArray()
  for (const mail of mails) {
    const match = /\/v\/([A-Za-z0-9_-]{43})/.exec(String(mail.text ?? ''))
    if (!match) continue
    const open = await fetch(`${app.url}/v/${match[1]}`, { redirect: 'manual' })
    if (open.status === 200) {
      params.token = match[1]!
      break
    }
  }
}, 120_000)

afterAll(async () => {
  await database?.close()
  await app?.stop()
})

function urlFor(pattern: string) {
  return pattern.replace(/\$([A-Za-z]+)/g, (_, name: string) => params[name] ?? '64b000000000000000000009')
}

const STACK_OR_INTERNALS = /\n\s+at [^\n]+:\d+:\d+|node_modules|\/work\/|MongoServerError|MongooseError|E11000|TypeError|RangeError|ReferenceError|SyntaxError: |Cannot read propert/

describe('every route action survives malformed input', () => {
  it('answers < 500, without internals, within 2 s, and leaves the database untouched when it refuses', async () => {
    const routes = actionRoutes()
    expect(routes.length).toBeGreaterThan(10)
    expect(params.token, 'a vendor link from the demo outbox').toMatch(/^[A-Za-z0-9_-]{43}$/)
    const { names, intents } = knownVocabulary()
    const arbitrary = requestArbitrary(names, intents)
    const failures: string[] = []
    let cases = 0
    let refused = 0
    let before = await settledDigest()
    const suiteStarted = performance.now()
    let seed = SEED
    for (const route of routes) {
      const roles = route.vendorLink ? ROLES.slice(0, 1) : ROLES
      for (const role of roles) {
        const requests = fc.sample(arbitrary, { seed: seed++, numRuns: route.vendorLink ? CASES_PER_ROUTE_AND_ROLE * 3 : CASES_PER_ROUTE_AND_ROLE })
        if (role.role === 'admin' || route.vendorLink) requests.push(largeRequest(seed))
        for (const request of requests) {
          const url = urlFor(route.pattern)
          const started = performance.now()
          let status = 0
          let text = ''
          let location = ''
          try {
            const response = await clients.get(role.role)!.request(url, {
              method: 'POST',
              body: request.body as BodyInit,
              headers: request.contentType ? { 'content-type': request.contentType } : {},
              signal: AbortSignal.timeout(10_000),
            })
            status = response.status
            location = response.headers.get('location') ?? ''
            text = await response.text()
          } catch (error) {
            failures.push(`${urlFor(route.pattern)} as ${role.role}, ${request.label}: no answer (${String(error)})`)
            before = await settledDigest()
            continue
          }
          const elapsed = performance.now() - started
          cases++
          const digestStarted = performance.now()
          const sent = typeof request.body === 'string' ? request.body : Buffer.from(request.body).toString('latin1')
          const where = `${url} as ${role.role}, ${request.label} (${JSON.stringify(sent.slice(0, 160))})`
          if (status >= 500) failures.push(`${where}: ${status} ${text.slice(0, 200)}`)
          if (STACK_OR_INTERNALS.test(text)) failures.push(`${where}: internals in the body: ${text.match(STACK_OR_INTERNALS)?.[0]}`)
          if (elapsed > TIME_LIMIT_MS) failures.push(`${where}: took ${Math.round(elapsed)} ms`)
          // Sent to the sign-in page is a refusal too.
          if ((status >= 400 && status < 500) || location.startsWith('/login')) {
            refused++
            const after = await databaseDigest()
            const changed = changedCollections(before, after)
            if (changed.length) failures.push(`${where}: refused with ${status} but changed ${changed.join(', ')}`)
            before = after
          } else {
            before = await settledDigest()
          }
          if (process.env.FUZZ_DEBUG) console.log(`${status} ${Math.round(elapsed)}ms digest ${Math.round(performance.now() - digestStarted)}ms ${url} ${role.role} ${request.label}`)
          // Signing out (or a sign-in with odd input) may change this client's session: start it afresh.
          if (route.pattern === '/logout' || route.pattern === '/login') {
            await signedIn(role)
            before = await databaseDigest()
          }
        }
      }
    }
    console.log(`[fuzz] seed ${SEED}: ${cases} cases in ${Math.round((performance.now() - suiteStarted) / 1000)} s over ${routes.length} route actions × roles, ${refused} refused (4xx), ${failures.length} failures`)
    expect(failures.slice(0, 30)).toEqual([])
  }, 240_000)
})
