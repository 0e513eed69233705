// The message an action's redirect leaves for the next page ("Vendor saved") lives on the
// server-side session: shown once, to that session only, never in the address.
import { describe, expect, it } from 'vitest'
import { SessionModel } from '~models/session'
import { createUserSession, getSessionId, getSessionUserAndFlash, redirectWithFlash } from '~/modules/auth/session.server'
import { createUser } from '~/modules/auth/users.server'

const URL_BASE = 'http://127.0.0.1/'

async function signedInRequest(email: string) {
  const user = await createUser({ email, name: email, password: 'a long enough password', role: 'procurement' })
  const response = await createUserSession(new Request(URL_BASE + 'login'), String(user._id), '/')
  const cookie = response.headers.get('Set-Cookie')!.split(';')[0]!
  return () => new Request(URL_BASE + 'vendors', { headers: { Cookie: cookie } })
}

describe('a message after a redirect', () => {
  it('redirects to the bare address and shows the message on the next page exactly once', async () => {
    const request = await signedInRequest('flash-once@bank.cn')
    const response = await redirectWithFlash(request(), '/vendors/abc', 'vendorSaved')
    expect(response.status).toBe(302)
    expect(response.headers.get('Location')).toBe('/vendors/abc')

    const first = await getSessionUserAndFlash(request())
    expect(first.user?.email).toBe('flash-once@bank.cn')
    expect(first.flash).toMatchObject({ key: 'vendorSaved' })
    const again = await getSessionUserAndFlash(request())
    expect(again.user?.email).toBe('flash-once@bank.cn')
    expect(again.flash, 'a reload does not show it again').toBeNull()
    const sessionId = await getSessionId(request())
    expect((await SessionModel.findById(sessionId).lean())?.flash).toBeUndefined()
  })

  it('is shown by one of two pages read at the same moment, not both', async () => {
    const request = await signedInRequest('flash-race@bank.cn')
    await redirectWithFlash(request(), '/admin/users', 'userCreated', 'new.colleague@bank.cn')
    const reads = await Promise.all(Array.from({ length: 6 }, () => getSessionUserAndFlash(request())))
    const shown = reads.filter((read) => read.flash)
    expect(shown).toHaveLength(1)
    expect(shown[0]!.flash).toMatchObject({ key: 'userCreated', subject: 'new.colleague@bank.cn' })
    expect(reads.every((read) => read.user?.email === 'flash-race@bank.cn')).toBe(true)
  })

  it('belongs to the session that made the change, and a newer message replaces an unseen one', async () => {
    const mine = await signedInRequest('flash-mine@bank.cn')
    const theirs = await signedInRequest('flash-theirs@bank.cn')
    await redirectWithFlash(mine(), '/vendors/1', 'vendorCreated')
    await redirectWithFlash(mine(), '/vendors/1', 'tierSaved')
    expect((await getSessionUserAndFlash(theirs())).flash).toBeNull()
    expect((await getSessionUserAndFlash(mine())).flash).toMatchObject({ key: 'tierSaved' })
  })

  it('without a session only redirects', async () => {
    const response = await redirectWithFlash(new Request(URL_BASE + 'vendors'), '/login', 'vendorSaved')
    expect(response.headers.get('Location')).toBe('/login')
    expect(await getSessionUserAndFlash(new Request(URL_BASE + 'vendors'))).toEqual({ user: null, flash: null })
  })
})
