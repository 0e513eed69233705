// The only module that reads and writes webhook endpoints (collection webhook_endpoints).
import { Types } from 'mongoose'
import { WebhookEndpointModel, type WebhookEndpointRecord } from '~models/webhook-endpoint'

export type { WebhookEndpointRecord }

/** The indexes, built before the jobs start (the job runner). */
export const ensureWebhookEndpointIndexes = () => WebhookEndpointModel.init()

export async function insertWebhookEndpoint(endpoint: Pick<WebhookEndpointRecord, '_id' | 'name' | 'url' | 'events' | 'secretSealed' | 'enabled' | 'createdBy'>): Promise<void> {
  await WebhookEndpointModel.create(endpoint)
}

export function findWebhookEndpoint(endpointId: Types.ObjectId): Promise<WebhookEndpointRecord | null> {
  return WebhookEndpointModel.findById(endpointId).lean<WebhookEndpointRecord>()
}

/** The newest endpoints first (the admin list). */
export function listWebhookEndpoints(limit: number): Promise<WebhookEndpointRecord[]> {
  return WebhookEndpointModel.find().sort({ createdAt: -1 }).limit(limit).lean<WebhookEndpointRecord[]>()
}

/** The enabled endpoints subscribed to an event kind (their ids). */
export function listSubscribedEndpointIds(kind: string): Promise<Pick<WebhookEndpointRecord, '_id'>[]> {
  return WebhookEndpointModel.find({ enabled: true, events: kind }, { _id: 1 }).lean<Pick<WebhookEndpointRecord, '_id'>[]>()
}

/** Turns a disabled endpoint on with a fresh count of failures; false when it was not off. */
export async function enableWebhookEndpoint(endpointId: Types.ObjectId): Promise<boolean> {
  const enabled = await WebhookEndpointModel.updateOne({ _id: endpointId, enabled: false }, { $set: { enabled: true, consecutiveFailures: 0 }, $unset: { disabled: 1 }, $inc: { version: 1 } })
  return enabled.modifiedCount === 1
}

/** Turns an enabled endpoint off (an admin, or too many failures in a row); false when it was not on. */
export async function disableWebhookEndpoint(endpointId: Types.ObjectId, disabled: NonNullable<WebhookEndpointRecord['disabled']>): Promise<boolean> {
  const turnedOff = await WebhookEndpointModel.updateOne({ _id: endpointId, enabled: true }, { $set: { enabled: false, disabled }, $inc: { version: 1 } })
  return turnedOff.modifiedCount === 1
}

export async function recordWebhookSuccess(endpointId: Types.ObjectId, at: Date): Promise<void> {
  await WebhookEndpointModel.updateOne({ _id: endpointId }, { $set: { consecutiveFailures: 0, lastSuccessAt: at } })
}

/** One more failed attempt in a row: the endpoint's count after it (null when it is gone). */
export function countWebhookFailure(endpointId: Types.ObjectId, at: Date): Promise<Pick<WebhookEndpointRecord, '_id' | 'consecutiveFailures' | 'name'> | null> {
  return WebhookEndpointModel.findOneAndUpdate({ _id: endpointId }, { $inc: { consecutiveFailures: 1 }, $set: { lastFailureAt: at } }, { new: true, projection: { consecutiveFailures: 1, name: 1 } }).lean<
    Pick<WebhookEndpointRecord, '_id' | 'consecutiveFailures' | 'name'>
  >()
}

/** Stores a new sealed signing secret; false when there is no such endpoint. */
export async function replaceWebhookSecret(endpointId: Types.ObjectId, secretSealed: string, at: Date): Promise<boolean> {
  const rotated = await WebhookEndpointModel.updateOne({ _id: endpointId }, { $set: { secretSealed, secretRotatedAt: at }, $inc: { version: 1 } })
  return rotated.matchedCount === 1
}

/** Deletes the endpoint in one update; what it was, for the audit trail (null when it was gone). */
export function deleteWebhookEndpoint(endpointId: Types.ObjectId): Promise<Pick<WebhookEndpointRecord, '_id' | 'name' | 'url' | 'events'> | null> {
  return WebhookEndpointModel.findOneAndDelete({ _id: endpointId }, { projection: { name: 1, url: 1, events: 1 } }).lean<Pick<WebhookEndpointRecord, '_id' | 'name' | 'url' | 'events'>>()
}
