// The `api_tokens` collection: the only module that queries ApiTokenModel. A call's token is one
// lookup by the unique hash; the hash never leaves this module on a read.
import type { Types } from 'mongoose'
import { ApiTokenModel, type ApiTokenActorRecord, type ApiTokenRecord } from '~models/api-token'

export type { ApiTokenActorRecord, ApiTokenRecord }

/** A token as read back: everything but its hash. */
export type StoredApiToken = Omit<ApiTokenRecord, 'tokenHash'>

export async function insertApiToken(token: Pick<ApiTokenRecord, 'name' | 'tokenHash' | 'scopes' | 'expiresAt' | 'createdBy'>): Promise<StoredApiToken> {
  const { tokenHash: _hash, ...created } = (await ApiTokenModel.create(token)).toObject<ApiTokenRecord>()
  return created
}

export async function findApiTokenByHash(tokenHash: string): Promise<StoredApiToken | null> {
  return ApiTokenModel.findOne({ tokenHash }, { tokenHash: 0 }).lean<StoredApiToken>()
}

/** The newest tokens first, at most `limit`. */
export async function listApiTokenRecords(limit: number): Promise<StoredApiToken[]> {
  return ApiTokenModel.find({}, { tokenHash: 0 }).sort({ _id: -1 }).limit(limit).lean<StoredApiToken[]>()
}

/** Revokes a token not revoked yet; the token's name, or null when unknown or already revoked. */
export async function revokeApiTokenRecord(id: Types.ObjectId, revocation: { revokedAt: Date; revokedBy: ApiTokenActorRecord }): Promise<Pick<ApiTokenRecord, '_id' | 'name'> | null> {
  return ApiTokenModel.findOneAndUpdate({ _id: id, revokedAt: null }, { $set: revocation }, { new: true, projection: { name: 1 } }).lean<Pick<ApiTokenRecord, '_id' | 'name'>>()
}

/** Writes last-used conditionally on the value read, so parallel calls write it once. */
export async function touchApiToken(token: Pick<ApiTokenRecord, '_id' | 'lastUsedAt'>, now: Date): Promise<void> {
  await ApiTokenModel.updateOne({ _id: token._id, lastUsedAt: token.lastUsedAt ?? null }, { $set: { lastUsedAt: now } })
}
