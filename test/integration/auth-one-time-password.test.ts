// The first admin's printed password, and every password an admin sets or resets, is one-time:
// it opens nothing but the change-password page, expires, and stops working once changed.
import { describe, expect, it } from 'vitest'
import { SessionModel } from '~models/session'
import { UserModel } from '~models/user'
import { changePassword, resetPassword, TEMPORARY_PASSWORD_HOURS } from '~/modules/auth/password-change.server'
import { createUserSession, getSessionId, getSessionUser, requireUser, type SessionUser } from '~/modules/auth/session.server'
import { createUser, ensureFirstAdmin, generatePassword, verifySignIn } from '~/modules/auth/users.server'

const URL_BASE = 'http://127.0.0.1/'

async function signedInRequest(userId: string, path = '/vendors') {
  const response = await createUserSession(new Request(URL_BASE + 'login'), userId, '/')
  const cookie = response.headers.get('Set-Cookie')!.split(';')[0]!
  return new Request(URL_BASE + path.slice(1), { headers: { Cookie: cookie } })
}

async function thrown(promise: Promise<unknown>): Promise<Response> {
  try {
    await promise
  } catch (error) {
    if (error instanceof Response) return error
    throw error
  }
  throw new Error('expected a thrown response')
}

describe('the first admin\'s printed password', () => {
  it('opens only the change-password page, expires, and stops working once changed', async () => {
    const lines: string[] = []
    const created = (await ensureFirstAdmin({ log: (line) => lines.push(line) }))!
    expect(lines[0]).toContain(`valid ${TEMPORARY_PASSWORD_HOURS} hours`)
    const stored = (await UserModel.findOne({ email: created.email }).lean())!
    expect(stored.mustChangePassword).toBe(true)
    const hours = (stored.passwordExpiresAt!.getTime() - Date.now()) / 3_600_000
    expect(hours).toBeGreaterThan(23.9)
    expect(hours).toBeLessThanOrEqual(24)

    // Signed in with it, every page sends the admin to the change-password page.
    const signIn = await verifySignIn(created.email, created.password)
    expect(signIn).toMatchObject({ ok: true })
    const request = await signedInRequest(stored._id.toString(), '/vendors?page=2')
    const redirected = await thrown(requireUser(request, 'portal:read'))
    expect(redirected.status).toBe(302)
    expect(redirected.headers.get('Location')).toBe('/change-password?redirectTo=%2Fvendors%3Fpage%3D2')

    // Changing it: wrong current, same password, mismatch are field errors; then it works.
    const user = (await getSessionUser(request)) as SessionUser
    expect(user.mustChangePassword).toBe(true)
    const sessionId = await getSessionId(request)
    expect(await changePassword(user, { currentPassword: 'wrong', newPassword: 'a brand new password', confirmPassword: 'a brand new password' }, sessionId)).toMatchObject({
      ok: false,
      status: 400,
      fieldErrors: { currentPassword: ['auth:changePassword.wrongCurrent'] },
    })
    expect(await changePassword(user, { currentPassword: created.password, newPassword: 'a brand new password', confirmPassword: 'another one entirely' }, sessionId)).toMatchObject({
      ok: false,
      fieldErrors: { confirmPassword: ['auth:changePassword.mismatch'] },
    })
    expect(await changePassword(user, { currentPassword: created.password, newPassword: 'a brand new password', confirmPassword: 'a brand new password' }, sessionId)).toEqual({ ok: true })
    expect(await requireUser(request, 'portal:read')).toMatchObject({ email: created.email })
    expect(await verifySignIn(created.email, created.password)).toEqual({ ok: false, reason: 'invalid' })
    expect(await verifySignIn(created.email, 'a brand new password')).toMatchObject({ ok: true })
    expect((await UserModel.findOne({ email: created.email }).lean())!.passwordExpiresAt ?? null).toBeNull()
  })

  it('no longer signs in once expired', async () => {
    const user = await createUser({ email: 'expired@bank.cn', name: 'E', password: 'one-time-password-123', role: 'viewer' }, undefined, { temporaryPassword: true })
    expect(await verifySignIn('expired@bank.cn', 'one-time-password-123')).toMatchObject({ ok: true })
    await UserModel.updateOne({ _id: user._id }, { $set: { passwordExpiresAt: new Date(Date.now() - 1000) } })
    expect(await verifySignIn('expired@bank.cn', 'one-time-password-123')).toEqual({ ok: false, reason: 'invalid' })
    // A session opened before the expiry cannot use the expired password to change it either.
    const request = await signedInRequest(user._id.toString())
    const session = (await getSessionUser(request))!
    expect(await changePassword(session, { currentPassword: 'one-time-password-123', newPassword: 'a brand new password', confirmPassword: 'a brand new password' }, null)).toMatchObject({
      ok: false,
      status: 403,
      formError: 'auth:changePassword.expired',
    })
  })
})

describe('an admin reset', () => {
  it('gives a one-time password, ends the user\'s sessions and forces a change', async () => {
    const admin = await createUser({ email: 'root@bank.cn', name: 'Root', password: 'admin-password-123', role: 'admin' })
    const actor: SessionUser = { id: admin._id.toString(), email: admin.email, name: admin.name, role: 'admin', locale: 'en' }
    const user = await createUser({ email: 'forgot@bank.cn', name: 'F', password: 'old-password-1234', role: 'compliance' })
    const before = await signedInRequest(user._id.toString())
    expect(await requireUser(before)).toMatchObject({ email: 'forgot@bank.cn' })

    const reset = await resetPassword(user._id.toString(), actor, generatePassword)
    expect(reset).toMatchObject({ ok: true, email: 'forgot@bank.cn' })
    expect(await SessionModel.countDocuments({ userId: user._id })).toBe(0)
    expect((await thrown(requireUser(before))).headers.get('Location')).toMatch(/^\/login/)
    expect(await verifySignIn('forgot@bank.cn', 'old-password-1234')).toEqual({ ok: false, reason: 'invalid' })
    const password = (reset as { password: string }).password
    expect(await verifySignIn('forgot@bank.cn', password)).toMatchObject({ ok: true })
    const after = await signedInRequest(user._id.toString(), '/findings')
    expect((await thrown(requireUser(after, 'portal:read'))).headers.get('Location')).toBe('/change-password?redirectTo=%2Ffindings')
    expect(await resetPassword('{"$ne":1}', actor, generatePassword)).toEqual({ ok: false })
  })
})
