import { randomBytes } from 'node:crypto'
import { estimatedUserCount, findUserByEmail, insertUser, listUsersWithoutPassword, recordPasswordSignIn, updateUserLocale, userEmailExists } from './user-store.server'
import { recordAudit } from '~/modules/audit/audit.server'
import { burnPasswordCheck, hashPassword, verifyPassword } from './password.server'
import { TEMPORARY_PASSWORD_HOURS, temporaryPasswordExpired, temporaryPasswordFields } from './password-change.server'
import type { Role } from './roles'
import type { Locale } from '~/i18n/locales'
import type { SessionUser } from './session.server'
import { clearSignInAttempts, reserveSignInAttempt } from './throttle.server'

export type SignInResult = { ok: true; userId: string } | { ok: false; reason: 'invalid' } | { ok: false; reason: 'throttled'; retryAfterSeconds: number }

/**
 * Checks a password, throttled per (e-mail, client): see throttle.server.ts. The same answers
 * for an unknown e-mail as for a real one, and a locked-out stranger never locks out the owner.
 */
export async function verifySignIn(email: string, password: string, client = 'unknown'): Promise<SignInResult> {
  const reserved = await reserveSignInAttempt(email, client)
  if (!reserved.allowed) return { ok: false, reason: 'throttled', retryAfterSeconds: reserved.retryAfterSeconds }
  const user = await findUserByEmail(email.trim().toLowerCase(), { activeOnly: true })
  if (!user) {
    await burnPasswordCheck(password)
    return { ok: false, reason: 'invalid' }
  }
  if (!(await verifyPassword(user.passwordHash, password))) return { ok: false, reason: 'invalid' }
  await clearSignInAttempts(reserved.key)
  if (temporaryPasswordExpired(user)) return { ok: false, reason: 'invalid' } // a one-time password past its expiry
  await recordPasswordSignIn(user._id)
  return { ok: true, userId: user._id.toString() }
}

export async function createUser(
  input: { email: string; name: string; password: string; role: Role; locale?: Locale },
  actor?: SessionUser,
  options: { temporaryPassword?: boolean } = {},
) {
  const user = await insertUser({
    email: input.email,
    name: input.name,
    role: input.role,
    locale: input.locale ?? 'zh-CN',
    passwordHash: await hashPassword(input.password),
    ...(options.temporaryPassword ? temporaryPasswordFields() : {}),
  })
  await recordAudit({
    actor: actor ? { kind: 'user', id: actor.id, label: actor.email } : { kind: 'system' },
    action: 'user.create',
    subject: { kind: 'user', id: user._id.toString() },
    details: { email: user.email, role: user.role },
  })
  return user
}

export async function isEmailTaken(email: string): Promise<boolean> {
  return userEmailExists(email.trim().toLowerCase())
}

export async function listUsers() {
  return listUsersWithoutPassword()
}

export async function setUserLocale(userId: string, locale: Locale) {
  await updateUserLocale(userId, locale)
}

export function generatePassword(): string {
  return randomBytes(12).toString('base64url')
}

/**
 * On an empty database, creates the first admin from ADMIN_EMAIL/ADMIN_PASSWORD, or with a
 * generated password that is printed once.
 */
export async function ensureFirstAdmin(options: { email?: string; password?: string; log: (line: string) => void }) {
  if ((await estimatedUserCount()) > 0) return null
  const email = options.email ?? 'admin@clausewise.local'
  const password = options.password ?? generatePassword()
  // A printed password is one-time: it must be changed at the first sign-in and expires.
  await createUser({ email, name: 'Administrator', password, role: 'admin', locale: 'zh-CN' }, undefined, { temporaryPassword: !options.password })
  if (options.password) options.log(`[clausewise] created the first admin ${email} (password from ADMIN_PASSWORD)`)
  else {
    options.log(
      `[clausewise] created the first admin ${email} with one-time password: ${password} (valid ${TEMPORARY_PASSWORD_HOURS} hours; a new password is required at the first sign-in)`,
    )
  }
  return { email, password }
}
