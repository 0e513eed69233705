import { model, Schema, type InferSchemaType, type Types } from 'mongoose'
import { baseSchemaOptions, defineModel } from './shared'

// Sign-in attempts per (account e-mail, client address), whether or not the account exists: the
// key is a hash of both, found by its unique index. See docs/decisions/013-sign-in-throttling.md.
const signInThrottleSchema = new Schema(
  {
    key: { type: String, required: true },
    /** Attempts since the last success (or since the record went stale), counted before checking. */
    attempts: { type: Number, default: 0 },
    /** Once the free attempts are used, one check is allowed at a time, no earlier than this. */
    nextAttemptAt: { type: Date, default: () => new Date(0) },
    lastAttemptAt: { type: Date },
  },
  baseSchemaOptions,
)
signInThrottleSchema.index({ key: 1 }, { unique: true })

export type SignInThrottleDocument = InferSchemaType<typeof signInThrottleSchema> & { _id: Types.ObjectId }
export const SignInThrottleModel = defineModel('SignInThrottle', () => model('SignInThrottle', signInThrottleSchema, 'sign_in_throttles'))
