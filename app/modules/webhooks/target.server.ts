// Where webhooks may go (docs/decisions/040-webhook-targets.md). Pure: the URL rule the form and
// the delivery share, and the address classification the delivery's DNS lookup applies to every
// address it would connect to (so a name that resolves, or re-resolves, to an inside address is
// refused at the moment of connecting, not only when the endpoint was saved).
import { BlockList, isIP } from 'node:net'

/** Networks an installation may open up with WEBHOOK_ALLOW_NETWORKS (comma-separated). */
export const OPTIONAL_NETWORKS = ['private', 'loopback'] as const
export type OptionalNetwork = (typeof OPTIONAL_NETWORKS)[number]

function list(entries: [string, number, 'ipv4' | 'ipv6'][]): BlockList {
  const blocks = new BlockList()
  for (const [network, prefix, family] of entries) blocks.addSubnet(network, prefix, family)
  return blocks
}

// Never: "this host", link-local (cloud metadata at 169.254.169.254), multicast, reserved, broadcast.
const NEVER = list([
  ['0.0.0.0', 8, 'ipv4'],
  ['169.254.0.0', 16, 'ipv4'],
  ['224.0.0.0', 4, 'ipv4'],
  ['240.0.0.0', 4, 'ipv4'],
  ['::', 128, 'ipv6'],
  ['fe80::', 10, 'ipv6'],
  ['ff00::', 8, 'ipv6'],
])
const LOOPBACK = list([
  ['127.0.0.0', 8, 'ipv4'],
  ['::1', 128, 'ipv6'],
])
// The bank's own networks: RFC 1918, shared address space (carrier NAT), IPv6 unique-local.
const PRIVATE = list([
  ['10.0.0.0', 8, 'ipv4'],
  ['172.16.0.0', 12, 'ipv4'],
  ['192.168.0.0', 16, 'ipv4'],
  ['100.64.0.0', 10, 'ipv4'],
  ['fc00::', 7, 'ipv6'],
])

export type AddressClass = 'public' | 'private' | 'loopback' | 'never'

export function classifyAddress(address: string): AddressClass {
  let ip = address
  let family = isIP(ip)
  // An IPv4 address written as IPv6 (::ffff:10.0.0.1) is that IPv4 address.
  const mapped = family === 6 ? /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip) : null
  if (mapped) {
    ip = mapped[1]!
    family = 4
  }
  if (family === 0) return 'never'
  const type = family === 4 ? 'ipv4' : 'ipv6'
  if (NEVER.check(ip, type)) return 'never'
  if (LOOPBACK.check(ip, type)) return 'loopback'
  if (PRIVATE.check(ip, type)) return 'private'
  return 'public'
}

export function addressAllowed(address: string, allow: readonly OptionalNetwork[]): boolean {
  const kind = classifyAddress(address)
  return kind === 'public' || (kind !== 'never' && allow.includes(kind))
}

export function parseAllowedNetworks(value: string | undefined): OptionalNetwork[] {
  return (value ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter((part): part is OptionalNetwork => (OPTIONAL_NETWORKS as readonly string[]).includes(part))
}

export type TargetProblem = 'invalidUrl' | 'scheme' | 'credentials' | 'addressNotAllowed'

/** Why a URL cannot be a webhook target, or null. Host names are checked again when delivering. */
export function targetProblem(raw: string, allow: readonly OptionalNetwork[]): TargetProblem | null {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return 'invalidUrl'
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'scheme'
  if (url.username || url.password) return 'credentials'
  const host = url.hostname.replace(/^\[|\]$/g, '')
  if (!host) return 'invalidUrl'
  if (isIP(host)) return addressAllowed(host, allow) ? null : 'addressNotAllowed'
  if (host === 'localhost' || host.endsWith('.localhost')) return allow.includes('loopback') ? null : 'addressNotAllowed'
  return null
}
