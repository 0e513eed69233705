// The offboarding_links collection: the only module that queries or updates it. Every vendor
// request is one unique-key read of the token's hash.
import type { Types } from 'mongoose'
import { OffboardingLinkModel, type OffboardingLinkRecord } from '~models/offboarding-link'

export type { OffboardingLinkRecord }

export async function findOffboardingLinkByTokenHash(tokenHash: string): Promise<OffboardingLinkRecord | null> {
  return OffboardingLinkModel.findOne({ tokenHash }).lean<OffboardingLinkRecord>()
}

/** Whether any link of the offboarding was issued. */
export async function offboardingLinksExist(offboardingId: Types.ObjectId): Promise<boolean> {
  return (await OffboardingLinkModel.exists({ offboardingId })) !== null
}

/** The fields each reader of an offboarding's links needs. */
const PARTS = {
  /** Withdrawing them. */
  revocation: ['revokedAt'],
  /** The staff page's recipients. */
  recipients: ['email', 'mailStatus', 'purpose', 'createdAt'],
} as const satisfies Record<string, readonly (keyof OffboardingLinkRecord)[]>
export type OffboardingLinkPart<P extends keyof typeof PARTS> = Pick<OffboardingLinkRecord, '_id' | (typeof PARTS)[P][number]>

export async function listOffboardingLinks<P extends keyof typeof PARTS>(offboardingId: Types.ObjectId, part: P): Promise<OffboardingLinkPart<P>[]> {
  return OffboardingLinkModel.find({ offboardingId }, Object.fromEntries(PARTS[part].map((field) => [field, 1]))).lean<OffboardingLinkPart<P>[]>()
}

export type NewOffboardingLink = Pick<OffboardingLinkRecord, '_id' | 'tokenHash' | 'offboardingId' | 'vendorId' | 'contactId' | 'name' | 'email' | 'locale' | 'purpose' | 'expiresAt'>

export async function insertOffboardingLink(link: NewOffboardingLink): Promise<OffboardingLinkRecord> {
  return (await OffboardingLinkModel.create(link)).toObject<OffboardingLinkRecord>()
}

export async function setLinkMailStatus(id: Types.ObjectId, mailStatus: string): Promise<void> {
  await OffboardingLinkModel.updateOne({ _id: id }, { $set: { mailStatus } })
}

/** A link issued for a round that had already reached its contact: never sent, so it must not work. */
export async function supersedeOffboardingLink(id: Types.ObjectId, now: Date): Promise<void> {
  await OffboardingLinkModel.updateOne({ _id: id }, { $set: { revokedAt: now, revokedReason: 'superseded' } })
}

/** Revokes a link that still works; false if it was revoked before. */
export async function revokeLiveOffboardingLink(id: Types.ObjectId, reason: 'revoked' | 'closed', now: Date): Promise<boolean> {
  const done = await OffboardingLinkModel.updateOne({ _id: id, revokedAt: null }, { $set: { revokedAt: now, revokedReason: reason } })
  return done.modifiedCount === 1
}

/** Builds the collection's indexes (the scheduler waits for them before its first sweep). */
export const initOffboardingLinkStore = () => OffboardingLinkModel.init()
