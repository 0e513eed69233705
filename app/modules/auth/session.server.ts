import { createCookieSessionStorage, redirect } from '@remix-run/node'
import { randomUUID } from 'node:crypto'
import { Types } from 'mongoose'
import { getEnv } from '~/env.server'
import { oncePerRequest } from '~/request-scope.server'
import { deleteSession, findSessionById, insertSession, setSessionFlash, takeSessionFlash, touchSession, type SessionRecord } from './session-store.server'
import { findActiveUser } from './user-store.server'
import { can, type Permission, type Role } from './roles'
import { getSecuritySettings } from './security-settings.server'
import type { Locale } from '~/i18n/locales'
import { FLASH_MESSAGES, type Flash, type FlashKey } from '~/components/flash'

const SESSION_DAYS = 7

let storage: ReturnType<typeof createCookieSessionStorage<{ sessionId: string }>> | undefined
function sessionStorage() {
  const env = getEnv()
  storage ??= createCookieSessionStorage<{ sessionId: string }>({
    cookie: {
      name: '__clausewise_session',
      httpOnly: true,
      sameSite: 'lax',
      path: '/',
      // Secure whenever the app is served over https, whatever NODE_ENV says.
      secure: /^https:\/\//i.test(env.APP_URL ?? ''),
      secrets: [env.SESSION_SECRET],
      maxAge: SESSION_DAYS * 24 * 3600,
    },
  })
  return storage
}

export interface SessionUser {
  id: string
  email: string
  name: string
  role: Role
  locale: Locale
  /** Signed in with a one-time password: only /change-password is open (see password-change.server.ts). */
  mustChangePassword?: boolean
  /** Of a role that must use two-factor sign-in and not enrolled: only /account/two-factor is open. */
  mustEnrolTwoFactor?: boolean
}

/** How long a password-checked session waits for its second factor. */
export const PENDING_TWO_FACTOR_MS = 10 * 60_000
/** last-seen is written at most this often: not a database write per request. */
export const LAST_SEEN_EVERY_MS = 60_000
export const TWO_FACTOR_ENROL_PATH = '/account/two-factor'

/**
 * A new session for the user (a new id: a session never changes from pending to full in place, so
 * an id seen before the second factor is worthless after it). `pendingTwoFactor` opens only the
 * code step; `replaceSessionId` deletes the session this one replaces.
 */
export async function createUserSession(
  request: Request,
  userId: string,
  redirectTo: string,
  options: { clientAddress?: string; pendingTwoFactor?: boolean; replaceSessionId?: string } = {},
) {
  const session = await sessionStorage().getSession()
  const now = Date.now()
  const lifetimeMs = options.pendingTwoFactor ? PENDING_TWO_FACTOR_MS : Math.min(SESSION_DAYS * 24, (await getSecuritySettings()).sessionAbsoluteHours) * 3_600_000
  const record = await insertSession({
    userId: new Types.ObjectId(userId),
    expiresAt: new Date(now + lifetimeMs),
    userAgent: request.headers.get('user-agent')?.slice(0, 200),
    ip: options.clientAddress?.slice(0, 64),
    lastSeenAt: new Date(now),
    ...(options.pendingTwoFactor ? { pendingTwoFactor: true } : {}),
  })
  if (options.replaceSessionId && Types.ObjectId.isValid(options.replaceSessionId)) await deleteSession(new Types.ObjectId(options.replaceSessionId))
  session.set('sessionId', record._id.toString())
  return redirect(safeRedirect(redirectTo), {
    headers: { 'Set-Cookie': await sessionStorage().commitSession(session) },
  })
}

/** The request's live session record: not past its absolute lifetime nor idle too long. */
async function liveSession(request: Request, now = new Date()) {
  const sessionId = await getSessionId(request)
  if (!sessionId) return null
  // By _id alone (the embedded server uses an index only for exact-field lookups); expiry checked here.
  const record = await findSessionById(new Types.ObjectId(sessionId))
  if (!record) return null
  const settings = await getSecuritySettings()
  const lastSeen = (record.lastSeenAt ?? record.createdAt).getTime()
  const expired =
    record.expiresAt <= now ||
    record.createdAt.getTime() + settings.sessionAbsoluteHours * 3_600_000 <= now.getTime() ||
    lastSeen + settings.sessionIdleMinutes * 60_000 <= now.getTime()
  if (expired) {
    await deleteSession(record._id)
    return null
  }
  if (now.getTime() - lastSeen >= LAST_SEEN_EVERY_MS) {
    await touchSession(record, now)
  }
  return record
}

export async function getSessionUser(request: Request): Promise<SessionUser | null> {
  return (await signedIn(request)).user
}

// The root loader and the page's loader run side by side, each asking who is signed in: one
// session and user lookup per request (server.ts scopes each request).
function signedIn(request: Request) {
  return oncePerRequest('auth.signedIn', async () => {
    const record = await liveSession(request)
    return { record, user: record ? await userOfSession(record) : null }
  })
}

/**
 * The signed-in user and the message a redirect left for this page (root loader). The message is
 * removed on the same read's session document, conditionally on its id: shown once.
 */
export async function getSessionUserAndFlash(request: Request): Promise<{ user: SessionUser | null; flash: Flash | null }> {
  const { record, user } = await signedIn(request)
  if (!user || !record?.flash) return { user, flash: null }
  const { id, key, subject } = record.flash
  const taken = await takeSessionFlash(record._id, id)
  const known = (FLASH_MESSAGES as readonly string[]).includes(key)
  return { user, flash: taken && known ? { id, key: key as FlashKey, ...(subject ? { subject } : {}) } : null }
}

async function userOfSession(record: SessionRecord): Promise<SessionUser | null> {
  if (record.pendingTwoFactor) return null
  const user = await findActiveUser(record.userId)
  if (!user) return null
  const mustEnrol = !user.twoFactor?.enabledAt && (await getSecuritySettings()).twoFactorRoles.includes(user.role)
  return {
    id: user._id.toString(),
    email: user.email,
    name: user.name,
    role: user.role,
    locale: user.locale,
    ...(user.mustChangePassword ? { mustChangePassword: true } : {}),
    ...(mustEnrol ? { mustEnrolTwoFactor: true } : {}),
  }
}

/**
 * A redirect that leaves a message for the next page ("Vendor saved"), kept on the server-side
 * session rather than in the address, so a reload or a shared link does not show it again.
 */
export async function redirectWithFlash(request: Request, to: string, key: FlashKey, subject?: string): Promise<ReturnType<typeof redirect>> {
  const sessionId = await getSessionId(request)
  if (sessionId) {
    const flash = { id: randomUUID(), key, ...(subject ? { subject: subject.slice(0, 300) } : {}) }
    await setSessionFlash(new Types.ObjectId(sessionId), flash)
  }
  return redirect(to)
}

/** A session whose password was right and whose second factor is still due. */
export async function getPendingTwoFactor(request: Request): Promise<{ sessionId: string; userId: string } | null> {
  const record = await liveSession(request)
  if (!record?.pendingTwoFactor) return null
  return { sessionId: record._id.toString(), userId: record.userId.toString() }
}

/** The id of the request's session record, if any. */
export async function getSessionId(request: Request): Promise<string | null> {
  const session = await sessionStorage().getSession(request.headers.get('Cookie'))
  const sessionId = session.get('sessionId')
  return typeof sessionId === 'string' && Types.ObjectId.isValid(sessionId) ? sessionId : null
}

/** Signed-in user or a redirect to the sign-in page. With a permission, a 403 for the wrong role. */
export async function requireUser(request: Request, permission?: Permission, options: { twoFactorEnrolment?: boolean } = {}): Promise<SessionUser> {
  const user = await getSessionUser(request)
  if (!user) {
    const url = new URL(request.url)
    throw redirect(`/login?${new URLSearchParams({ redirectTo: url.pathname + url.search })}`)
  }
  // A one-time password opens nothing but the page that replaces it.
  if (user.mustChangePassword) {
    const url = new URL(request.url)
    throw redirect(`/change-password?${new URLSearchParams({ redirectTo: url.pathname + url.search })}`)
  }
  // A role that must use a second factor reaches nothing before enrolling (but the enrolment page).
  if (user.mustEnrolTwoFactor && !options.twoFactorEnrolment) {
    const url = new URL(request.url)
    throw redirect(`${TWO_FACTOR_ENROL_PATH}?${new URLSearchParams({ redirectTo: url.pathname + url.search })}`)
  }
  if (permission && !can(user.role, permission)) {
    throw new Response('Forbidden', { status: 403, statusText: 'Forbidden' })
  }
  return user
}

export async function signOut(request: Request) {
  const session = await sessionStorage().getSession(request.headers.get('Cookie'))
  const sessionId = session.get('sessionId')
  if (typeof sessionId === 'string' && Types.ObjectId.isValid(sessionId)) {
    await deleteSession(new Types.ObjectId(sessionId))
  }
  return redirect('/login', { headers: { 'Set-Cookie': await sessionStorage().destroySession(session) } })
}

const REDIRECT_BASE = 'http://clausewise.invalid'

/**
 * Only paths on this site: an open redirect would let a phishing link borrow our sign-in page.
 * The value is parsed the way a browser parses a Location header (WHATWG URL against our own
 * origin) and kept only if it stays on that origin; anything a browser would strip or reinterpret
 * (tabs, newlines, backslashes, other control or non-ASCII characters) is refused outright, so
 * the header value can never throw either.
 */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = '/'): string {
  if (typeof to !== 'string' || !to.startsWith('/') || !/^[\x21-\x7e]+$/.test(to) || to.includes('\\')) return fallback
  let url: URL
  try {
    url = new URL(to, REDIRECT_BASE)
  } catch {
    return fallback
  }
  const path = url.pathname + url.search + url.hash
  // "/.//evil.example" normalises to "//evil.example", which a browser reads as another host.
  if (url.origin !== REDIRECT_BASE || path.startsWith('//')) return fallback
  return path
}
