import { createHmac } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { signatureHeader, verifySignature } from '~/modules/webhooks/signature.server'
import { addressAllowed, targetProblem } from '~/modules/webhooks/target.server'

describe('webhook signature', () => {
  const secret = 'whsec_test-secret-test-secret'
  const body = '{"id":"e1","kind":"vendor.created"}'
  const now = new Date('2026-12-02T09:00:00Z')
  const timestamp = Math.floor(now.getTime() / 1000)

  it('is HMAC-SHA256 over "timestamp.body", hex, as v1=', () => {
    const expected = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')
    expect(signatureHeader(secret, timestamp, body)).toBe(`v1=${expected}`)
  })

  it('verifies the header it made, and refuses another body, secret, or an old timestamp', () => {
    const header = signatureHeader(secret, timestamp, body)
    expect(verifySignature({ secret, header, timestamp: String(timestamp), body, now })).toBe(true)
    expect(verifySignature({ secret, header, timestamp: String(timestamp), body: body + ' ', now })).toBe(false)
    expect(verifySignature({ secret: 'other', header, timestamp: String(timestamp), body, now })).toBe(false)
    expect(verifySignature({ secret, header, timestamp: String(timestamp), body, now: new Date(now.getTime() + 301_000) })).toBe(false)
    expect(verifySignature({ secret, header: 'v1=zz', timestamp: String(timestamp), body, now })).toBe(false)
  })
})

describe('webhook targets', () => {
  it.each([
    ['8.8.8.8', [], true],
    ['127.0.0.1', [], false],
    ['127.0.0.1', ['loopback'], true],
    ['10.1.2.3', [], false],
    ['10.1.2.3', ['private'], true],
    ['169.254.169.254', ['private', 'loopback'], false],
    ['::ffff:10.0.0.1', [], false],
    ['::1', ['loopback'], true],
    ['fe80::1', ['private', 'loopback'], false],
  ] as const)('%s with %j allowed: %s', (address, allow, allowed) => {
    expect(addressAllowed(address, allow)).toBe(allowed)
  })

  it('takes http and https URLs without credentials', () => {
    expect(targetProblem('https://hooks.example.com/clausewise', [])).toBeNull()
    expect(targetProblem('ftp://hooks.example.com/', [])).toBe('scheme')
    expect(targetProblem('https://user:pw@hooks.example.com/', [])).toBe('credentials')
    expect(targetProblem('http://localhost:8080/', [])).toBe('addressNotAllowed')
    expect(targetProblem('http://[::1]:8080/', ['loopback'])).toBeNull()
  })
})
