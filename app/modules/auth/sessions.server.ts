// A user's sessions: listed on /account/sessions, ended one by one by their owner or all at once by
// an admin; expired ones purged by the scheduler's sweep. Lookups by userId scan the collection on
// the embedded server (non-unique index) — fine for these pages and the job, never per request.
import { Types } from 'mongoose'
import { recordAudit } from '~/modules/audit/audit.server'
import { SessionModel } from '~models/session'
import { deviceOf } from './security-settings'
import { getSecuritySettings } from './security-settings.server'
import type { SessionUser } from './session.server'

export async function listSessions(userId: string, currentSessionId: string | null) {
  const sessions = await SessionModel.find({ userId: new Types.ObjectId(userId), pendingTwoFactor: { $ne: true } }).sort({ lastSeenAt: -1 }).lean()
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
  const deleted = await SessionModel.deleteOne({ _id: new Types.ObjectId(sessionId), userId: new Types.ObjectId(user.id) })
  if (deleted.deletedCount === 1) await recordAudit({ actor: { kind: 'user', id: user.id, label: user.email }, action: 'user.session.end', subject: { kind: 'user', id: user.id }, details: { sessionId } })
  return deleted.deletedCount === 1
}

/** An admin signs a user out everywhere (e.g. on leaving). */
export async function endAllSessions(userId: string, actor: SessionUser): Promise<number | null> {
  if (!/^[0-9a-f]{24}$/i.test(userId)) return null
  const deleted = await SessionModel.deleteMany({ userId: new Types.ObjectId(userId) })
  await recordAudit({ actor: { kind: 'user', id: actor.id, label: actor.email }, action: 'user.sessions.end-all', subject: { kind: 'user', id: userId }, details: { ended: deleted.deletedCount } })
  return deleted.deletedCount
}

/** Deletes sessions past their lifetime or idle too long (requests already refuse them). */
export async function purgeExpiredSessions(now = new Date()): Promise<number> {
  const settings = await getSecuritySettings()
  const deleted = await SessionModel.deleteMany({
    $or: [
      { expiresAt: { $lte: now } },
      { createdAt: { $lte: new Date(now.getTime() - settings.sessionAbsoluteHours * 3_600_000) } },
      { lastSeenAt: { $lte: new Date(now.getTime() - settings.sessionIdleMinutes * 60_000) } },
    ],
  })
  return deleted.deletedCount
}
