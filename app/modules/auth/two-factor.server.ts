// Two-factor sign-in with TOTP (RFC 6238, otplib): enrolment, the second sign-in step, recovery
// codes, and reset by the user or an admin. docs/decisions/022-two-factor-sign-in.md.
// Every change is one atomic update of the user document; a code's time step is accepted only if
// it is later than the last one accepted, so a code (even one seen over a shoulder) works once.
import { createHash, randomInt } from 'node:crypto'
import { Types } from 'mongoose'
import { generateSecret, generateURI, verify } from 'otplib'
import QRCode from 'qrcode'
import { getEnv } from '~/env.server'
import { recordAudit } from '~/modules/audit/audit.server'
import { openSecret, sealSecret } from './secret-box.server'
import type { SessionUser } from './session.server'
import { deleteSessionsOfUser } from './session-store.server'
import { clearSignInAttempts, reserveSignInAttempt } from './throttle.server'
import {
  claimTwoFactorStep,
  enableTwoFactor,
  findTwoFactorEnabledAt,
  findTwoFactorOfUser,
  removeTwoFactor,
  setPendingTwoFactorSecret,
  spendRecoveryCode,
} from './user-store.server'

export const RECOVERY_CODE_COUNT = 10
const RECOVERY_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789' // 32 symbols: 5 bits each, no 0/O or 1/I
/** ±1 time step of 30 s around the server's clock. */
const EPOCH_TOLERANCE_SECONDS = 30

/** 16 symbols (80 random bits) in four groups: strong enough that a SHA-256 hash keeps it. */
export function generateRecoveryCode(): string {
  const symbols = Array.from({ length: 16 }, () => RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)])
  return [0, 4, 8, 12].map((start) => symbols.slice(start, start + 4).join('')).join('-')
}

export function hashRecoveryCode(code: string): string {
  const normalised = code.toUpperCase().replace(/[^A-Z0-9]/g, '')
  return createHash('sha256').update(`clausewise-recovery\n${normalised}`).digest('hex')
}

function isTotpCode(code: string): boolean {
  return /^\d{6}$/.test(code)
}

function cleanCode(code: string): string {
  return code.replace(/\s+/g, '').slice(0, 40)
}

/** The time step of a valid code for this secret, later than `afterStep`; null otherwise. */
async function acceptedStep(secret: string, code: string, afterStep: number | null | undefined, now: Date): Promise<number | null> {
  if (!isTotpCode(code)) return null
  const result = await verify({
    secret,
    token: code,
    epoch: Math.floor(now.getTime() / 1000),
    epochTolerance: EPOCH_TOLERANCE_SECONDS,
    ...(typeof afterStep === 'number' ? { afterTimeStep: afterStep } : {}),
  }).catch(() => ({ valid: false as const }))
  return result.valid && 'timeStep' in result ? result.timeStep : null
}

function issuer(): string {
  return `Clausewise · ${getEnv().INSTITUTION_NAME}`
}

/**
 * Starts (or restarts) an enrolment: a new pending secret, kept until a code confirms it, so a
 * reload shows the same QR code. A POST, never a page load: reading a page writes nothing.
 */
export async function startEnrolment(user: SessionUser): Promise<void> {
  await setPendingTwoFactorSecret(new Types.ObjectId(user.id), sealSecret(generateSecret(), user.id))
}

export type Enrolment =
  | { state: 'enrolled'; enabledAt: Date; recoveryCodesLeft: number }
  | { state: 'not-started' }
  | { state: 'pending'; secret: string; uri: string; qrDataUrl: string }

/** What the enrolment page shows. A pending secret that no longer decrypts (key replaced) counts as none. */
export async function enrolmentFor(user: SessionUser): Promise<Enrolment> {
  const stored = await findTwoFactorOfUser(new Types.ObjectId(user.id))
  if (stored?.twoFactor?.enabledAt) return { state: 'enrolled', enabledAt: stored.twoFactor.enabledAt, recoveryCodesLeft: stored.twoFactor.recoveryCodeHashes?.length ?? 0 }
  const secret = stored?.twoFactor?.pendingSecret ? openSecret(stored.twoFactor.pendingSecret, user.id) : null
  if (!secret) return { state: 'not-started' }
  const uri = generateURI({ issuer: issuer(), label: user.email, secret })
  return { state: 'pending', secret, uri, qrDataUrl: await QRCode.toDataURL(uri, { margin: 1, width: 220 }) }
}

export type ConfirmResult = { ok: true; recoveryCodes: string[] } | { ok: false; fieldErrors: { code: string[] } }

/** Confirms enrolment with a code from the app; returns the recovery codes, shown this once. */
export async function confirmEnrolment(user: SessionUser, rawCode: string, now = new Date()): Promise<ConfirmResult> {
  const code = cleanCode(rawCode)
  const id = new Types.ObjectId(user.id)
  const stored = await findTwoFactorOfUser(id)
  const sealed = stored?.twoFactor?.pendingSecret
  const secret = sealed && !stored?.twoFactor?.enabledAt ? openSecret(sealed, user.id) : null
  const step = secret ? await acceptedStep(secret, code, null, now) : null
  if (!sealed || !secret || step === null) return { ok: false, fieldErrors: { code: ['auth:twoFactor.wrongCode'] } }
  const recoveryCodes = Array.from({ length: RECOVERY_CODE_COUNT }, generateRecoveryCode)
  const written = await enableTwoFactor(id, { secret: sealed, enabledAt: now, lastUsedStep: step, recoveryCodeHashes: recoveryCodes.map(hashRecoveryCode) })
  if (!written) return { ok: false, fieldErrors: { code: ['auth:twoFactor.wrongCode'] } }
  await recordAudit({ actor: { kind: 'user', id: user.id, label: user.email }, action: 'user.two-factor.enrol', subject: { kind: 'user', id: user.id } })
  return { ok: true, recoveryCodes }
}

export type SecondFactorResult = { ok: true; method: 'totp' | 'recovery-code' } | { ok: false; reason: 'invalid' } | { ok: false; reason: 'throttled'; retryAfterSeconds: number }

/**
 * Checks a code from the authenticator app or a recovery code. Throttled per account (whoever
 * types these already has the password, so changing address must not buy more guesses), with
 * the same backoff as passwords: 5 free attempts, then a doubling wait.
 */
export async function verifySecondFactor(userId: string, rawCode: string, now = new Date()): Promise<SecondFactorResult> {
  if (!Types.ObjectId.isValid(userId)) return { ok: false, reason: 'invalid' }
  const id = new Types.ObjectId(userId)
  const reserved = await reserveSignInAttempt(`two-factor:${userId}`, 'any-client', now)
  if (!reserved.allowed) return { ok: false, reason: 'throttled', retryAfterSeconds: reserved.retryAfterSeconds }
  const code = cleanCode(rawCode)
  const stored = await findTwoFactorOfUser(id, { activeOnly: true })
  const twoFactor = stored?.twoFactor
  if (!twoFactor?.enabledAt || !twoFactor.secret) return { ok: false, reason: 'invalid' }
  let method: 'totp' | 'recovery-code' | null = null
  if (isTotpCode(code)) {
    const secret = openSecret(twoFactor.secret, userId)
    const step = secret ? await acceptedStep(secret, code, twoFactor.lastUsedStep, now) : null
    // Only one request can move the last step past `step`: a replay racing the original loses.
    if (step !== null) {
      if (await claimTwoFactorStep(id, step)) method = 'totp'
    }
  } else if (code.replace(/[^A-Za-z0-9]/g, '').length === 16) {
    const hash = hashRecoveryCode(code)
    if (await spendRecoveryCode(id, hash)) method = 'recovery-code'
  }
  if (!method) return { ok: false, reason: 'invalid' }
  await clearSignInAttempts(reserved.key)
  return { ok: true, method }
}

async function endSessions(userId: Types.ObjectId, exceptSessionId?: string | null) {
  await deleteSessionsOfUser(userId, { exceptSessionId })
}

/**
 * The user turns two-factor off (or starts over with a new phone) with a fresh code: the secret
 * and recovery codes go, and the user's other sessions end. A role that requires it is sent
 * straight back to enrolment by requireUser.
 */
export async function disableTwoFactor(user: SessionUser, rawCode: string, currentSessionId: string | null): Promise<{ ok: true } | { ok: false; fieldErrors: { code: string[] }; status: 400 | 429 }> {
  const checked = await verifySecondFactor(user.id, rawCode)
  if (!checked.ok) return { ok: false, status: checked.reason === 'throttled' ? 429 : 400, fieldErrors: { code: [checked.reason === 'throttled' ? 'auth:twoFactor.throttled' : 'auth:twoFactor.wrongCode'] } }
  const id = new Types.ObjectId(user.id)
  await removeTwoFactor(id)
  await endSessions(id, currentSessionId)
  await recordAudit({ actor: { kind: 'user', id: user.id, label: user.email }, action: 'user.two-factor.disable', subject: { kind: 'user', id: user.id }, details: { with: checked.method } })
  return { ok: true }
}

/** An admin resets someone's two-factor (a lost phone): all of that user's sessions end. */
export async function resetTwoFactorByAdmin(userId: string, actor: SessionUser): Promise<{ ok: boolean; email?: string }> {
  if (!/^[0-9a-f]{24}$/i.test(userId)) return { ok: false }
  const id = new Types.ObjectId(userId)
  const updated = await removeTwoFactor(id)
  if (!updated) return { ok: false }
  await endSessions(id)
  await recordAudit({ actor: { kind: 'user', id: actor.id, label: actor.email }, action: 'user.two-factor.reset', subject: { kind: 'user', id: userId }, details: { email: updated.email, wasEnrolled: Boolean(updated.twoFactor?.enabledAt) } })
  return { ok: true, email: updated.email }
}

/** After a correct password: is a second step due before a full session? */
export async function hasTwoFactor(userId: string): Promise<boolean> {
  return Boolean(await findTwoFactorEnabledAt(new Types.ObjectId(userId)))
}
