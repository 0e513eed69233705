import { describe, expect, it } from 'vitest'
import { can, PERMISSIONS, ROLES, type Permission, type Role } from '~/modules/auth/roles'

// The whole matrix, so any change to who may do what shows up here.
const expected: Record<Role, Permission[]> = {
  admin: [...PERMISSIONS],
  procurement: ['portal:read', 'vendor:write', 'assessment:manage', 'library:read', 'incident:report', 'vendor:offboard'],
  compliance: ['portal:read', 'assessment:review', 'assessment:sign-off', 'report:download', 'library:read', 'library:publish', 'incident:report', 'incident:manage', 'offboarding:accept', 'audit:read'],
  viewer: ['portal:read'],
}

describe('role permissions', () => {
  for (const role of ROLES) {
    for (const permission of PERMISSIONS) {
      const allowed = expected[role].includes(permission)
      it(`${role} ${allowed ? 'may' : 'may not'} ${permission}`, () => {
        expect(can(role, permission)).toBe(allowed)
      })
    }
  }
  it('only admins manage API tokens', () => {
    expect(ROLES.filter((role) => can(role, 'admin:api-tokens'))).toEqual(['admin'])
    expect(ROLES.filter((role) => can(role, 'admin:webhooks'))).toEqual(['admin'])
  })
  it('nobody signed in may do anything', () => {
    expect(PERMISSIONS.some((permission) => can(null, permission))).toBe(false)
  })
})
