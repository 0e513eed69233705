// Roles and what each may do. Pure: used by server guards and by the UI (which only hides what
// the server would refuse anyway).
export const ROLES = ['admin', 'procurement', 'compliance', 'viewer'] as const
export type Role = (typeof ROLES)[number]

export const PERMISSIONS = [
  'portal:read', // see vendors, assessments, findings, dashboards
  'vendor:write', // create and edit vendors, contacts, contracts, import CSV
  'vendor:override-tier', // override the computed inherent risk tier
  'assessment:manage', // start assessments, invite, remind, extend, revoke and re-issue links
  'assessment:review', // accept answers, request clarification, override clauses, manage findings
  'assessment:sign-off',
  'report:download',
  'library:read', // questionnaire and clause library preview
  'library:publish', // export and import library workbooks, publish another person's draft (four-eyes)
  'admin:users',
  'admin:settings', // cadences, reminders, risk matrix
  'admin:outbox', // read mail that was not sent because no SMTP server is configured
  'incident:report', // report a vendor's data incident, issue and revoke vendor incident links
  'incident:manage', // triage, contain and close incidents, override severity, manage their tasks
  'vendor:offboard', // start offboarding a vendor (data return or deletion)
  'offboarding:accept', // accept a vendor's return/deletion certificate, or send it back
  'audit:read', // the audit trail (/admin/audit) and its CSV export
  'admin:api-tokens', // create and revoke REST API tokens (/admin/api-tokens)
  'admin:webhooks', // register webhook endpoints, read their delivery log, redeliver (/admin/webhooks)
] as const
export type Permission = (typeof PERMISSIONS)[number]

const GRANTS: Record<Role, readonly Permission[]> = {
  admin: PERMISSIONS,
  procurement: ['portal:read', 'vendor:write', 'assessment:manage', 'library:read', 'incident:report', 'vendor:offboard'],
  compliance: ['portal:read', 'assessment:review', 'assessment:sign-off', 'report:download', 'library:read', 'library:publish', 'incident:report', 'incident:manage', 'offboarding:accept', 'audit:read'],
  viewer: ['portal:read'],
}

export function can(role: Role | undefined | null, permission: Permission): boolean {
  return role ? GRANTS[role].includes(permission) : false
}
