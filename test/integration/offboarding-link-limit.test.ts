// The data-return/deletion link (/o/:token) follows the incident link's rules: per link and per
// client address, a burst past the limit gets 429 with Retry-After, before the link is even looked up.
import { describe, expect, it } from 'vitest'
import { loader } from '~/routes/o.$token'

async function statusOf(token: string, clientAddress: string) {
  try {
    await loader({ request: new Request(`http://127.0.0.1/o/${token}`), params: { token }, context: { clientAddress } })
    return { status: 200, retryAfter: null }
  } catch (thrown) {
    const response = thrown as { init?: { status?: number; headers?: Record<string, string> } }
    return { status: response.init?.status ?? 0, retryAfter: response.init?.headers?.['Retry-After'] ?? null }
  }
}

describe('the offboarding link', () => {
  it('answers a burst on one link with 429 and Retry-After after 30 tries, while another link still gets its own answer', async () => {
    const token = 'A'.repeat(43)
    const statuses = []
    for (let i = 0; i < 32; i++) statuses.push((await statusOf(token, `127.0.1.${i}`)).status)
    expect(statuses.slice(0, 30).every((status) => status === 401)).toBe(true)
    const limited = await statusOf(token, '127.0.2.1')
    expect(limited.status).toBe(429)
    expect(Number(limited.retryAfter)).toBeGreaterThan(0)
    expect((await statusOf('B'.repeat(43), '127.0.3.1')).status).toBe(401)
  })

  it('limits one client address across links', async () => {
    const statuses = []
    for (let i = 0; i < 62; i++) statuses.push((await statusOf(`C${String(i).padStart(42, '0')}`, '127.0.4.7')).status)
    expect(statuses.slice(0, 60).every((status) => status === 401)).toBe(true)
    expect(statuses.at(-1)).toBe(429)
  })
})
