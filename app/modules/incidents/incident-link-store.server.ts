// The incident_links collection: the only module that queries or updates it. The lookup of every
// vendor request is one unique-key read of the token's hash.
import type { Types } from 'mongoose'
import { IncidentLinkModel, type IncidentLinkRecord } from '~models/incident-link'

export type { IncidentLinkRecord }

export async function findIncidentLinkByTokenHash(tokenHash: string): Promise<IncidentLinkRecord | null> {
  return IncidentLinkModel.findOne({ tokenHash }).lean<IncidentLinkRecord>()
}

/** The ids of a contact's links that were not revoked. */
export async function listLiveLinksOfContact(vendorId: Types.ObjectId, contactId: string): Promise<Pick<IncidentLinkRecord, '_id'>[]> {
  return IncidentLinkModel.find({ vendorId, contactId, revokedAt: null }, { _id: 1 }).lean<Pick<IncidentLinkRecord, '_id'>[]>()
}

/** A vendor's links, newest first (at most 100). */
export async function listIncidentLinksOfVendor(vendorId: Types.ObjectId): Promise<IncidentLinkRecord[]> {
  return IncidentLinkModel.find({ vendorId }).sort({ createdAt: -1 }).limit(100).lean<IncidentLinkRecord[]>()
}

export type NewIncidentLink = Pick<IncidentLinkRecord, 'tokenHash' | 'vendorId' | 'contactId' | 'contactEmail' | 'expiresAt'> &
  Partial<Pick<IncidentLinkRecord, 'contactName' | 'contactLocale' | 'createdBy'>>

export async function insertIncidentLink(link: NewIncidentLink): Promise<Pick<IncidentLinkRecord, '_id' | 'expiresAt'>> {
  const created = await IncidentLinkModel.create(link)
  return { _id: created._id, expiresAt: created.expiresAt }
}

/** Revokes a link that is not revoked yet (of this vendor, when given); false if there is none. */
export async function markIncidentLinkRevoked(link: { linkId: Types.ObjectId; vendorId?: Types.ObjectId }, reason: 'revoked' | 'reissued', now: Date): Promise<boolean> {
  const filter = link.vendorId ? { _id: link.linkId, vendorId: link.vendorId, revokedAt: null } : { _id: link.linkId, revokedAt: null }
  const updated = await IncidentLinkModel.updateOne(filter, { $set: { revokedAt: now, revokedReason: reason } })
  return updated.modifiedCount === 1
}

/** Counts a report filed through the link, if the link is still this one and still good at `now`. */
export async function countReportOnLink(access: { linkId: Types.ObjectId; tokenHash: string }, now: Date): Promise<boolean> {
  const claimed = await IncidentLinkModel.updateOne(
    { _id: access.linkId, tokenHash: access.tokenHash, revokedAt: null, expiresAt: { $gt: now } },
    { $set: { lastUsedAt: now }, $inc: { reports: 1 } },
  )
  return claimed.modifiedCount === 1
}
