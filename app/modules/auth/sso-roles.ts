// Which Clausewise role an identity provider's groups give. Pure: used by env.server.ts to
// validate OIDC_ROLE_MAP at boot and by oidc.server.ts at every single sign-on.
import { ROLES, type Role } from './roles'

/** Group name → role, as configured in OIDC_ROLE_MAP ("grc-admins=admin,auditors=viewer"). */
export type RoleMap = ReadonlyMap<string, Role>

/** Most powerful first: a member of several mapped groups gets the highest of their roles. */
const RANK: readonly Role[] = ['admin', 'compliance', 'procurement', 'viewer']

export function parseRoleMap(value: string): { map: RoleMap } | { problem: string } {
  const map = new Map<string, Role>()
  const pairs = value
    .split(',')
    .map((pair) => pair.trim())
    .filter(Boolean)
  if (pairs.length === 0) return { problem: 'must map at least one group, e.g. grc-admins=admin,auditors=viewer' }
  for (const pair of pairs) {
    const at = pair.lastIndexOf('=')
    const group = pair.slice(0, at).trim()
    const role = pair.slice(at + 1).trim()
    if (at <= 0 || !group) return { problem: `"${pair}" is not group=role (e.g. grc-admins=admin)` }
    if (!(ROLES as readonly string[]).includes(role)) return { problem: `"${pair}": ${role || '(empty)'} is not a role; use one of ${ROLES.join(', ')}` }
    if (map.has(group) && map.get(group) !== role) return { problem: `group "${group}" is mapped twice, to ${map.get(group)} and ${role}` }
    map.set(group, role as Role)
  }
  return { map }
}

/** The groups claim as a list of names: an array of strings, or one string (some providers send that). */
export function groupsFromClaim(claim: unknown): string[] {
  if (typeof claim === 'string') return [claim]
  if (Array.isArray(claim)) return claim.filter((group): group is string => typeof group === 'string')
  return []
}

/** The highest role any of the groups maps to, or null when none is mapped (the user is refused). */
export function roleForGroups(groups: readonly string[], map: RoleMap): Role | null {
  const roles = new Set(groups.flatMap((group) => (map.has(group) ? [map.get(group)!] : [])))
  return RANK.find((role) => roles.has(role)) ?? null
}
