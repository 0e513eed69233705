// The offboardings collection: the only module that queries or updates it. One document per
// leaving vendor (unique vendorId); every step is one atomic update guarded by what it must find.
import type { Types } from 'mongoose'
import { OffboardingModel, type OffboardingRecord, type OffboardingReview } from '~models/offboarding'

export type { OffboardingDisposal, OffboardingFile, OffboardingRecord, OffboardingReview } from '~models/offboarding'

const isDuplicateKey = (error: unknown) => typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 11000

// ---------------------------------------------------------------------------------------------
// Reading

export async function findOffboarding(id: Types.ObjectId | string): Promise<OffboardingRecord | null> {
  return OffboardingModel.findById(id).lean<OffboardingRecord>()
}

export async function findOffboardingOfVendor(vendorId: Types.ObjectId): Promise<OffboardingRecord | null> {
  return OffboardingModel.findOne({ vendorId }).lean<OffboardingRecord>()
}

/** Whether the vendor's offboarding has started. */
export async function offboardingExistsFor(vendorId: Types.ObjectId): Promise<boolean> {
  return (await OffboardingModel.exists({ vendorId })) !== null
}

export async function findOffboardingStatus(id: Types.ObjectId): Promise<Pick<OffboardingRecord, '_id' | 'vendorId' | 'status'> | null> {
  return OffboardingModel.findById(id, { vendorId: 1, status: 1 }).lean<Pick<OffboardingRecord, '_id' | 'vendorId' | 'status'>>()
}

/** Offboardings the job still has work on: waiting for the vendor, or accepted. */
export async function listOpenOffboardings(): Promise<OffboardingRecord[]> {
  return OffboardingModel.find({ status: { $in: ['requested', 'accepted'] } }).lean<OffboardingRecord[]>()
}

export type AcceptedOffboarding = Pick<OffboardingRecord, '_id' | 'vendorId' | 'acceptedAt' | 'retention'>

export async function listAcceptedOffboardings(): Promise<AcceptedOffboarding[]> {
  return OffboardingModel.find({ status: 'accepted' }, { vendorId: 1, acceptedAt: 1, retention: 1 }).lean<AcceptedOffboarding[]>()
}

// ---------------------------------------------------------------------------------------------
// Writing

export type NewOffboarding = Pick<OffboardingRecord, '_id' | 'vendorId' | 'status' | 'reason' | 'endDate' | 'startedBy' | 'startedAt' | 'categories' | 'clause'>

/** Starts an offboarding; false if the vendor's has started already (the unique vendorId). */
export async function insertOffboarding(offboarding: NewOffboarding): Promise<boolean> {
  try {
    await OffboardingModel.create(offboarding)
    return true
  } catch (error) {
    if (isDuplicateKey(error)) return false
    throw error
  }
}

export async function recordCancelledAssessment(id: Types.ObjectId, assessmentId: string): Promise<void> {
  await OffboardingModel.updateOne({ _id: id }, { $addToSet: { cancelledAssessmentIds: assessmentId } })
}

/** The vendor's answer, if the offboarding is still requested at `version`. */
export async function recordVendorResponse(offboarding: Pick<OffboardingRecord, '_id' | 'version'>, response: NonNullable<OffboardingRecord['response']>): Promise<boolean> {
  const updated = await OffboardingModel.updateOne(
    { _id: offboarding._id, version: offboarding.version, status: 'requested' },
    { $set: { status: 'submitted', response }, $inc: { version: 1 } },
  )
  return updated.modifiedCount === 1
}

/** Compliance's decision on a submitted answer still at `version`: accepted, or back to the vendor. */
export async function recordOffboardingReview(offboarding: Pick<OffboardingRecord, '_id' | 'version'>, review: OffboardingReview): Promise<boolean> {
  const accept = review.decision === 'accepted'
  const updated = await OffboardingModel.updateOne(
    { _id: offboarding._id, version: offboarding.version, status: 'submitted' },
    accept
      ? { $set: { status: 'accepted', acceptedAt: review.at }, $push: { reviews: review }, $inc: { version: 1 } }
      : { $set: { status: 'requested' }, $push: { reviews: review }, $inc: { version: 1 } },
  )
  return updated.modifiedCount === 1
}

/** Claims a reminder or escalation round of a requested offboarding; false if it was claimed before. */
export async function claimReminderRound(id: Types.ObjectId, round: string, now: Date): Promise<boolean> {
  const claimed = await OffboardingModel.updateOne({ _id: id, status: 'requested', 'reminders.key': { $ne: round } }, { $push: { reminders: { key: round, at: now } }, $inc: { version: 1 } })
  return claimed.modifiedCount === 1
}

/** Claims listing the offboarding to admins as due for deletion; false if it was listed before. */
export async function claimRetentionListing(id: Types.ObjectId, now: Date): Promise<boolean> {
  const claimed = await OffboardingModel.updateOne({ _id: id, 'retention.listedAt': null }, { $set: { 'retention.listedAt': now } })
  return claimed.modifiedCount === 1
}

/** Records the deletion of the retained records, once. */
export async function recordRetentionDeletion(id: Types.ObjectId, deletion: { by: { id: string; name: string }; deleted: { assessments: number; answers: number; files: number }; now: Date }): Promise<void> {
  await OffboardingModel.updateOne(
    { _id: id, 'retention.deletedAt': null },
    { $set: { 'retention.deletedAt': deletion.now, 'retention.deletedBy': deletion.by, 'retention.deleted': deletion.deleted }, $inc: { version: 1 } },
  )
}

/** Builds the collection's indexes (the scheduler waits for them before its first sweep). */
export const initOffboardingStore = () => OffboardingModel.init()
