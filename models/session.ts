import { model, Schema, type InferSchemaType, type Types } from 'mongoose'
import { baseSchemaOptions, defineModel } from './shared'

// Server-side sessions: the cookie carries only this document's id, so signing out or
// deactivating a user ends the session at once.
const sessionSchema = new Schema(
  {
    userId: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    expiresAt: { type: Date, required: true },
    userAgent: { type: String },
    /** The client address at sign-in (server.ts's clientAddress). */
    ip: { type: String },
    /** Touched at most once a minute (session.server.ts), for the idle timeout and the sessions page. */
    lastSeenAt: { type: Date },
    /** Password checked, code not yet: opens only /login/two-factor. */
    pendingTwoFactor: { type: Boolean },
    /** A message for the next page after a redirect (auth/flash.server.ts); removed once shown. */
    flash: {
      type: new Schema({ id: { type: String, required: true }, key: { type: String, required: true }, subject: { type: String, maxlength: 300 } }, { _id: false }),
      required: false,
    },
  },
  baseSchemaOptions,
)
sessionSchema.index({ userId: 1 })
sessionSchema.index({ expiresAt: 1 })

export type SessionDocument = InferSchemaType<typeof sessionSchema> & { _id: Types.ObjectId }
export const SessionModel = defineModel('Session', () => model('Session', sessionSchema, 'sessions'))
