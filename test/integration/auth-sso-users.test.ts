// Staff created and kept in step by single sign-on (the part after the provider's answer was verified).
import { describe, expect, it } from 'vitest'
import { AuditEventModel } from '~models/audit-event'
import { UserModel } from '~models/user'
import { signInWithSso } from '~/modules/auth/sso-users.server'
import { parseRoleMap } from '~/modules/auth/sso-roles'
import { createUser, verifySignIn } from '~/modules/auth/users.server'

const parsed = parseRoleMap('grc-admins=admin,procurement=procurement,compliance=compliance,auditors=viewer')
if (!('map' in parsed)) throw new Error(parsed.problem)
const roleMap = parsed.map
const ISSUER = 'https://idp.bank.example'
const identity = (subject: string, groups: string[], email = `${subject}@bank.example`) => ({ issuer: ISSUER, subject, email, emailVerified: true, name: subject.toUpperCase(), groups })

describe('single sign-on users', () => {
  it('creates a user with the mapped role on the first sign-in, keyed by issuer + sub, and audits it', async () => {
    const result = await signInWithSso(identity('s-100', ['procurement']), roleMap, '10.1.2.3')
    expect(result).toMatchObject({ ok: true, role: 'procurement', created: true })
    const user = await UserModel.findOne({ ssoKey: `${ISSUER} s-100` }).lean()
    expect(user).toMatchObject({ email: 's-100@bank.example', role: 'procurement', name: 'S-100', ssoIssuer: ISSUER })
    const events = await AuditEventModel.find({ 'subject.id': user!._id.toString() }).sort({ _id: 1 }).lean()
    expect(events.map((event) => event.action)).toEqual(['user.create', 'auth.sso-sign-in'])
    expect(events[0]!.clientAddress).toBe('10.1.2.3')
    // Its random password is unknown to everyone.
    expect(await verifySignIn('s-100@bank.example', '')).toMatchObject({ ok: false })
  })

  it('gives the highest role of several groups, and follows group changes at the next sign-in (audited)', async () => {
    expect(await signInWithSso(identity('s-200', ['auditors', 'compliance', 'other']), roleMap)).toMatchObject({ ok: true, role: 'compliance' })
    const again = await signInWithSso({ ...identity('s-200', ['auditors']), email: 's-200-new@bank.example' }, roleMap)
    expect(again).toMatchObject({ ok: true, role: 'viewer', created: false })
    const user = await UserModel.findOne({ ssoKey: `${ISSUER} s-200` }).lean()
    expect(user!.role).toBe('viewer')
    const change = await AuditEventModel.findOne({ action: 'user.role-change', 'subject.id': user!._id.toString() }).lean()
    expect(change!.details).toMatchObject({ from: 'compliance', to: 'viewer', via: 'sso' })
    // Same sub from another issuer is another person.
    expect(await signInWithSso({ ...identity('s-200', ['grc-admins'], 'other-s200@bank.example'), issuer: 'https://other.example' }, roleMap)).toMatchObject({ ok: true, role: 'admin', created: true })
  })

  it('refuses a user whose groups map to no role, creating nothing, and audits the refusal', async () => {
    expect(await signInWithSso(identity('s-300', ['canteen']), roleMap, '10.9.9.9')).toEqual({ ok: false, reason: 'unmapped' })
    expect(await UserModel.exists({ email: 's-300@bank.example' })).toBeNull()
    const refusal = await AuditEventModel.findOne({ action: 'auth.sso-refused', 'actor.label': 's-300@bank.example' }).lean()
    expect(refusal!.details).toMatchObject({ reason: 'unmapped', groups: ['canteen'] })
    expect(refusal!.clientAddress).toBe('10.9.9.9')
  })

  it('refuses a switched-off user, and an unverified e-mail that belongs to a password account', async () => {
    await signInWithSso(identity('s-400', ['auditors']), roleMap)
    await UserModel.updateOne({ ssoKey: `${ISSUER} s-400` }, { $set: { active: false } })
    expect(await signInWithSso(identity('s-400', ['auditors']), roleMap)).toEqual({ ok: false, reason: 'inactive' })
    await createUser({ email: 'pw@bank.example', name: 'Password', password: 'a long enough password', role: 'admin' })
    expect(await signInWithSso({ ...identity('s-500', ['auditors'], 'pw@bank.example'), emailVerified: false }, roleMap)).toEqual({ ok: false, reason: 'email-taken' })
    // Verified by the provider: the existing account is linked, with the role its groups give.
    expect(await signInWithSso(identity('s-500', ['auditors'], 'pw@bank.example'), roleMap)).toMatchObject({ ok: true, role: 'viewer', created: false })
    expect((await UserModel.findOne({ email: 'pw@bank.example' }).lean())!.ssoKey).toBe(`${ISSUER} s-500`)
  })

  it('many password users without an SSO identity coexist (the unique index on ssoKey is sparse)', async () => {
    for (let i = 0; i < 3; i++) await createUser({ email: `plain-${i}@bank.example`, name: 'P', password: 'a long enough password', role: 'viewer' })
    expect(await UserModel.countDocuments({ email: /^plain-/ })).toBe(3)
  })

  it('two parallel first sign-ins of one person create one user', async () => {
    const results = await Promise.all([signInWithSso(identity('s-600', ['procurement']), roleMap), signInWithSso(identity('s-600', ['procurement']), roleMap)])
    expect(results.every((result) => result.ok)).toBe(true)
    expect(await UserModel.countDocuments({ ssoKey: `${ISSUER} s-600` })).toBe(1)
  })
})
