// The `sign_in_throttles` collection: the only module that queries SignInThrottleModel. Every step
// is one atomic single-document update found by the unique key (see throttle.server.ts).
import { SignInThrottleModel, type SignInThrottleRecord } from '~models/sign-in-throttle'

export type { SignInThrottleRecord }

/** Starts a record untouched since `staleBefore` again from zero. */
export async function resetStaleThrottle(key: string, staleBefore: Date): Promise<void> {
  await SignInThrottleModel.updateOne({ key, lastAttemptAt: { $lt: staleBefore } }, { $set: { attempts: 0, nextAttemptAt: new Date(0) } })
}

/** Counts one attempt (creating the record on the first); the record after the count. */
export async function countSignInAttempt(key: string, now: Date): Promise<SignInThrottleRecord | null> {
  return SignInThrottleModel.findOneAndUpdate(
    { key },
    { $inc: { attempts: 1 }, $set: { lastAttemptAt: now }, $setOnInsert: { nextAttemptAt: new Date(0) } },
    { upsert: true, new: true, lean: true },
  ).lean<SignInThrottleRecord>()
}

/** Claims the one check allowed once `now` has reached nextAttemptAt, moving it to `nextAttemptAt`; false when another request holds it. */
export async function claimSignInCheck(key: string, now: Date, nextAttemptAt: Date): Promise<boolean> {
  const claimed = await SignInThrottleModel.findOneAndUpdate({ key, nextAttemptAt: { $lte: now } }, { $set: { nextAttemptAt } }, { new: true, lean: true }).lean<SignInThrottleRecord>()
  return claimed !== null
}

export async function findNextAttemptAt(key: string): Promise<Date | null> {
  const current = await SignInThrottleModel.findOne({ key }, { nextAttemptAt: 1 }).lean<Pick<SignInThrottleRecord, '_id' | 'nextAttemptAt'>>()
  return current?.nextAttemptAt ?? null
}

export async function deleteSignInThrottle(key: string): Promise<void> {
  await SignInThrottleModel.deleteOne({ key })
}
