import { model, Schema, type Types } from 'mongoose'
import { baseSchemaOptions, defineModel } from './shared'

/** A staff user named on a token (who created or revoked it), as they were at that moment. */
export interface ApiTokenActorRecord {
  id: string
  name: string
}

/** A REST API token as stored (lean): never the token itself, only its hash. */
export interface ApiTokenRecord {
  _id: Types.ObjectId
  name: string
  /** SHA-256 of the token (tokens.server.ts `hashToken`). */
  tokenHash: string
  /** e.g. "vendors:read", "findings:write" (app/modules/api/scopes.ts); read through `isApiScope`, a stored one may be retired. */
  scopes: string[]
  expiresAt: Date
  revokedAt?: Date | null
  revokedBy?: Partial<ApiTokenActorRecord> | null
  createdBy: ApiTokenActorRecord
  /** Touched at most once a minute (tokens.server.ts). */
  lastUsedAt?: Date | null
  createdAt: Date
  updatedAt: Date
}

// Tokens for the REST API (/api/v1). Only the SHA-256 of a token is stored, under a unique index:
// a call is one indexed lookup, and a database backup gives nobody a usable token.
const apiTokenSchema = new Schema<ApiTokenRecord>(
  {
    name: { type: String, required: true },
    tokenHash: { type: String, required: true },
    scopes: { type: [String], default: [] },
    expiresAt: { type: Date, required: true },
    revokedAt: { type: Date },
    revokedBy: { id: String, name: String },
    createdBy: { id: { type: String, required: true }, name: { type: String, required: true } },
    lastUsedAt: { type: Date },
  },
  baseSchemaOptions,
)
apiTokenSchema.index({ tokenHash: 1 }, { unique: true })

export const ApiTokenModel = defineModel('ApiToken', () => model<ApiTokenRecord>('ApiToken', apiTokenSchema, 'api_tokens'))
