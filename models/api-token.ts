import { model, Schema, type InferSchemaType, type Types } from 'mongoose'
import { baseSchemaOptions, defineModel } from './shared'

// Tokens for the REST API (/api/v1). Only the SHA-256 of a token is stored, under a unique index:
// a call is one indexed lookup, and a database backup gives nobody a usable token.
const apiTokenSchema = new Schema(
  {
    name: { type: String, required: true },
    tokenHash: { type: String, required: true },
    /** e.g. "vendors:read", "findings:write" (app/modules/api/scopes.ts). */
    scopes: { type: [String], default: [] },
    expiresAt: { type: Date, required: true },
    revokedAt: { type: Date },
    revokedBy: { id: String, name: String },
    createdBy: { id: { type: String, required: true }, name: { type: String, required: true } },
    /** Touched at most once a minute (tokens.server.ts). */
    lastUsedAt: { type: Date },
  },
  baseSchemaOptions,
)
apiTokenSchema.index({ tokenHash: 1 }, { unique: true })

export type ApiTokenDocument = InferSchemaType<typeof apiTokenSchema> & { _id: Types.ObjectId }
export const ApiTokenModel = defineModel('ApiToken', () => model('ApiToken', apiTokenSchema, 'api_tokens'))
