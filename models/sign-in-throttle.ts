import { model, Schema, type Types } from 'mongoose'
import { baseSchemaOptions, defineModel } from './shared'

/** Sign-in attempts of one (account e-mail, client address) as stored (lean). */
export interface SignInThrottleRecord {
  _id: Types.ObjectId
  /** SHA-256 of the e-mail and the client address (throttle.server.ts `throttleKey`). */
  key: string
  /** Attempts since the last success (or since the record went stale), counted before checking. */
  attempts: number
  /** Once the free attempts are used, one check is allowed at a time, no earlier than this. */
  nextAttemptAt: Date
  lastAttemptAt?: Date | null
  createdAt: Date
  updatedAt: Date
}

// Sign-in attempts per (account e-mail, client address), whether or not the account exists: the
// key is a hash of both, found by its unique index. See docs/decisions/013-sign-in-throttling.md.
const signInThrottleSchema = new Schema<SignInThrottleRecord>(
  {
    key: { type: String, required: true },
    attempts: { type: Number, default: 0 },
    nextAttemptAt: { type: Date, default: () => new Date(0) },
    lastAttemptAt: { type: Date },
  },
  baseSchemaOptions,
)
signInThrottleSchema.index({ key: 1 }, { unique: true })

export const SignInThrottleModel = defineModel('SignInThrottle', () => model<SignInThrottleRecord>('SignInThrottle', signInThrottleSchema, 'sign_in_throttles'))
