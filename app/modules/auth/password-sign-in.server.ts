// PASSWORD_SIGN_IN (on | off | admins-only) and the audit entries of password sign-ins.
import { getEnv } from '~/env.server'
import { recordAudit } from '~/modules/audit/audit.server'
import { findUserRole } from './user-store.server'
import type { SignInResult } from './users.server'

/** Before the password is checked: with PASSWORD_SIGN_IN=off no password is ever checked. */
export function passwordSignInClosed(): boolean {
  return getEnv().PASSWORD_SIGN_IN === 'off'
}

/**
 * After the password was right: with admins-only, only admins may use it (the break-glass
 * account for when the identity provider is down). Returns whether the user may continue.
 */
export async function passwordSignInAllowedFor(userId: string): Promise<boolean> {
  if (getEnv().PASSWORD_SIGN_IN !== 'admins-only') return true
  return (await findUserRole(userId)) === 'admin'
}

/** One audit entry per password attempt: success, wrong password, throttled, or refused by the setting. */
export async function auditPasswordSignIn(email: string, outcome: SignInResult | { ok: false; reason: 'password-sign-in-off' | 'admins-only'; userId?: string }, clientAddress: string) {
  const userId = outcome.ok ? outcome.userId : 'userId' in outcome ? outcome.userId : undefined
  const action = outcome.ok ? 'auth.sign-in' : outcome.reason === 'throttled' ? 'auth.sign-in-throttled' : outcome.reason === 'invalid' ? 'auth.sign-in-failed' : 'auth.sign-in-refused'
  await recordAudit({
    actor: userId ? { kind: 'user', id: userId, label: email } : { kind: 'system', label: email },
    action,
    subject: { kind: 'user', id: userId ?? email },
    details: { method: 'password', ...(outcome.ok ? {} : { reason: outcome.reason }) },
    clientAddress,
  })
}
