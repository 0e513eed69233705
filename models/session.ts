import { model, Schema, type Types } from 'mongoose'
import { baseSchemaOptions, defineModel } from './shared'

/** A message for the next page after a redirect (auth/flash.server.ts); removed once shown. */
export interface SessionFlashRecord {
  id: string
  /** A FlashKey when written; checked against the known keys when read (a stored key may be stale). */
  key: string
  subject?: string | null
}

/** A server-side session as stored (lean). */
export interface SessionRecord {
  _id: Types.ObjectId
  userId: Types.ObjectId
  expiresAt: Date
  userAgent?: string | null
  /** The client address at sign-in (server.ts's clientAddress). */
  ip?: string | null
  /** Touched at most once a minute (session.server.ts), for the idle timeout and the sessions page. */
  lastSeenAt?: Date | null
  /** Password checked, code not yet: opens only /login/two-factor. */
  pendingTwoFactor?: boolean | null
  flash?: SessionFlashRecord | null
  createdAt: Date
  updatedAt: Date
}

// Server-side sessions: the cookie carries only this document's id, so signing out or
// deactivating a user ends the session at once.
const sessionSchema = new Schema<SessionRecord>(
  {
    userId: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    expiresAt: { type: Date, required: true },
    userAgent: { type: String },
    ip: { type: String },
    lastSeenAt: { type: Date },
    pendingTwoFactor: { type: Boolean },
    flash: {
      type: new Schema<SessionFlashRecord>({ id: { type: String, required: true }, key: { type: String, required: true }, subject: { type: String, maxlength: 300 } }, { _id: false }),
      required: false,
    },
  },
  baseSchemaOptions,
)
sessionSchema.index({ userId: 1 })
sessionSchema.index({ expiresAt: 1 })

export const SessionModel = defineModel('Session', () => model<SessionRecord>('Session', sessionSchema, 'sessions'))
