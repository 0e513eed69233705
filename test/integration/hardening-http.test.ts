// The outside probe's findings, replayed over real HTTP against the built app (docs/security.md).
import mongoose from 'mongoose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_PASSWORD, TEST_ADMIN, startApp, type RunningApp } from '../support/app-server'
import { httpClient } from '../support/browser'

let app: RunningApp
let database: mongoose.Connection
let procurement: ReturnType<typeof httpClient>
let token = ''
let openAssessmentId = ''

const form = (entries: Record<string, string> | [string, string][]) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(entries).toString(),
})

function multipart(fields: [string, string][], file: { field: string; name: string; type: string; bytes: Uint8Array }) {
  const body = new FormData()
  for (const [name, value] of fields) body.append(name, value)
  body.append(file.field, new Blob([file.bytes as Uint8Array<ArrayBuffer>], { type: file.type }), file.name)
  return { method: 'POST', body }
}

const PDF = new TextEncoder().encode('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n')

beforeAll(async () => {
  // https in APP_URL: cookies must be Secure whatever NODE_ENV says.
  app = await startApp('hardening', { APP_URL: 'https://clausewise.example' })
  database = await mongoose.createConnection(app.databaseUri).asPromise()
  procurement = httpClient(app.url)
  await procurement.signIn('procurement@clausewise.local', DEMO_PASSWORD)
  const open = await database.collection('assessments').find({ status: { $in: ['invited', 'in_progress'] } }).toArray()
  for (const assessment of open) {
    const mail = await database.collection('mail_messages').findOne({ 'related.id': String(assessment._id) })
    const match = /\/v\/([A-Za-z0-9_-]{43})/.exec(String(mail?.text ?? ''))
    if (match && (await fetch(`${app.url}/v/${match[1]}`)).status === 200) {
      token = match[1]!
      openAssessmentId = String(assessment._id)
      break
    }
  }
}, 120_000)

afterAll(async () => {
  await database?.close()
  await app?.stop()
})

describe('1. one request never freezes the server', () => {
  it('answers a sign-in with a huge array index at once, and others meanwhile', async () => {
    const started = performance.now()
    const [attack, other] = await Promise.all([
      fetch(`${app.url}/login`, form('email=a%40b.c&password=x&z.4294967294=1' as never)),
      fetch(`${app.url}/login`),
    ])
    expect(performance.now() - started).toBeLessThan(1500)
    expect(attack.status).toBe(400)
    expect(other.status).toBe(200)
  })
})

describe('2. no open redirect after sign-in or a language switch', () => {
  it.each(['/\t/evil.example', '/\n/evil.example', '/\r\n/evil.example', '/\u3000/evil.example', '//evil.example', '/\\evil.example', '/.//evil.example'])(
    'sign-in with redirectTo %j goes to /',
    async (redirectTo) => {
      const response = await fetch(`${app.url}/login`, { ...form({ email: TEST_ADMIN.email, password: TEST_ADMIN.password, redirectTo }), redirect: 'manual' })
      expect(response.status).toBe(302)
      expect(response.headers.get('location')).toBe('/')
      const language = await fetch(`${app.url}/language`, { ...form({ locale: 'en', redirectTo }), redirect: 'manual' })
      expect(language.status).toBe(302)
      expect(language.headers.get('location')).toBe('/')
    },
  )

  it('keeps a same-site path', async () => {
    const response = await fetch(`${app.url}/language`, { ...form({ locale: 'en', redirectTo: '/vendors?page=2' }), redirect: 'manual' })
    expect(response.headers.get('location')).toBe('/vendors?page=2')
  })
})

describe('4. malformed requests get a 4xx, never a 500', () => {
  it.each([
    ['application/json', '{"email":"a@b.c","password":"x"}', 415],
    ['text/plain', 'email=a@b.c', 415],
    ['application/xml', '<a/>', 415],
    ['multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="email"\r\n\r\na@b', 400],
    ['application/x-www-form-urlencoded', 'legalName.en=x&legalName.en.sub=1&email=a%40b.c&password=x', 400],
    ['application/x-www-form-urlencoded', `email=a%40b.c&password=x&a${'.b'.repeat(3000)}=1`, 400],
  ])('%s → %i', async (type, body, status) => {
    const response = await fetch(`${app.url}/login`, { method: 'POST', headers: { 'content-type': type }, body })
    expect(response.status).toBe(status)
    expect(await response.text()).not.toMatch(/\n\s+at |node_modules/)
  })

  it('refuses the same conflicting shape on a staff form with a field message', async () => {
    const response = await procurement.request('/vendors/new', form([['legalName.en', 'x'], ['legalName.en.sub', '1']]))
    expect(response.status).toBe(400)
  })

  it('refuses a cross-site post with 403', async () => {
    const evil = await fetch(`${app.url}/login`, { ...form({ email: 'a@b.c', password: 'x' }), headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' } })
    expect(evil.status).toBe(403)
    const fetchSite = await procurement.request('/language', { ...form({ locale: 'en' }), headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'cross-site' } })
    expect(fetchSite.status).toBe(403)
    const own = await fetch(`${app.url}/language`, { ...form({ locale: 'en' }), headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://clausewise.example', 'sec-fetch-site': 'same-origin' }, redirect: 'manual' })
    expect(own.status).toBe(302)
  })
})

describe('5. only real calendar days', () => {
  it.each(['9999-99-99', '2027-02-30', '2400-01-01'])('extending the due date to %s is refused with a field message and changes nothing', async (dueDate) => {
    const before = await database.collection('assessments').findOne({ _id: new mongoose.Types.ObjectId(openAssessmentId) })
    const response = await procurement.request(`/assessments/${openAssessmentId}?index`, form({ intent: 'extend', dueDate }))
    expect(response.status).toBe(400)
    expect(await response.text()).toMatch(/errors:date/)
    const after = await database.collection('assessments').findOne({ _id: new mongoose.Types.ObjectId(openAssessmentId) })
    expect(after).toEqual(before)
  })
})

describe('6. uploads with ordinary file names', () => {
  it('imports a CSV whose name has ";" and "="', async () => {
    const csv = new TextEncoder().encode('x,y\n1,2\n')
    const response = await procurement.request('/vendors/import', multipart([], { field: 'file', name: 'vendors;2025=a.csv', type: 'text/csv', bytes: csv }))
    expect(response.status).toBeLessThan(500)
    expect(response.status).not.toBe(415)
  })

  it('stores evidence named "a=b.pdf", and serves "statement.html" that is a PDF as statement.pdf', async () => {
    const ok = await fetch(`${app.url}/v/${token}/evidence`, multipart([['questionId', 'GOV-01']], { field: 'file', name: 'a=b.pdf', type: 'application/pdf', bytes: PDF }))
    expect(ok.status).toBe(200)
    const lying = await fetch(`${app.url}/v/${token}/evidence`, multipart([['questionId', 'GOV-01']], { field: 'file', name: 'statement.html', type: 'text/html', bytes: PDF }))
    expect(lying.status).toBe(200)
    const stored = (await lying.json()) as { evidence: { fileId: string; filename: string }[] }
    const file = stored.evidence.find((entry) => entry.filename.startsWith('statement'))!
    expect(file.filename).toBe('statement.pdf')
    const download = await fetch(`${app.url}/v/${token}/evidence/${file.fileId}`)
    expect(download.headers.get('content-type')).toBe('application/pdf')
    expect(download.headers.get('content-disposition')).toBe('attachment; filename="statement.pdf"')
    expect(download.headers.get('x-content-type-options')).toBe('nosniff')
  })
})

describe('7. empty-looking names', () => {
  it.each(['\u0000', '\uFFFD', 'a\u0007b'])('a vendor named %j is refused with a field message', async (name) => {
    const response = await procurement.request('/vendors/new', form([['legalName.zh-CN', name], ['category', 'other'], ['registration', 'foreign'], ['status', 'active']]))
    expect(response.status).toBe(400)
    expect(await response.text()).toMatch(/errors:text/)
  })
})

describe('8. headers', () => {
  it('a strict CSP whose nonce is on every inline script of the page', async () => {
    const response = await fetch(`${app.url}/login`)
    const policy = response.headers.get('content-security-policy') ?? ''
    const nonce = /script-src 'self' 'nonce-([^']+)'/.exec(policy)?.[1]
    expect(nonce).toBeTruthy()
    expect(policy).not.toMatch(/script-src[^;]*unsafe-inline/)
    expect(policy).toMatch(/frame-ancestors 'none'/)
    const html = await response.text()
    const scripts = [...html.matchAll(/<script\b([^>]*)>/g)].map((match) => match[1]!)
    expect(scripts.length).toBeGreaterThan(0)
    for (const attributes of scripts) expect(attributes).toContain(`nonce="${nonce}"`)
    const second = (await fetch(`${app.url}/login`)).headers.get('content-security-policy')
    expect(second).not.toBe(policy) // a fresh nonce per response
  })

  it('the CSV export is never sniffed, and cookies are Secure behind https', async () => {
    const exported = await procurement.request('/vendors/export.csv')
    expect(exported.status).toBe(200)
    expect(exported.headers.get('x-content-type-options')).toBe('nosniff')
    const signIn = await fetch(`${app.url}/login`, { ...form({ email: TEST_ADMIN.email, password: TEST_ADMIN.password }), redirect: 'manual' })
    expect(signIn.headers.getSetCookie().join('\n')).toMatch(/__clausewise_session=[^\n]*; Secure/i)
    const language = await fetch(`${app.url}/language`, { ...form({ locale: 'en' }), redirect: 'manual' })
    expect(language.headers.getSetCookie().join('\n')).toMatch(/clausewise_lng=[^\n]*; Secure/i)
  })
})

describe('9. the vendor never receives the scoring key', () => {
  it.each(['', '/questionnaire', '/submit'])('/v/:token%s carries no clause effects, tier or data profile', async (page) => {
    const response = await fetch(`${app.url}/v/${token}${page}`)
    expect(response.status).toBe(200)
    const html = await response.text()
    expect(html).not.toMatch(/\\?"effect\\?"|\\?"clause\\?"\s*:/)
    expect(html).not.toMatch(/effectiveTier|serviceCriticality|recordCount|\\?"sensitivity\\?"/)
    if (page === '/questionnaire') expect(html).toContain('GOV-01')
  })
})
