// The only module that reads and writes webhook deliveries (collection webhook_deliveries).
// Claims and the writes after them keep the outbox's rules (delivery.server.ts): a claim is one
// atomic queued → sending update with a lease, and a sender writes only while the claim is its own.
import { WebhookDeliveryModel, type DeliveryStatus, type WebhookAttemptRecord, type WebhookDeliveryRecord } from '~models/webhook-delivery'

export type { DeliveryStatus, WebhookAttemptRecord, WebhookDeliveryRecord }

/** A claimed delivery: everything but its log. */
export type ClaimedDelivery = Omit<WebhookDeliveryRecord, 'log'>

/** The indexes, built before the jobs start (the job runner). */
export const ensureWebhookDeliveryIndexes = () => WebhookDeliveryModel.init()

// The driver's collection, typed: deliveries are inserted as they are, without mongoose's casting.
const deliveries = () => WebhookDeliveryModel.db.collection<WebhookDeliveryRecord>(WebhookDeliveryModel.collection.collectionName)

const isDuplicateKey = (error: unknown) => (error as { code?: number }).code === 11000

/** Inserts new deliveries; one already there (the same event for the same endpoint) stays as it is. */
export async function insertWebhookDeliveries(records: WebhookDeliveryRecord[]): Promise<void> {
  try {
    await deliveries().insertMany(records, { ordered: false })
  } catch (error) {
    const writeErrors = (error as { writeErrors?: { code?: number; err?: { code?: number } }[] }).writeErrors
    const onlyDuplicates = isDuplicateKey(error) || (writeErrors?.length && writeErrors.every((entry) => (entry.code ?? entry.err?.code) === 11000))
    if (!onlyDuplicates) throw error
  }
}

/**
 * Claims one delivery that is due (or whose sender's lease ran out), earliest first; `only`
 * narrows it to these ids. Null when there is none: nothing due, or another sender was first.
 */
export function claimDueWebhookDelivery({ now, by, until, only }: { now: Date; by: string; until: Date; only?: string[] }): Promise<ClaimedDelivery | null> {
  const due = { $or: [{ status: 'queued', nextAttemptAt: { $lte: now } }, { status: 'sending', 'claim.until': { $lte: now } }] }
  return WebhookDeliveryModel.findOneAndUpdate(
    only ? { _id: { $in: only }, ...due } : due,
    { $set: { status: 'sending', claim: { by, until } }, $inc: { attempts: 1 } },
    { new: true, sort: { nextAttemptAt: 1 }, projection: { log: 0 } },
  ).lean<ClaimedDelivery>()
}

/** Only while the claim is still ours: after a lease ran out, the new sender decides. */
const ours = (delivery: ClaimedDelivery, by: string) => ({ _id: delivery._id, status: 'sending', 'claim.by': by })

/** Held back (the endpoint is off or gone, or the event is missing): the attempt does not count. */
export async function skipWebhookDelivery(delivery: ClaimedDelivery, by: string, entry: WebhookAttemptRecord): Promise<void> {
  await WebhookDeliveryModel.updateOne(ours(delivery, by), { $set: { status: 'skipped' }, $unset: { claim: 1, nextAttemptAt: 1 }, $push: { log: entry }, $inc: { attempts: -1 } })
}

export async function markWebhookDelivered(deliveryId: string, entry: WebhookAttemptRecord, at: Date): Promise<void> {
  await WebhookDeliveryModel.updateOne({ _id: deliveryId, status: { $ne: 'delivered' } }, { $set: { status: 'delivered', deliveredAt: at }, $unset: { claim: 1, nextAttemptAt: 1 }, $push: { log: entry } })
}

/** A failed attempt: queued again for `retryAt`, or failed for good when that is null. */
export async function recordFailedWebhookAttempt(delivery: ClaimedDelivery, by: string, entry: WebhookAttemptRecord, retryAt: Date | null): Promise<void> {
  const update = retryAt
    ? { $set: { status: 'queued', nextAttemptAt: retryAt }, $unset: { claim: 1 }, $push: { log: entry } }
    : { $set: { status: 'failed' }, $unset: { claim: 1, nextAttemptAt: 1 }, $push: { log: entry } }
  await WebhookDeliveryModel.updateOne(ours(delivery, by), update)
}

/** A new round of attempts from `now`, unless it is being posted; false when there is nothing to redeliver. */
export async function requeueWebhookDelivery(deliveryId: string, now: Date): Promise<boolean> {
  const requeued = await WebhookDeliveryModel.updateOne(
    { _id: deliveryId, status: { $in: ['delivered', 'failed', 'skipped', 'queued'] } },
    { $set: { status: 'queued', nextAttemptAt: now, attempts: 0 }, $unset: { claim: 1 } },
  )
  return requeued.matchedCount === 1
}

/** What an endpoint held back while it was off is queued again. */
export async function requeueSkippedWebhookDeliveries(endpointId: string, now: Date): Promise<void> {
  await WebhookDeliveryModel.updateMany({ endpointId, status: 'skipped' }, { $set: { status: 'queued', nextAttemptAt: now, attempts: 0 } })
}

/** An endpoint's deliveries, newest first. */
export function listDeliveriesOfEndpoint(endpointId: string, limit: number): Promise<WebhookDeliveryRecord[]> {
  return WebhookDeliveryModel.find({ endpointId }).sort({ createdAt: -1 }).limit(limit).lean<WebhookDeliveryRecord[]>()
}

export function findLastDeliveryOfEndpoint(endpointId: string): Promise<WebhookDeliveryRecord | null> {
  return WebhookDeliveryModel.findOne({ endpointId }).sort({ createdAt: -1 }).lean<WebhookDeliveryRecord>()
}

/** Removes an endpoint's deliveries: how many were still pending, and how many there were. */
export async function deleteDeliveriesOfEndpoint(endpointId: string): Promise<{ pending: number; removed: number }> {
  const pending = await WebhookDeliveryModel.countDocuments({ endpointId, status: { $in: ['queued', 'sending', 'skipped'] } })
  const removed = await WebhookDeliveryModel.deleteMany({ endpointId })
  return { pending, removed: removed.deletedCount }
}
