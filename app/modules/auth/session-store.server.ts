// The `sessions` collection: the only module that queries SessionModel. The request's session is
// one lookup by _id (every request); lookups by userId scan the collection on the embedded server
// (non-unique index) — fine for the sessions page, password changes and the purge, never per request.
import { Types } from 'mongoose'
import { SessionModel, type SessionFlashRecord, type SessionRecord } from '~models/session'

export type { SessionFlashRecord, SessionRecord }

export type NewSession = Pick<SessionRecord, 'userId' | 'expiresAt' | 'lastSeenAt'> & Partial<Pick<SessionRecord, 'userAgent' | 'ip' | 'pendingTwoFactor'>>

export async function insertSession(session: NewSession): Promise<SessionRecord> {
  const created = await SessionModel.create(session)
  return created.toObject<SessionRecord>()
}

/** By _id alone (the embedded server uses an index only for exact-field lookups); the caller checks expiry. */
export async function findSessionById(id: Types.ObjectId): Promise<SessionRecord | null> {
  return SessionModel.findOne({ _id: id }).lean<SessionRecord>()
}

/** A user's full sessions (not those waiting for a second factor), most recently seen first. */
export async function listSessionsOfUser(userId: Types.ObjectId): Promise<SessionRecord[]> {
  return SessionModel.find({ userId, pendingTwoFactor: { $ne: true } }).sort({ lastSeenAt: -1 }).lean<SessionRecord[]>()
}

/** Writes last-seen conditionally on the value read, so parallel requests write it once. */
export async function touchSession(session: Pick<SessionRecord, '_id' | 'lastSeenAt'>, now: Date): Promise<void> {
  await SessionModel.updateOne({ _id: session._id, lastSeenAt: session.lastSeenAt ?? null }, { $set: { lastSeenAt: now } })
}

export async function setSessionFlash(id: Types.ObjectId, flash: SessionFlashRecord): Promise<void> {
  await SessionModel.updateOne({ _id: id }, { $set: { flash } })
}

/** Removes the session's message if it is still the one read: true for the one request that shows it. */
export async function takeSessionFlash(id: Types.ObjectId, flashId: string): Promise<boolean> {
  const taken = await SessionModel.updateOne({ _id: id, 'flash.id': flashId }, { $unset: { flash: 1 } })
  return taken.modifiedCount === 1
}

export async function deleteSession(id: Types.ObjectId): Promise<void> {
  await SessionModel.deleteOne({ _id: id })
}

/** Deletes one session only if it is the user's own; whether it did. */
export async function deleteSessionOfUser(id: Types.ObjectId, userId: Types.ObjectId): Promise<boolean> {
  const deleted = await SessionModel.deleteOne({ _id: id, userId })
  return deleted.deletedCount === 1
}

/** Ends a user's sessions, all of them or all but `exceptSessionId` (the one making the change). How many ended. */
export async function deleteSessionsOfUser(userId: Types.ObjectId, options: { exceptSessionId?: string | null } = {}): Promise<number> {
  const except = options.exceptSessionId
  const deleted = await SessionModel.deleteMany({ userId, ...(except && Types.ObjectId.isValid(except) ? { _id: { $ne: new Types.ObjectId(except) } } : {}) })
  return deleted.deletedCount
}

/** Deletes sessions past their lifetime, created before `createdBefore` or last seen before `seenBefore`. */
export async function deleteExpiredSessions(limits: { now: Date; createdBefore: Date; seenBefore: Date }): Promise<number> {
  const deleted = await SessionModel.deleteMany({
    $or: [{ expiresAt: { $lte: limits.now } }, { createdAt: { $lte: limits.createdBefore } }, { lastSeenAt: { $lte: limits.seenBefore } }],
  })
  return deleted.deletedCount
}
