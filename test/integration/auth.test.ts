import { describe, expect, it } from 'vitest'
import { createUser, ensureFirstAdmin, verifySignIn } from '~/modules/auth/users.server'
import { UserModel } from '~models/user'
import { SIGN_IN_LIMITS } from '~/modules/auth/throttle.server'

describe('staff sign-in', () => {
  it('creates the first admin only on an empty database', async () => {
    const lines: string[] = []
    const created = await ensureFirstAdmin({ log: (line) => lines.push(line) })
    expect(created?.email).toBe('admin@clausewise.local')
    expect(lines[0]).toContain('one-time password')
    expect(await ensureFirstAdmin({ log: () => undefined })).toBeNull()
    const admin = await UserModel.findOne({ email: 'admin@clausewise.local' }).lean()
    expect(admin?.role).toBe('admin')
    expect(admin?.passwordHash).toMatch(/^\$argon2id\$/)
    expect(admin?.passwordHash).not.toContain(created!.password)
  })

  it('accepts the right password and refuses a wrong one or an unknown e-mail', async () => {
    await createUser({ email: 'Wang@Bank.cn', name: 'Wang', password: 'correct horse battery', role: 'procurement' })
    expect(await verifySignIn('wang@bank.cn', 'correct horse battery')).toMatchObject({ ok: true })
    expect(await verifySignIn('wang@bank.cn', 'wrong')).toEqual({ ok: false, reason: 'invalid' })
    expect(await verifySignIn('nobody@bank.cn', 'whatever')).toEqual({ ok: false, reason: 'invalid' })
  })

  it('throttles repeated failures from one client, even for the right password', async () => {
    await createUser({ email: 'li@bank.cn', name: 'Li', password: 'the right password', role: 'compliance' })
    for (let i = 0; i < 8; i++) await verifySignIn('li@bank.cn', `wrong-${i}`, '10.0.0.1')
    expect(await verifySignIn('li@bank.cn', 'the right password', '10.0.0.1')).toMatchObject({ ok: false, reason: 'throttled' })
  })

  it('checks at most the free attempts (+1) of 100 parallel wrong guesses: the counter is atomic', async () => {
    await createUser({ email: 'race@bank.cn', name: 'Race', password: 'the right password', role: 'viewer' })
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => verifySignIn('race@bank.cn', `wrong-${i}`, '10.0.0.2')))
    const checked = results.filter((result) => !result.ok && result.reason === 'invalid').length
    expect(checked).toBeGreaterThan(0)
    expect(checked).toBeLessThanOrEqual(SIGN_IN_LIMITS.freeAttempts + 1)
    expect(results.every((result) => !result.ok)).toBe(true)
  })

  it('answers an unknown e-mail exactly like a real one, before and after throttling', async () => {
    await createUser({ email: 'real@bank.cn', name: 'Real', password: 'the right password', role: 'viewer' })
    const strip = (result: Awaited<ReturnType<typeof verifySignIn>>) => ({ ...result, retryAfterSeconds: 'retryAfterSeconds' in result ? 'n' : undefined })
    for (let i = 0; i < 9; i++) {
      const real = await verifySignIn('real@bank.cn', `wrong-${i}`, '10.0.0.3')
      const unknown = await verifySignIn('ghost@bank.cn', `wrong-${i}`, '10.0.0.3')
      expect(strip(unknown)).toEqual(strip(real))
    }
  })

  it('a stranger guessing from elsewhere cannot lock the owner out', async () => {
    await createUser({ email: 'boss@bank.cn', name: 'Boss', password: 'the right password', role: 'admin' })
    for (let i = 0; i < 30; i++) await verifySignIn('boss@bank.cn', `guess-${i}`, '203.0.113.9')
    expect(await verifySignIn('boss@bank.cn', 'the right password', '10.0.0.4')).toMatchObject({ ok: true })
    // And the stranger's own backoff keeps growing.
    expect(await verifySignIn('boss@bank.cn', 'the right password', '203.0.113.9')).toMatchObject({ ok: false, reason: 'throttled' })
  })

  it('refuses a second user with the same e-mail (unique index on the server)', async () => {
    await createUser({ email: 'dup@bank.cn', name: 'A', password: 'password-password', role: 'viewer' })
    await expect(createUser({ email: 'DUP@bank.cn', name: 'B', password: 'password-password', role: 'viewer' })).rejects.toThrow(/E11000/)
  })
})
