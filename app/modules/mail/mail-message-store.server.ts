// The only module that reads and writes the outbox (collection mail_messages). Claims and the
// writes after them keep the outbox's rules (delivery.server.ts): a claim is one atomic
// queued → sending update with a lease, and a sender writes only while the claim is its own.
import type { Types } from 'mongoose'
import { MailMessageModel, type MailDeliveryEffect, type MailMessageRecord, type MailStatus } from '~models/mail-message'

export type { MailDeliveryEffect, MailMessageRecord, MailStatus }

/** A message as the outbox page lists it: without its HTML and follow-up. */
export type ListedMail = Omit<MailMessageRecord, 'html' | 'onDelivered'>

export type NewMailMessage = Pick<MailMessageRecord, '_id' | 'to' | 'subject' | 'text' | 'kind' | 'status' | 'transport' | 'messageId' | 'attempts'> &
  Partial<Pick<MailMessageRecord, 'cc' | 'html' | 'locale' | 'dedupeKey' | 'related' | 'onDelivered' | 'nextAttemptAt' | 'sentAt'>>

/** The indexes, built before the jobs start (the job runner). */
export const ensureMailMessageIndexes = () => MailMessageModel.init()

const isDuplicateKey = (error: unknown) => typeof error === 'object' && error !== null && (error as { code?: number }).code === 11000

/** Records a message; false when its dedupeKey is taken (the message was recorded before). */
export async function insertMailMessage(message: NewMailMessage): Promise<boolean> {
  try {
    await MailMessageModel.create(message)
    return true
  } catch (error) {
    if (message.dedupeKey && isDuplicateKey(error)) return false
    throw error
  }
}

/** The last attempt's error of a message. */
export async function findMailError(messageId: Types.ObjectId): Promise<string | undefined> {
  const message = await MailMessageModel.findById(messageId, { error: 1 }).lean<Pick<MailMessageRecord, '_id' | 'error'>>()
  return message?.error
}

/** The newest messages first (the outbox page). */
export function listRecentMail(limit: number): Promise<ListedMail[]> {
  return MailMessageModel.find({}, { html: 0, onDelivered: 0 }).sort({ createdAt: -1 }).limit(limit).lean<ListedMail[]>()
}

/** The newest message about a record (e.g. the link mailed for an offboarding). */
export function findMailAbout(related: { kind: string; id: string }): Promise<Pick<MailMessageRecord, '_id' | 'text'> | null> {
  return MailMessageModel.findOne({ 'related.kind': related.kind, 'related.id': related.id }, { text: 1 }).lean<Pick<MailMessageRecord, '_id' | 'text'>>()
}

/** Keys among `keys` that already have a message: one indexed lookup instead of one per mail. */
export async function recordedDedupeKeys(keys: string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set()
  const existing = await MailMessageModel.find({ dedupeKey: { $in: keys } }, { dedupeKey: 1 }).lean<Pick<MailMessageRecord, '_id' | 'dedupeKey'>[]>()
  return new Set(existing.flatMap((message) => (message.dedupeKey ? [message.dedupeKey] : [])))
}

/** An administrator's "try again now": a failed or waiting SMTP message is due at once; false when it is neither. */
export async function requeueMailNow(messageId: Types.ObjectId, now: Date): Promise<boolean> {
  const updated = await MailMessageModel.updateOne({ _id: messageId, status: { $in: ['failed', 'queued'] }, transport: 'smtp' }, { $set: { status: 'queued', nextAttemptAt: now } })
  return updated.modifiedCount === 1
}

/**
 * Claims one message that is due (or whose sender's lease ran out), earliest first; `only`
 * narrows it to one message. Null when there is none: nothing due, or another sender was first.
 */
export function claimDueMail({ now, by, until, only }: { now: Date; by: string; until: Date; only?: Types.ObjectId }): Promise<MailMessageRecord | null> {
  const due = { $or: [{ status: 'queued', nextAttemptAt: { $lte: now } }, { status: 'sending', 'claim.until': { $lte: now } }] }
  return MailMessageModel.findOneAndUpdate(
    only ? { _id: only, ...due } : due,
    { $set: { status: 'sending', claim: { by, until }, lastAttemptAt: now }, $inc: { attempts: 1 } },
    { new: true, sort: { nextAttemptAt: 1 } },
  ).lean<MailMessageRecord>()
}

/** A failed attempt, only while the claim is still ours: queued again for `retryAt`, or failed for good when that is null. */
export async function recordFailedMailAttempt(message: Pick<MailMessageRecord, '_id'>, by: string, error: string, retryAt: Date | null): Promise<void> {
  const update = retryAt
    ? { $set: { status: 'queued', error, nextAttemptAt: retryAt }, $unset: { claim: 1 } }
    : { $set: { status: 'failed', error }, $unset: { claim: 1, nextAttemptAt: 1 } }
  await MailMessageModel.updateOne({ _id: message._id, status: 'sending', 'claim.by': by }, update)
}

export async function markMailSent(messageId: Types.ObjectId, at: Date): Promise<void> {
  await MailMessageModel.updateOne({ _id: messageId, status: { $ne: 'sent' } }, { $set: { status: 'sent', sentAt: at }, $unset: { claim: 1, nextAttemptAt: 1 } })
}
