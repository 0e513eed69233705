// A user's sessions: listed on /account/sessions, ended one by one by their owner or all at once by
// an admin; expired ones purged by the scheduler's sweep (queries in session-store.server.ts).
import { Types } from 'mongoose'
import { recordAudit } from '~/modules/audit/audit.server'
import { deleteExpiredSessions, deleteSessionOfUser, deleteSessionsOfUser, listSessionsOfUser } from './session-store.server'
import { deviceOf } from './security-settings'
import { getSecuritySettings } from './security-settings.server'
import type { SessionUser } from './session.server'

export async function listSessions(userId: string, currentSessionId: string | null) {
  const sessions = await listSessionsOfUser(new Types.ObjectId(userId))
  return sessions.map((session) => ({
    id: session._id.toString(),
    device: deviceOf(session.userAgent),
    ip: session.ip ?? null,
    signedInAt: session.createdAt.toISOString(),
    lastSeenAt: (session.lastSeenAt ?? session.createdAt).toISOString(),
    current: session._id.toString() === currentSessionId,
  }))
}

/** The owner ends one of their sessions; the browser holding it is signed out on its next request. */
export async function endOwnSession(user: SessionUser, sessionId: string): Promise<boolean> {
  if (!/^[0-9a-f]{24}$/i.test(sessionId)) return false
  const deleted = await deleteSessionOfUser(new Types.ObjectId(sessionId), new Types.ObjectId(user.id))
  if (deleted) await recordAudit({ actor: { kind: 'user', id: user.id, label: user.email }, action: 'user.session.end', subject: { kind: 'user', id: user.id }, details: { sessionId } })
  return deleted
}

/** An admin signs a user out everywhere (e.g. on leaving). */
export async function endAllSessions(userId: string, actor: SessionUser): Promise<number | null> {
  if (!/^[0-9a-f]{24}$/i.test(userId)) return null
  const ended = await deleteSessionsOfUser(new Types.ObjectId(userId))
  await recordAudit({ actor: { kind: 'user', id: actor.id, label: actor.email }, action: 'user.sessions.end-all', subject: { kind: 'user', id: userId }, details: { ended } })
  return ended
}

/** Deletes sessions past their lifetime or idle too long (requests already refuse them). */
export async function purgeExpiredSessions(now = new Date()): Promise<number> {
  const settings = await getSecuritySettings()
  return deleteExpiredSessions({
    now,
    createdBefore: new Date(now.getTime() - settings.sessionAbsoluteHours * 3_600_000),
    seenBefore: new Date(now.getTime() - settings.sessionIdleMinutes * 60_000),
  })
}
