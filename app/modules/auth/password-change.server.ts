// One-time passwords: the first admin's printed password and every password an admin sets or
// resets are known to someone else, so they last TEMPORARY_PASSWORD_HOURS and must be replaced at
// the first sign-in. requireUser sends such a user to /change-password and nowhere else.
import { Types } from 'mongoose'
import { SessionModel } from '~models/session'
import { UserModel } from '~models/user'
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
  const stored = await UserModel.findOne({ _id: new Types.ObjectId(user.id), active: true }).lean()
  if (!stored) return { ok: false, status: 403, fieldErrors: {}, formError: 'errors:forbidden' }
  if (temporaryPasswordExpired(stored, now)) return { ok: false, status: 403, fieldErrors: {}, formError: 'auth:changePassword.expired' }
  if (!(await verifyPassword(stored.passwordHash, input.currentPassword))) return { ok: false, status: 400, fieldErrors: { currentPassword: ['auth:changePassword.wrongCurrent'] } }
  if (input.newPassword === input.currentPassword) return { ok: false, status: 400, fieldErrors: { newPassword: ['auth:changePassword.same'] } }
  const written = await UserModel.updateOne(
    { _id: stored._id, passwordHash: stored.passwordHash },
    { $set: { passwordHash: await hashPassword(input.newPassword), mustChangePassword: false, passwordChangedAt: now }, $unset: { passwordExpiresAt: 1 } },
  )
  if (written.matchedCount === 0) return { ok: false, status: 400, fieldErrors: {}, formError: 'errors:conflict' }
  await SessionModel.deleteMany({ userId: stored._id, ...(currentSessionId && Types.ObjectId.isValid(currentSessionId) ? { _id: { $ne: new Types.ObjectId(currentSessionId) } } : {}) })
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
  const updated = await UserModel.findOneAndUpdate(
    { _id: new Types.ObjectId(userId) },
    { $set: { passwordHash: await hashPassword(password), failedSignIns: 0, ...temporaryPasswordFields(now) }, $unset: { lockedUntil: 1 } },
    { new: true, projection: { email: 1 }, lean: true },
  )
  if (!updated) return { ok: false }
  await SessionModel.deleteMany({ userId: updated._id })
  await recordAudit({ actor: { kind: 'user', id: actor.id, label: actor.email }, action: 'user.password-reset', subject: { kind: 'user', id: userId }, details: { expiresInHours: TEMPORARY_PASSWORD_HOURS } })
  return { ok: true, password, email: updated.email }
}
