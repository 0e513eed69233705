import { describe, expect, it } from 'vitest'
import { parseEnv } from '~/env.server'
import { groupsFromClaim, parseRoleMap, roleForGroups } from '~/modules/auth/sso-roles'

const map = (value: string) => {
  const parsed = parseRoleMap(value)
  if ('problem' in parsed) throw new Error(parsed.problem)
  return parsed.map
}

describe('OIDC_ROLE_MAP', () => {
  const roles = map('grc-admins=admin, procurement=procurement,compliance=compliance,auditors=viewer,cn=x=y=viewer')
  it.each([
    [['grc-admins'], 'admin'],
    [['auditors', 'compliance'], 'compliance'],
    [['auditors', 'procurement'], 'procurement'],
    [['procurement', 'grc-admins', 'auditors'], 'admin'],
    [['auditors'], 'viewer'],
    [['cn=x=y'], 'viewer'], // a distinguished name as a group: the last "=" separates the role
    [['canteen'], null],
    [[], null],
    [['GRC-ADMINS'], null], // group names are compared exactly
  ])('groups %j → %s', (groups, role) => {
    expect(roleForGroups(groups, roles)).toBe(role)
  })
  it.each([
    ['', 'must map at least one group'],
    ['admins', 'is not group=role'],
    ['=admin', 'is not group=role'],
    ['admins=root', 'root is not a role'],
    ['a=admin,a=viewer', 'mapped twice'],
  ])('%j is refused (%s)', (value, message) => {
    const parsed = parseRoleMap(value)
    expect('problem' in parsed && parsed.problem).toContain(message)
  })
  it('reads the groups claim as a list or a single string', () => {
    expect(groupsFromClaim(['a', 2, 'b'])).toEqual(['a', 'b'])
    expect(groupsFromClaim('a')).toEqual(['a'])
    expect(groupsFromClaim(undefined)).toEqual([])
  })
})

describe('single sign-on settings', () => {
  const base = { MONGODB_URI: 'mongodb://127.0.0.1:27017/x', SESSION_SECRET: 'x'.repeat(32) }
  const sso = { OIDC_ISSUER_URL: 'https://login.bank.example/realms/staff', OIDC_CLIENT_ID: 'clausewise', OIDC_CLIENT_SECRET: 's3cret', OIDC_ROLE_MAP: 'grc-admins=admin' }
  it('accepts a complete configuration with defaults', () => {
    const parsed = parseEnv({ ...base, ...sso, PASSWORD_SIGN_IN: 'admins-only' })
    expect('env' in parsed).toBe(true)
    if (!('env' in parsed)) return
    expect(parsed.env).toMatchObject({ OIDC_GROUPS_CLAIM: 'groups', OIDC_DISPLAY_NAME: 'single sign-on', PASSWORD_SIGN_IN: 'admins-only' })
    expect(parsed.env.OIDC_ROLE_MAP?.get('grc-admins')).toBe('admin')
  })
  it('explains each mistake', () => {
    const problems = (source: Record<string, string>) => {
      const parsed = parseEnv({ ...base, ...source })
      return 'problems' in parsed ? parsed.problems : ''
    }
    expect(problems({ ...sso, OIDC_ISSUER_URL: 'http://login.bank.example' })).toContain('OIDC_ISSUER_URL: must use https')
    expect(problems({ ...sso, OIDC_ISSUER_URL: 'http://127.0.0.1:4000' })).toBe('')
    expect(problems({ ...sso, OIDC_ROLE_MAP: 'grc-admins=superuser' })).toContain('OIDC_ROLE_MAP: "grc-admins=superuser": superuser is not a role')
    expect(problems({ OIDC_ISSUER_URL: sso.OIDC_ISSUER_URL })).toContain('OIDC_CLIENT_ID: is required when OIDC_ISSUER_URL is set')
    expect(problems({ PASSWORD_SIGN_IN: 'off' })).toContain('PASSWORD_SIGN_IN: can only be off when single sign-on is configured')
    expect(problems({ ...sso, PASSWORD_SIGN_IN: 'sometimes' })).toContain('PASSWORD_SIGN_IN: must be on, off or admins-only')
    expect(problems({ ...sso, OIDC_SCOPES: 'email profile' })).toContain('OIDC_SCOPES: must include openid')
  })
})
