// One-time passwords: the first admin's printed password and every password an admin sets or
// resets are known to someone else, so they last TEMPORARY_PASSWORD_HOURS and must be replaced at
// the first sign-in. requireUser sends such a user to /change-password and nowhere else.
import { Types } from 'mongoose'
import { deleteSessionsOfUser } from './session-store.server'
import { findActiveUser, replacePassword, setTemporaryPassword } from './user-store.server'
import { recordAudit } from '~/modules/audit/audit.server'
import { fieldErrorsOf, type FieldErrors } from '~/modules/forms/validation'
import { hashPassword, verifyPassword } from './password.server'
import { changePasswordSchema } from './schemas'
import type { SessionUser } from './session.server'

export const TEMPORARY_PASSWORD_HOURS = 24

/** The fields that make a password one-time, as of `now`. */
export function temporaryPasswordFields(now = new Date()) {
  return { mustChangePassword: true, passwordExpiresAt: new Date(now.getTime() + TEMPORARY_PASSWORD_HOURS * 3_600_000) }
}

/** A one-time password past its expiry no longer signs anyone in. */
export function temporaryPasswordExpired(user: { mustChangePassword?: boolean | null; passwordExpiresAt?: Date | null }, now = new Date()): boolean {
  return Boolean(user.mustChangePassword) && (!user.passwordExpiresAt || user.passwordExpiresAt.getTime() <= now.getTime())
}

export type ChangePasswordResult = { ok: true } | { ok: false; status: 400 | 403; fieldErrors: FieldErrors; formError?: string }

/**
 * The user replaces their password: the current one must be right (and, if one-time, not expired),
 * the new one must differ. One update; the user's other sessions end (whoever knew the old password).
 */
export async function changePassword(user: SessionUser, raw: unknown, currentSessionId: string | null, now = new Date()): Promise<ChangePasswordResult> {
  const parsed = changePasswordSchema.safeParse(raw)
  if (!parsed.success) return { ok: false, status: 400, fieldErrors: fieldErrorsOf(parsed.error) }
  const input = parsed.data
  const stored = await findActiveUser(new Types.ObjectId(user.id))
  if (!stored) return { ok: false, status: 403, fieldErrors: {}, formError: 'errors:forbidden' }
  if (temporaryPasswordExpired(stored, now)) return { ok: false, status: 403, fieldErrors: {}, formError: 'auth:changePassword.expired' }
  if (!(await verifyPassword(stored.passwordHash, input.currentPassword))) return { ok: false, status: 400, fieldErrors: { currentPassword: ['auth:changePassword.wrongCurrent'] } }
  if (input.newPassword === input.currentPassword) return { ok: false, status: 400, fieldErrors: { newPassword: ['auth:changePassword.same'] } }
  const written = await replacePassword(stored._id, { checkedHash: stored.passwordHash, passwordHash: await hashPassword(input.newPassword), now })
  if (!written) return { ok: false, status: 400, fieldErrors: {}, formError: 'errors:conflict' }
  await deleteSessionsOfUser(stored._id, { exceptSessionId: currentSessionId })
  await recordAudit({ actor: { kind: 'user', id: user.id, label: user.email }, action: 'user.password-change', subject: { kind: 'user', id: user.id }, details: { wasTemporary: Boolean(stored.mustChangePassword) } })
  return { ok: true }
}

/**
 * An admin resets someone's password: a generated one-time password, shown once to the admin,
 * expiring in TEMPORARY_PASSWORD_HOURS; the user's sessions end.
 */
export async function resetPassword(userId: string, actor: SessionUser, generate: () => string, now = new Date()): Promise<{ ok: true; password: string; email: string } | { ok: false }> {
  if (!Types.ObjectId.isValid(userId) || !/^[0-9a-f]{24}$/i.test(userId)) return { ok: false }
  const password = generate()
  const updated = await setTemporaryPassword(new Types.ObjectId(userId), { passwordHash: await hashPassword(password), ...temporaryPasswordFields(now) })
  if (!updated) return { ok: false }
  await deleteSessionsOfUser(updated._id)
  await recordAudit({ actor: { kind: 'user', id: actor.id, label: actor.email }, action: 'user.password-reset', subject: { kind: 'user', id: userId }, details: { expiresInHours: TEMPORARY_PASSWORD_HOURS } })
  return { ok: true, password, email: updated.email }
}
