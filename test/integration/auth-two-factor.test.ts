// Two-step sign-in (TOTP) and sessions, over the real embedded database. Codes are computed from
// the enrolled secret with otplib, exactly as an authenticator app does; nothing is bypassed.
import { generate } from 'otplib'
import { describe, expect, it } from 'vitest'
import { SessionModel } from '~models/session'
import { UserModel } from '~models/user'
import { changePassword } from '~/modules/auth/password-change.server'
import { openSecret, sealSecret } from '~/modules/auth/secret-box.server'
import { forgetSecuritySettings, getSecuritySettings, saveSecuritySettings } from '~/modules/auth/security-settings.server'
import { createUserSession, getPendingTwoFactor, getSessionId, getSessionUser, requireUser, type SessionUser } from '~/modules/auth/session.server'
import { endAllSessions, endOwnSession, listSessions, purgeExpiredSessions } from '~/modules/auth/sessions.server'
import { confirmEnrolment, disableTwoFactor, enrolmentFor, resetTwoFactorByAdmin, startEnrolment, verifySecondFactor } from '~/modules/auth/two-factor.server'
import { createUser } from '~/modules/auth/users.server'
import { AuditEventModel } from '~models/audit-event'

// Read lazily by getEnv: set before the first use (db-setup defaults it to "none" for other tests).
process.env.TWO_FACTOR_REQUIRED_ROLES = 'admin,compliance'

const URL_BASE = 'http://127.0.0.1/'
let counter = 0

async function newUser(role: 'admin' | 'compliance' | 'viewer' = 'admin') {
  const user = await createUser({ email: `u${++counter}-${Date.now()}@bank.example`, name: `User ${counter}`, password: 'a long password here', role })
  return user
}

async function sessionCookie(userId: string, options: Parameters<typeof createUserSession>[3] = {}) {
  const response = await createUserSession(new Request(URL_BASE + 'login', { headers: { 'user-agent': 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36' } }), userId, '/', { clientAddress: '127.0.0.9', ...options })
  return response.headers.get('Set-Cookie')!.split(';')[0]!
}

const requestWith = (cookie: string, path = '/vendors') => new Request(URL_BASE + path.slice(1), { headers: { Cookie: cookie } })

async function thrown(promise: Promise<unknown>): Promise<Response> {
  try {
    await promise
  } catch (error) {
    if (error instanceof Response) return error
    throw error
  }
  throw new Error('expected a thrown response')
}

async function enrol(user: { _id: { toString(): string } }, cookie: string) {
  const sessionUser = (await getSessionUser(requestWith(cookie)))!
  await startEnrolment(sessionUser)
  const enrolment = await enrolmentFor(sessionUser)
  if (enrolment.state !== 'pending') throw new Error(`enrolment is ${enrolment.state}`)
  const now = new Date()
  const confirmed = await confirmEnrolment(sessionUser, await generate({ secret: enrolment.secret, epoch: Math.floor(now.getTime() / 1000) }), now)
  if (!confirmed.ok) throw new Error('enrolment refused')
  return { secret: enrolment.secret, recoveryCodes: confirmed.recoveryCodes, sessionUser, enrolledAt: now, id: user._id.toString() }
}

const codeAt = (secret: string, at: Date) => generate({ secret, epoch: Math.floor(at.getTime() / 1000) })

describe('enrolment', () => {
  it('a required role reaches nothing before enrolling; the secret is stored encrypted; ten recovery codes, hashed', async () => {
    const admin = await newUser('admin')
    const cookie = await sessionCookie(admin._id.toString())
    const blocked = await thrown(requireUser(requestWith(cookie, '/vendors?page=2'), 'portal:read'))
    expect(blocked.status).toBe(302)
    expect(blocked.headers.get('Location')).toBe('/account/two-factor?redirectTo=%2Fvendors%3Fpage%3D2')
    // The enrolment page itself is open.
    expect((await requireUser(requestWith(cookie, '/account/two-factor'), undefined, { twoFactorEnrolment: true })).mustEnrolTwoFactor).toBe(true)

    const sessionUser = (await getSessionUser(requestWith(cookie)))!
    // Reading the page writes nothing; starting makes the pending secret, kept across reloads.
    expect(await enrolmentFor(sessionUser)).toEqual({ state: 'not-started' })
    await startEnrolment(sessionUser)
    const first = await enrolmentFor(sessionUser)
    const again = await enrolmentFor(sessionUser)
    if (first.state !== 'pending' || again.state !== 'pending') throw new Error('not expected')
    expect(again.secret).toBe(first.secret) // a reload shows the same QR code
    expect(first.qrDataUrl).toMatch(/^data:image\/png;base64,/)
    expect(first.uri).toContain('otpauth://totp/')
    expect(await confirmEnrolment(sessionUser, '000000')).toMatchObject({ ok: false, fieldErrors: { code: ['auth:twoFactor.wrongCode'] } })

    await UserModel.updateOne({ _id: admin._id }, { $unset: { twoFactor: 1 } })
    const { secret, recoveryCodes } = await enrol(admin, cookie)
    expect(recoveryCodes).toHaveLength(10)
    expect(new Set(recoveryCodes).size).toBe(10)
    for (const code of recoveryCodes) expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/)
    const stored = (await UserModel.findById(admin._id).lean())!
    const raw = JSON.stringify(stored)
    expect(raw).not.toContain(secret)
    for (const code of recoveryCodes) expect(raw).not.toContain(code)
    expect(stored.twoFactor?.recoveryCodeHashes).toHaveLength(10)
    expect(openSecret(stored.twoFactor!.secret!, admin._id.toString())).toBe(secret)
    // Bound to its owner: copied onto another user's record, it does not decrypt.
    expect(openSecret(stored.twoFactor!.secret!, '0123456789abcdef01234567')).toBeNull()
    // One character of the ciphertext changed (the body's first: the last may hold only padding bits).
    const [v, iv, tag, body] = stored.twoFactor!.secret!.split('.') as [string, string, string, string]
    const tampered = [v, iv, tag, (body[0] === 'A' ? 'B' : 'A') + body.slice(1)].join('.')
    expect(openSecret(tampered, admin._id.toString())).toBeNull()

    // Now every page is open.
    expect((await requireUser(requestWith(cookie), 'portal:read')).id).toBe(admin._id.toString())
    expect(await AuditEventModel.exists({ action: 'user.two-factor.enrol', 'subject.id': admin._id.toString() })).not.toBeNull()
  })

  it('a role that does not require it is not sent to enrolment', async () => {
    const viewer = await newUser('viewer')
    const cookie = await sessionCookie(viewer._id.toString())
    expect((await requireUser(requestWith(cookie), 'portal:read')).mustEnrolTwoFactor).toBeUndefined()
  })
})

describe('the second sign-in step', () => {
  it('a pending session opens nothing; ±1 step accepted; a code works once; a recovery code works once', async () => {
    const admin = await newUser('admin')
    const { secret, recoveryCodes, enrolledAt, id } = await enrol(admin, await sessionCookie(admin._id.toString()))
    const pending = await sessionCookie(id, { pendingTwoFactor: true })
    expect(await getSessionUser(requestWith(pending))).toBeNull()
    expect((await thrown(requireUser(requestWith(pending)))).headers.get('Location')).toMatch(/^\/login\?/)
    expect(await getPendingTwoFactor(requestWith(pending))).toMatchObject({ userId: id })

    // The enrolment's own code was used: replaying it is refused.
    expect(await verifySecondFactor(id, await codeAt(secret, enrolledAt), enrolledAt)).toEqual({ ok: false, reason: 'invalid' })
    // Next step's code, checked one step early (a phone clock 30 s ahead): accepted once.
    const later = new Date(enrolledAt.getTime() + 60_000)
    const nextCode = await codeAt(secret, new Date(later.getTime() + 30_000))
    expect(await verifySecondFactor(id, nextCode, later)).toEqual({ ok: true, method: 'totp' })
    expect(await verifySecondFactor(id, nextCode, later)).toEqual({ ok: false, reason: 'invalid' })
    // Two steps away is outside the window.
    const farCode = await codeAt(secret, new Date(later.getTime() + 120_000))
    if (farCode !== (await codeAt(secret, new Date(later.getTime() + 30_000))) && farCode !== (await codeAt(secret, new Date(later.getTime() + 60_000)))) {
      expect(await verifySecondFactor(id, farCode, new Date(later.getTime() + 30_000))).toEqual({ ok: false, reason: 'invalid' })
    }
    // Parallel submissions of one fresh code: exactly one wins.
    const race = new Date(later.getTime() + 300_000)
    const raceCode = await codeAt(secret, race)
    const results = await Promise.all(Array.from({ length: 4 }, () => verifySecondFactor(id, raceCode, race)))
    expect(results.filter((r) => r.ok)).toHaveLength(1)

    expect(await verifySecondFactor(id, recoveryCodes[3]!.toLowerCase())).toEqual({ ok: true, method: 'recovery-code' })
    expect(await verifySecondFactor(id, recoveryCodes[3]!)).toEqual({ ok: false, reason: 'invalid' })
    expect((await UserModel.findById(admin._id).lean())!.twoFactor!.recoveryCodeHashes).toHaveLength(9)
  })

  it('five wrong codes lock the step like wrong passwords, even with the right code next', async () => {
    const admin = await newUser('admin')
    const { secret, id } = await enrol(admin, await sessionCookie(admin._id.toString()))
    const now = new Date(Date.now() + 90_000)
    for (let attempt = 0; attempt < 5; attempt++) expect(await verifySecondFactor(id, '123456', now)).toMatchObject({ ok: false, reason: 'invalid' })
    // The sixth check may run (it claims the first delay); the one right after must wait.
    await verifySecondFactor(id, '654321', now)
    const locked = await verifySecondFactor(id, await codeAt(secret, now), now)
    expect(locked).toMatchObject({ ok: false, reason: 'throttled' })
  })
})

describe('turning it off and resetting it', () => {
  it('the user needs a fresh code and other sessions end; an admin reset ends all sessions and is audited', async () => {
    const admin = await newUser('admin')
    const cookie = await sessionCookie(admin._id.toString())
    const { secret, sessionUser, id } = await enrol(admin, cookie)
    const other = await sessionCookie(id)
    expect(await disableTwoFactor(sessionUser, '000000', await getSessionId(requestWith(cookie)))).toMatchObject({ ok: false, status: 400 })
    // The enrolment used the current step's code; the next step's (a phone 30 s ahead) is fresh.
    expect(await disableTwoFactor(sessionUser, await codeAt(secret, new Date(Date.now() + 30_000)), await getSessionId(requestWith(cookie)))).toEqual({ ok: true })
    expect((await UserModel.findById(admin._id).lean())!.twoFactor?.enabledAt).toBeFalsy()
    expect(await getSessionUser(requestWith(other))).toBeNull()
    // Required role: straight back to enrolment.
    expect((await thrown(requireUser(requestWith(cookie)))).headers.get('Location')).toMatch(/^\/account\/two-factor/)

    const actorAdmin = await newUser('admin')
    const actor: SessionUser = { id: actorAdmin._id.toString(), email: actorAdmin.email, name: actorAdmin.name, role: 'admin', locale: 'en' }
    const second = await enrol(admin, cookie)
    expect(second.recoveryCodes).toHaveLength(10)
    expect(await resetTwoFactorByAdmin(id, actor)).toMatchObject({ ok: true })
    expect(await getSessionUser(requestWith(cookie))).toBeNull()
    expect(await AuditEventModel.exists({ action: 'user.two-factor.reset', 'subject.id': id, 'actor.id': actor.id })).not.toBeNull()
  })
})

describe('sessions', () => {
  it('lists device, address and current; ending one signs that browser out; an admin ends all', async () => {
    const viewer = await newUser('viewer')
    const id = viewer._id.toString()
    const a = await sessionCookie(id)
    const b = await sessionCookie(id)
    const current = await getSessionId(requestWith(a))
    const listed = await listSessions(id, current)
    expect(listed).toHaveLength(2)
    expect(listed.find((s) => s.current)).toMatchObject({ device: { browser: 'Chrome', os: 'Windows' }, ip: '127.0.0.9' })
    const user = (await getSessionUser(requestWith(a)))!
    expect(await endOwnSession(user, (await getSessionId(requestWith(b)))!)).toBe(true)
    expect(await getSessionUser(requestWith(b))).toBeNull()
    expect(await getSessionUser(requestWith(a))).not.toBeNull()
    // Not someone else's.
    const stranger = await newUser('viewer')
    const strangerCookie = await sessionCookie(stranger._id.toString())
    expect(await endOwnSession(user, (await getSessionId(requestWith(strangerCookie)))!)).toBe(false)
    expect(await getSessionUser(requestWith(strangerCookie))).not.toBeNull()

    const actor: SessionUser = { ...user, role: 'admin' }
    await sessionCookie(id)
    expect(await endAllSessions(id, actor)).toBe(2)
    expect(await getSessionUser(requestWith(a))).toBeNull()
  })

  it('idle timeout and absolute lifetime end a session; last seen is written at most once a minute', async () => {
    forgetSecuritySettings()
    const settings = await getSecuritySettings()
    expect(settings).toMatchObject({ sessionIdleMinutes: 30, sessionAbsoluteHours: 12 })
    const viewer = await newUser('viewer')
    const cookie = await sessionCookie(viewer._id.toString())
    const sessionId = (await getSessionId(requestWith(cookie)))!
    const record = () => SessionModel.findById(sessionId).lean()
    const seen = (await record())!.lastSeenAt!
    await getSessionUser(requestWith(cookie))
    expect((await record())!.lastSeenAt!.getTime()).toBe(seen.getTime())
    // 29 minutes idle: still valid, and last seen moves.
    await SessionModel.collection.updateOne({ _id: (await record())!._id }, { $set: { lastSeenAt: new Date(Date.now() - 29 * 60_000) } })
    expect(await getSessionUser(requestWith(cookie))).not.toBeNull()
    expect(Date.now() - (await record())!.lastSeenAt!.getTime()).toBeLessThan(5_000)
    // 31 minutes idle: ended.
    await SessionModel.collection.updateOne({ _id: (await record())!._id }, { $set: { lastSeenAt: new Date(Date.now() - 31 * 60_000) } })
    expect(await getSessionUser(requestWith(cookie))).toBeNull()

    // Active all along but signed in 12 hours ago: ended.
    const busy = await sessionCookie(viewer._id.toString())
    const busyId = (await getSessionId(requestWith(busy)))!
    await SessionModel.collection.updateOne({ _id: (await SessionModel.findById(busyId).lean())!._id }, { $set: { createdAt: new Date(Date.now() - 12 * 3_600_000 - 1000), lastSeenAt: new Date() } })
    expect(await getSessionUser(requestWith(busy))).toBeNull()
  })

  it('a saved idle timeout applies to the next request, and the save is audited', async () => {
    const viewer = await newUser('viewer')
    const actor: SessionUser = { id: viewer._id.toString(), email: viewer.email, name: viewer.name, role: 'admin', locale: 'en' }
    const before = await getSecuritySettings()
    expect(await saveSecuritySettings({ twoFactorRoles: ['admin'], sessionIdleMinutes: 5, sessionAbsoluteHours: 12 }, before.version, actor)).toEqual({ ok: true })
    // A stale version is refused rather than overwriting.
    expect(await saveSecuritySettings({ twoFactorRoles: ['admin'], sessionIdleMinutes: 7, sessionAbsoluteHours: 12 }, before.version, actor)).toEqual({ ok: false })
    const cookie = await sessionCookie(viewer._id.toString())
    const record = (await SessionModel.findById((await getSessionId(requestWith(cookie)))!).lean())!
    await SessionModel.collection.updateOne({ _id: record._id }, { $set: { lastSeenAt: new Date(Date.now() - 6 * 60_000) } })
    expect(await getSessionUser(requestWith(cookie))).toBeNull()
    // The environment's roles win over the stored ones; the stored choice is kept for later.
    expect(await getSecuritySettings()).toMatchObject({ sessionIdleMinutes: 5, twoFactorRoles: ['admin', 'compliance'], storedTwoFactorRoles: ['admin'], rolesFromEnvironment: true })
    expect(await AuditEventModel.exists({ action: 'settings.security.update', 'actor.id': actor.id })).not.toBeNull()
    const saved = await getSecuritySettings()
    expect(await saveSecuritySettings({ twoFactorRoles: ['admin', 'compliance'], sessionIdleMinutes: 30, sessionAbsoluteHours: 12 }, saved.version, actor)).toEqual({ ok: true })
  })

  it('changing the password ends the other sessions', async () => {
    const viewer = await newUser('viewer')
    const mine = await sessionCookie(viewer._id.toString())
    const other = await sessionCookie(viewer._id.toString())
    const user = (await getSessionUser(requestWith(mine)))!
    expect(await changePassword(user, { currentPassword: 'a long password here', newPassword: 'another long password', confirmPassword: 'another long password' }, await getSessionId(requestWith(mine)))).toEqual({ ok: true })
    expect(await getSessionUser(requestWith(other))).toBeNull()
    expect(await getSessionUser(requestWith(mine))).not.toBeNull()
  })

  it('the purge job deletes expired and idle sessions and keeps live ones', { timeout: 60_000 }, async () => {
    const viewer = await newUser('viewer')
    const live = await sessionCookie(viewer._id.toString())
    const idle = await sessionCookie(viewer._id.toString())
    const old = await sessionCookie(viewer._id.toString())
    const idOf = async (cookie: string) => (await SessionModel.findById((await getSessionId(requestWith(cookie)))!).lean())!._id
    await SessionModel.collection.updateOne({ _id: await idOf(idle) }, { $set: { lastSeenAt: new Date(Date.now() - 3_600_000) } })
    await SessionModel.collection.updateOne({ _id: await idOf(old) }, { $set: { expiresAt: new Date(Date.now() - 1000) } })
    const liveId = await idOf(live)
    const { startScheduler } = await import('~/modules/schedule/runner.server')
    const stop = await startScheduler({ every: '1 day', processEvery: 200, mailEvery: '1 day', sessionsEvery: '1 second', sweepOnStart: false, log: () => undefined })
    try {
      for (let i = 0; i < 100 && (await SessionModel.countDocuments({ userId: viewer._id })) > 1; i++) await new Promise((resolve) => setTimeout(resolve, 100))
    } finally {
      await stop()
    }
    const left = await SessionModel.find({ userId: viewer._id }).lean()
    expect(left.map((s) => s._id.toString())).toEqual([liveId.toString()])
    expect(await purgeExpiredSessions()).toBe(0)
  })
})

describe('sealed secrets', () => {
  it('a fresh IV each time; decrypts only for its owner', () => {
    const one = sealSecret('JBSWY3DPEHPK3PXP', 'owner-1')
    expect(sealSecret('JBSWY3DPEHPK3PXP', 'owner-1')).not.toBe(one)
    expect(openSecret(one, 'owner-1')).toBe('JBSWY3DPEHPK3PXP')
    expect(openSecret(one, 'owner-2')).toBeNull()
    expect(openSecret('garbage', 'owner-1')).toBeNull()
  })
})
