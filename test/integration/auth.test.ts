import { describe, expect, it } from 'vitest'
import { createUser, ensureFirstAdmin, verifySignIn } from '~/modules/auth/users.server'
import { UserModel } from '~models/user'

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

  it('locks an account after repeated failures, even for the right password', async () => {
    await createUser({ email: 'li@bank.cn', name: 'Li', password: 'the right password', role: 'compliance' })
    for (let i = 0; i < 8; i++) await verifySignIn('li@bank.cn', `wrong-${i}`)
    expect(await verifySignIn('li@bank.cn', 'the right password')).toEqual({ ok: false, reason: 'locked' })
  })

  it('refuses a second user with the same e-mail (unique index on the server)', async () => {
    await createUser({ email: 'dup@bank.cn', name: 'A', password: 'password-password', role: 'viewer' })
    await expect(createUser({ email: 'DUP@bank.cn', name: 'B', password: 'password-password', role: 'viewer' })).rejects.toThrow(/E11000/)
  })
})
