// The REST API's contract, through its real front door (handleApiRequest) on a real database:
// every operation refuses a token without its scope (403), unknown/expired/revoked tokens and
// cookie-only requests (401); keyset pages stay stable while vendors are added; problems name the
// field in both languages; a stale version is 409; calls are audited and rate-limited.
import { Types } from 'mongoose'
import { beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { ApiTokenModel } from '~models/api-token'
import { AuditEventModel } from '~models/audit-event'
import { FindingModel } from '~models/finding'
import { API_BASE, handleApiRequest, resetApiRateLimits } from '~/modules/api/handler.server'
import { API_OPERATIONS } from '~/modules/api/operations.server'
import { API_SCOPES, type ApiScope } from '~/modules/api/scopes'
import { createApiToken, hashToken, revokeApiToken } from '~/modules/api/tokens.server'
import type { SessionUser } from '~/modules/auth/session.server'
import { buildCreditCode } from '~/modules/vendors/credit-code'
import { domesticVendorInput, staffUser } from '../fixtures/vendors'
import { startTestAssessment, useFixtureLibrary } from './assessments-helpers'

let admin: SessionUser
let fullToken: string

beforeAll(async () => {
  useFixtureLibrary()
  admin = await staffUser('admin')
  fullToken = (await createApiToken({ name: 'GRC sync', scopes: [...API_SCOPES], lifetimeDays: 30 }, admin)).token
})
beforeEach(() => resetApiRateLimits())

function call(path: string, init: { method?: string; token?: string | null; body?: unknown; headers?: Record<string, string> } = {}) {
  const headers = new Headers(init.headers)
  const token = init.token === undefined ? fullToken : init.token
  if (token) headers.set('Authorization', `Bearer ${token}`)
  if (init.body !== undefined) headers.set('Content-Type', 'application/json')
  return handleApiRequest(new Request(`http://clausewise.test${API_BASE}${path}`, { method: init.method ?? 'GET', headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) }))
}

let codeCounter = 0
const uniqueCode = () => buildCreditCode('310115', `MA${String(100000 + ++codeCounter).slice(-6)}`)

async function createVendorViaApi(overrides: Record<string, unknown> = {}) {
  const response = await call('/vendors', { method: 'POST', body: domesticVendorInput({ creditCode: uniqueCode(), ...overrides }) })
  expect(response.status, await response.clone().text()).toBe(201)
  return (await response.json()) as { id: string; version: number }
}

/** A path for each operation with real ids, so a scoped token gets past routing to its scope. */
function concretePath(path: string) {
  return path.replace(/\{\w+\}/g, new Types.ObjectId().toHexString())
}

describe('tokens', () => {
  it('refuses a call without a token, with an unknown, expired or revoked one, and a staff cookie alone (401 problem)', async () => {
    const expired = await createApiToken({ name: 'old', scopes: ['vendors:read'], lifetimeDays: 7 }, admin)
    await ApiTokenModel.updateOne({ _id: expired.id }, { $set: { expiresAt: new Date(Date.now() - 1000) } })
    const revoked = await createApiToken({ name: 'revoked', scopes: ['vendors:read'], lifetimeDays: 7 }, admin)
    expect(await revokeApiToken(revoked.id, admin)).toBe(true)
    for (const token of [null, 'cw_unknownunknownunknown', expired.token, revoked.token]) {
      const response = await call('/vendors', { token })
      expect(response.status).toBe(401)
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/)
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/)
      expect(await response.json()).toMatchObject({ status: 401, type: 'urn:clausewise:problem:unauthorized' })
    }
    const cookieOnly = await call('/vendors', { token: null, headers: { Cookie: '__session=anything; clausewise_session=x' } })
    expect(cookieOnly.status).toBe(401)
  })

  it('stores only the SHA-256 of a token and records its last use', async () => {
    const { id, token } = await createApiToken({ name: 'hash check', scopes: ['vendors:read'], lifetimeDays: 7 }, admin)
    const stored = await ApiTokenModel.findById(id).lean()
    expect(stored!.tokenHash).toBe(hashToken(token))
    expect(JSON.stringify(stored)).not.toContain(token)
    expect(stored!.lastUsedAt).toBeUndefined()
    expect((await call('/vendors', { token })).status).toBe(200)
    expect((await ApiTokenModel.findById(id).lean())!.lastUsedAt).toBeInstanceOf(Date)
  })

  it('gives 403 to a token without the operation’s scope, for every operation, and lets the scoped one through', async () => {
    for (const operation of API_OPERATIONS) {
      const others = API_SCOPES.filter((scope) => scope !== operation.scope)
      const { token: without } = await createApiToken({ name: `no ${operation.scope}`, scopes: others as ApiScope[], lifetimeDays: 7 }, admin)
      const body = operation.body ? {} : undefined
      const refused = await call(concretePath(operation.path), { method: operation.method.toUpperCase(), token: without, body })
      expect(refused.status, `${operation.id} without ${operation.scope}`).toBe(403)
      expect(await refused.json()).toMatchObject({ type: 'urn:clausewise:problem:forbidden' })
      const { token: only } = await createApiToken({ name: `only ${operation.scope}`, scopes: [operation.scope], lifetimeDays: 7 }, admin)
      const allowed = await call(concretePath(operation.path), { method: operation.method.toUpperCase(), token: only, body })
      expect(allowed.status, `${operation.id} with ${operation.scope}`).not.toBe(403)
      expect(allowed.status).not.toBe(401)
      expect(allowed.status).toBeLessThan(500)
    }
  })

  it('gives 401 to an expired or revoked token, though it holds the scope, and to no token, for every operation', async () => {
    for (const operation of API_OPERATIONS) {
      const expired = await createApiToken({ name: `expired ${operation.id}`, scopes: [operation.scope], lifetimeDays: 7 }, admin)
      await ApiTokenModel.updateOne({ _id: expired.id }, { $set: { expiresAt: new Date(Date.now() - 1000) } })
      const revoked = await createApiToken({ name: `revoked ${operation.id}`, scopes: [operation.scope], lifetimeDays: 7 }, admin)
      expect(await revokeApiToken(revoked.id, admin)).toBe(true)
      const body = operation.body ? {} : undefined
      for (const [label, token] of [['expired', expired.token], ['revoked', revoked.token], ['no token', null]] as const) {
        const refused = await call(concretePath(operation.path), { method: operation.method.toUpperCase(), token, body })
        expect(refused.status, `${operation.id} with ${label}`).toBe(401)
        expect(refused.headers.get('www-authenticate')).toMatch(/^Bearer/)
        expect(await refused.json()).toMatchObject({ status: 401, type: 'urn:clausewise:problem:unauthorized' })
      }
      // Refused before anything ran: no call recorded for these tokens, no last use.
      expect(await AuditEventModel.countDocuments({ action: 'api.call', 'actor.id': { $in: [expired.id, revoked.id] } })).toBe(0)
      expect((await ApiTokenModel.find({ _id: { $in: [expired.id, revoked.id] } }).lean()).map((token) => token.lastUsedAt ?? null)).toEqual([null, null])
    }
  })

  it('audits every call by a token, and answers 429 with Retry-After past the per-token limit', async () => {
    const { id, token } = await createApiToken({ name: 'audited', scopes: ['vendors:read'], lifetimeDays: 7 }, admin)
    await call('/vendors?limit=1', { token })
    await call('/assessments', { token })
    const events = await AuditEventModel.find({ action: 'api.call', 'actor.id': id }).sort({ _id: 1 }).lean()
    expect(events.map((event) => [event.details?.operation, event.details?.status])).toEqual([
      ['listVendors', 200],
      ['listAssessments', 403],
    ])
    expect(events[0]!.actor).toMatchObject({ kind: 'user', label: 'api-token:audited' })
    const limit = 600
    let last: Response | undefined
    for (let i = 0; i < limit + 1; i++) last = await call('/incidents', { token })
    expect(last!.status).toBe(429)
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0)
  }, 120_000)
})

describe('vendors', () => {
  it('pages by cursor without repeating or skipping a vendor while vendors are added', async () => {
    for (let i = 0; i < 7; i++) await createVendorViaApi({ legalName: { 'zh-CN': `分页测试${i}`, en: `Paging ${i}` } })
    const seen: string[] = []
    let cursor: string | null = null
    let added = 0
    do {
      const response: Response = await call(`/vendors?q=${encodeURIComponent('paging')}&limit=3${cursor ? `&cursor=${cursor}` : ''}`)
      expect(response.status).toBe(200)
      const page = (await response.json()) as { data: { id: string }[]; nextCursor: string | null }
      seen.push(...page.data.map((vendor) => vendor.id))
      cursor = page.nextCursor
      // Someone adds a vendor between every page.
      if (added++ < 2) await createVendorViaApi({ legalName: { 'zh-CN': `分页新增${added}`, en: `Paging added ${added}` } })
    } while (cursor)
    expect(new Set(seen).size).toBe(seen.length)
    expect(seen.length).toBe(9)
    expect([...seen].sort()).toEqual(seen)
  })

  it('refuses a cursor it did not issue, naming the field', async () => {
    const response = await call('/vendors?cursor=not-a-cursor!!')
    expect(response.status).toBe(400)
    expect((await response.json()).errors).toEqual([expect.objectContaining({ field: 'cursor', pointer: '/cursor' })])
  })

  it('answers a validation problem with field paths in English and Chinese', async () => {
    const body = domesticVendorInput({ creditCode: uniqueCode(), dataProfile: { ...domesticVendorInput().dataProfile, recordCount: 'many' } })
    const english = await call('/vendors', { method: 'POST', body, headers: { 'Accept-Language': 'en-GB,en;q=0.9' } })
    expect(english.status).toBe(400)
    expect(english.headers.get('content-language')).toBe('en')
    const problem = await english.json()
    expect(problem).toMatchObject({ type: 'urn:clausewise:problem:validation', title: 'Invalid request', status: 400 })
    const field = problem.errors.find((error: { field: string }) => error.field === 'dataProfile.recordCount')
    expect(field).toMatchObject({ pointer: '/dataProfile/recordCount' })
    expect(field.detail).toMatch(/[a-z]/)
    const chinese = await (await call('/vendors', { method: 'POST', body, headers: { 'Accept-Language': 'zh-CN,zh;q=0.9' } })).json()
    expect(chinese.title).toBe('请求无效')
    const chineseField = chinese.errors.find((error: { field: string }) => error.field === 'dataProfile.recordCount')
    expect(chineseField.detail).toMatch(/[\u4e00-\u9fff]/)
    expect(chineseField.detail).not.toBe(field.detail)
  })

  it('updates with If-Match, answers 409 to a stale version and 428 without one', async () => {
    const vendor = await createVendorViaApi()
    const read = await call(`/vendors/${vendor.id}`)
    expect(read.headers.get('etag')).toBe('"0"')
    const input = domesticVendorInput({ creditCode: undefined })
    const stored = (await read.json()) as { creditCode: string }
    const body = { ...input, creditCode: stored.creditCode, services: 'Changed through the API' }
    const updated = await call(`/vendors/${vendor.id}`, { method: 'PUT', body, headers: { 'If-Match': '"0"' } })
    expect(updated.status, await updated.clone().text()).toBe(200)
    expect(updated.headers.get('etag')).toBe('"1"')
    expect((await updated.json()).services).toBe('Changed through the API')
    const stale = await call(`/vendors/${vendor.id}`, { method: 'PUT', body, headers: { 'If-Match': '"0"' } })
    expect(stale.status).toBe(409)
    expect(await stale.json()).toMatchObject({ type: 'urn:clausewise:problem:version-conflict' })
    expect((await call(`/vendors/${vendor.id}`, { method: 'PUT', body })).status).toBe(428)
    const audit = await AuditEventModel.findOne({ action: 'vendor.update', 'subject.id': vendor.id }).lean()
    expect(audit!.actor).toMatchObject({ label: 'api-token:GRC sync' })
  })

  it('refuses a body that is not JSON, too large, or not an object', async () => {
    const text = await handleApiRequest(new Request(`http://clausewise.test${API_BASE}/vendors`, { method: 'POST', headers: { Authorization: `Bearer ${fullToken}`, 'Content-Type': 'text/plain' }, body: 'x' }))
    expect(text.status).toBe(415)
    const large = await call('/vendors', { method: 'POST', body: { services: 'x'.repeat(300_000) } })
    expect(large.status).toBe(413)
    const broken = await handleApiRequest(new Request(`http://clausewise.test${API_BASE}/vendors`, { method: 'POST', headers: { Authorization: `Bearer ${fullToken}`, 'Content-Type': 'application/json' }, body: '{"a":' }))
    expect(broken.status).toBe(400)
    expect((await call('/vendors', { method: 'POST', body: ['a'] })).status).toBe(400)
  })
})

describe('assessments and findings', () => {
  it('lists and reads an assessment with its score and findings, and changes a finding’s status with a justification', async () => {
    const { assessmentId, vendor } = await startTestAssessment()
    const list = await (await call(`/assessments?vendorId=${vendor._id.toString()}`)).json()
    expect(list.data.map((row: { id: string }) => row.id)).toEqual([assessmentId])
    const detail = await (await call(`/assessments/${assessmentId}`)).json()
    expect(detail).toMatchObject({ id: assessmentId, status: 'invited', findings: [] })
    expect(detail).toHaveProperty('score')

    const finding = await FindingModel.create({
      assessmentId: new Types.ObjectId(assessmentId),
      vendorId: vendor._id,
      vendorName: { 'zh-CN': '测试', en: 'Test' },
      key: 'clause:PRIV-01',
      source: { kind: 'clause', clauseId: 'PRIV-01' },
      severity: 'high',
      computedSeverity: 'high',
      title: { 'zh-CN': '缺少', en: 'Missing' },
      remediation: { 'zh-CN': '', en: 'Fix it' },
      owner: 'vendor',
      dueAt: new Date(Date.now() + 30 * 86_400_000),
      status: 'open',
      version: 0,
    })
    const id = String(finding._id)
    expect((await call(`/findings/${id}`)).headers.get('etag')).toBe('"0"')
    const missingJustification = await call(`/findings/${id}`, { method: 'PATCH', body: { status: 'closed' }, headers: { 'If-Match': '"0"' } })
    expect(missingJustification.status).toBe(400)
    expect((await missingJustification.json()).errors).toEqual([expect.objectContaining({ field: 'comment' })])
    const closed = await call(`/findings/${id}`, { method: 'PATCH', body: { status: 'closed', comment: 'Vendor sent the signed DPA' }, headers: { 'If-Match': '"0"' } })
    expect(closed.status, await closed.clone().text()).toBe(200)
    expect(await closed.json()).toMatchObject({ status: 'closed', version: 1 })
    const stale = await call(`/findings/${id}`, { method: 'PATCH', body: { status: 'open', comment: 'Reopen' }, headers: { 'If-Match': '"0"' } })
    expect(stale.status).toBe(409)
    const listed = await (await call(`/findings?status=closed&vendorId=${vendor._id.toString()}`)).json()
    expect(listed.data.map((row: { id: string }) => row.id)).toEqual([id])
  })

  it('serves the OpenAPI document without a token, with every operation in it', async () => {
    const response = await call('/openapi.json', { token: null })
    expect(response.status).toBe(200)
    const document = await response.json()
    expect(document.openapi).toBe('3.1.0')
    for (const operation of API_OPERATIONS) expect(document.paths[operation.path][operation.method].operationId).toBe(operation.id)
    expect(document.paths['/vendors'].post.requestBody.content['application/json'].schema.required).toContain('dataProfile')
  })
})
