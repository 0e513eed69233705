// One signed POST to a receiver, with a hard timeout and the network guard applied to every
// address the request would connect to (target.ts). Redirects are not followed: a 3xx is a failure.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns'
import http from 'node:http'
import https from 'node:https'
import { isIP, type LookupFunction } from 'node:net'
import { addressAllowed, type OptionalNetwork } from './target.server'

export type PostOutcome = { statusCode: number; response: string; durationMs: number } | { error: string; durationMs: number }

const RESPONSE_EXCERPT = 300
const MAX_RESPONSE_BYTES = 64 * 1024

class AddressNotAllowed extends Error {
  constructor(host: string) {
    super(`address of ${host} is not allowed for webhooks (see WEBHOOK_ALLOW_NETWORKS)`)
    this.name = 'AddressNotAllowed'
  }
}

function guardedLookup(allow: readonly OptionalNetwork[]): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 0)
      const allowed = addresses.filter((entry) => addressAllowed(entry.address, allow))
      if (allowed.length === 0) return callback(new AddressNotAllowed(hostname), '', 0)
      // dns.lookup's callback takes a list when `all` is set; Node's types describe only the single-address form.
      if ((options as { all?: boolean }).all) return (callback as unknown as (error: null, addresses: LookupAddress[]) => void)(null, allowed)
      callback(null, allowed[0]!.address, allowed[0]!.family)
    })
  }
}

export function postSigned(target: string, body: string, headers: Record<string, string>, options: { timeoutMs: number; allow: readonly OptionalNetwork[] }): Promise<PostOutcome> {
  const started = Date.now()
  const elapsed = () => Date.now() - started
  return new Promise((resolve) => {
    let url: URL
    try {
      url = new URL(target)
    } catch {
      return resolve({ error: 'invalid URL', durationMs: 0 })
    }
    const host = url.hostname.replace(/^\[|\]$/g, '')
    // Node connects to an address literal without a lookup: check it here.
    if (isIP(host) && !addressAllowed(host, options.allow)) return resolve({ error: new AddressNotAllowed(host).message, durationMs: 0 })
    const client = url.protocol === 'https:' ? https : url.protocol === 'http:' ? http : null
    if (!client) return resolve({ error: `scheme ${url.protocol} is not allowed`, durationMs: 0 })
    let settled = false
    const finish = (outcome: PostOutcome) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      resolve(outcome)
    }
    const request = client.request(
      url,
      {
        method: 'POST',
        lookup: guardedLookup(options.allow),
        headers: { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)), 'User-Agent': 'Clausewise-Webhooks/1', ...headers },
        agent: false,
      },
      (response) => {
        const chunks: Buffer[] = []
        let size = 0
        response.on('data', (chunk: Buffer) => {
          size += chunk.length
          if (size <= MAX_RESPONSE_BYTES) chunks.push(chunk)
          else response.destroy()
        })
        const done = () => finish({ statusCode: response.statusCode ?? 0, response: Buffer.concat(chunks).toString('utf8').slice(0, RESPONSE_EXCERPT), durationMs: elapsed() })
        response.on('end', done)
        response.on('close', done)
        response.on('error', done)
      },
    )
    // One deadline for the whole exchange (connect, send, answer), well inside the claim's lease.
    const timer = setTimeout(() => {
      finish({ error: `no answer within ${options.timeoutMs} ms`, durationMs: elapsed() })
      request.destroy()
    }, options.timeoutMs)
    request.on('error', (error) => finish({ error: error.message, durationMs: elapsed() }))
    request.end(body)
  })
}
