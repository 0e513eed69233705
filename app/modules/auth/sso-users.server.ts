// Staff who sign in through the identity provider: created on their first sign-in, their role
// kept in step with their groups at every sign-in. The one place SSO writes users.
import { randomBytes } from 'node:crypto'
import { recordAudit } from '~/modules/audit/audit.server'
import { hashPassword } from './password.server'
import type { Locale } from '~/i18n/locales'
import type { Role } from './roles'
import { roleForGroups, type RoleMap } from './sso-roles'
import { findUserByEmail, findUserBySsoKey, insertUser, linkSsoIdentity, recordSsoSignIn } from './user-store.server'

export interface SsoIdentity {
  issuer: string
  subject: string
  email?: string
  emailVerified?: boolean
  name?: string
  groups: string[]
}

export type SsoRefusal = 'unmapped' | 'inactive' | 'no-email' | 'email-taken'
export type SsoSignInResult = { ok: true; userId: string; role: Role; created: boolean } | { ok: false; reason: SsoRefusal }

const ssoKeyOf = (identity: SsoIdentity) => `${identity.issuer} ${identity.subject}`
const isDuplicateKey = (error: unknown) => (error as { code?: number } | null)?.code === 11000

/** `locale`: the language a new user starts with (the browser's, at their first sign-in). */
export async function signInWithSso(identity: SsoIdentity, roleMap: RoleMap, clientAddress?: string, locale: Locale = 'zh-CN'): Promise<SsoSignInResult> {
  const ssoKey = ssoKeyOf(identity)
  const email = identity.email?.trim().toLowerCase()
  const label = email ?? identity.subject
  const refuse = async (reason: SsoRefusal, userId?: string): Promise<SsoSignInResult> => {
    await recordAudit({
      actor: { kind: 'system', label },
      action: 'auth.sso-refused',
      subject: { kind: 'user', id: userId ?? ssoKey },
      details: { reason, issuer: identity.issuer, subject: identity.subject, email: email ?? null, groups: identity.groups },
      clientAddress,
    })
    return { ok: false, reason }
  }
  const role = roleForGroups(identity.groups, roleMap)
  if (!role) return refuse('unmapped')

  let user = await findUserBySsoKey(ssoKey)
  let created = false
  if (!user) {
    if (!email) return refuse('no-email')
    const sameEmail = await findUserByEmail(email)
    if (sameEmail) {
      // An existing password account is linked only when the provider vouches for the address.
      if (sameEmail.ssoKey || identity.emailVerified !== true) return refuse('email-taken', sameEmail._id.toString())
      await linkSsoIdentity(sameEmail._id, { ssoKey, ssoIssuer: identity.issuer })
      await recordAudit({ actor: { kind: 'system', label: 'single sign-on' }, action: 'user.sso-link', subject: { kind: 'user', id: sameEmail._id.toString() }, details: { email, issuer: identity.issuer, subject: identity.subject }, clientAddress })
      user = await findUserBySsoKey(ssoKey)
    } else {
      try {
        // Never signs in with a password: a random one nobody knows, hashed like any other.
        const newUser = await insertUser({ email, name: identity.name?.trim() || email, role, locale, passwordHash: await hashPassword(randomBytes(32).toString('base64url')), ssoKey, ssoIssuer: identity.issuer })
        created = true
        await recordAudit({ actor: { kind: 'system', label: 'single sign-on' }, action: 'user.create', subject: { kind: 'user', id: newUser._id.toString() }, details: { email, role, via: 'sso', issuer: identity.issuer, groups: identity.groups }, clientAddress })
      } catch (error) {
        if (!isDuplicateKey(error)) throw error
      }
      user = await findUserBySsoKey(ssoKey) // the new user, or the one a parallel first sign-in created
    }
    if (!user) return refuse('email-taken')
  }
  if (!user.active) return refuse('inactive', user._id.toString())

  const changes: Parameters<typeof recordSsoSignIn>[1] = { lastSignInAt: new Date() }
  if (user.role !== role) changes.role = role
  if (identity.name?.trim() && identity.name.trim() !== user.name) changes.name = identity.name.trim()
  await recordSsoSignIn(user._id, changes)
  if (changes.role) {
    await recordAudit({ actor: { kind: 'system', label: 'single sign-on' }, action: 'user.role-change', subject: { kind: 'user', id: user._id.toString() }, details: { email: user.email, from: user.role, to: role, via: 'sso', groups: identity.groups }, clientAddress })
  }
  await recordAudit({ actor: { kind: 'user', id: user._id.toString(), label: user.email }, action: 'auth.sso-sign-in', subject: { kind: 'user', id: user._id.toString() }, details: { issuer: identity.issuer, role, groups: identity.groups, created }, clientAddress })
  return { ok: true, userId: user._id.toString(), role, created }
}
