// What Remix cannot route under /api/v1, answered by the API's own Node handler ahead of Remix
// (app/modules/api/node-route.server.ts), through a real HTTP server on loopback: cases schemathesis
// found (docs/decisions/049-api-fuzzing-with-schemathesis.md).
import { createServer, request, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { resetApiRateLimits } from '~/modules/api/handler.server'
import { apiNodeHandler } from '~/modules/api/node-route.server'
import { API_SCOPES } from '~/modules/api/scopes'
import { createApiToken } from '~/modules/api/tokens.server'
import { staffUser } from '../fixtures/vendors'

let server: Server
let port: number
let token: string

beforeAll(async () => {
  token = (await createApiToken({ name: 'node route', scopes: [...API_SCOPES], lifetimeDays: 30 }, await staffUser('admin'))).token
  resetApiRateLimits()
  // What the handler passes on, Remix would answer: 418 marks it here.
  server = createServer((req, res) =>
    apiNodeHandler(req, res, () => {
      res.statusCode = 418
      res.end('remix')
    }),
  )
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  port = (server.address() as AddressInfo).port
})
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

function send(method: string, path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = request({ host: '127.0.0.1', port, method, path, headers }, (response) => {
      let body = ''
      response.on('data', (chunk) => (body += String(chunk)))
      response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers, body }))
    })
    outgoing.on('error', reject)
    outgoing.end()
  })
}

describe('the API’s Node route', () => {
  it('answers TRACE and QUERY with a 405 problem that names the allowed methods', async () => {
    for (const method of ['TRACE', 'QUERY']) {
      const answer = await send(method, '/api/v1/vendors', { Authorization: `Bearer ${token}` })
      expect(answer.status).toBe(405)
      expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/)
      expect(answer.headers.allow).toBe('GET, POST')
      expect(JSON.parse(answer.body)).toMatchObject({ type: 'urn:clausewise:problem:method-not-allowed', status: 405, instance: '/api/v1/vendors' })
    }
    const zh = await send('TRACE', '/api/v1/findings/0123456789abcdef01234567', { 'Accept-Language': 'zh-CN' })
    expect(zh.headers.allow).toBe('GET, PATCH')
    expect(zh.headers['content-language']).toBe('zh-CN')
    expect((await send('TRACE', '/api/v1/nothing-here')).status).toBe(404)
  })

  it('answers a path with an encoded line break as the API would (404 problem, 401 without a token)', async () => {
    const answer = await send('GET', '/api/v1/vendors/%0D%0Aabc/contracts', { Authorization: `Bearer ${token}` })
    expect(answer.status).toBe(404)
    expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/)
    expect(answer.body).not.toMatch(/<html/i)
    expect((await send('GET', '/api/v1/vendors/%0Aabc/contracts')).status).toBe(401)
  })

  it('passes every other request on to Remix', async () => {
    expect((await send('GET', '/api/v1/vendors')).status).toBe(418)
    expect((await send('PATCH', '/api/v1/findings/0123456789abcdef01234567')).status).toBe(418)
  })
})
