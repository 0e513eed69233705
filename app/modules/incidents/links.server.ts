// The vendor's standing incident-report links: one per vendor contact, issued by staff, only the
// token's SHA-256 stored (the questionnaire's token helpers), revocable, expiring after a year,
// and every request through them counted per link and per client address.
import { addDays } from 'date-fns'
import { Types } from 'mongoose'
import { findVendorFields } from '~/modules/vendors/vendor-store.server'
import { appUrl } from '~/env.server'
import { recordAudit } from '~/modules/audit/audit.server'
import type { SessionUser } from '~/modules/auth/session.server'
import { hashAccessToken, newAccessToken, TOKEN_PATTERN } from '~/modules/assessments/tokens.server'
import { RateLimiter } from '~/modules/rate-limit'
import { findIncidentLinkByTokenHash, insertIncidentLink, listIncidentLinksOfVendor, listLiveLinksOfContact, markIncidentLinkRevoked } from './incident-link-store.server'

/** A standing link works this long; staff re-issue it (e.g. with the yearly reassessment). */
export const INCIDENT_LINK_DAYS = 365

/** Requests (pages and posts) through one link, and from one client address, per window. */
export const linkLimiter = new RateLimiter({ limit: 30, windowMs: 10 * 60_000 })
export const clientLimiter = new RateLimiter({ limit: 60, windowMs: 10 * 60_000 })
/** Reports one link may file per hour: a real vendor files one or two. */
export const reportLimiter = new RateLimiter({ limit: 5, windowMs: 60 * 60_000 })

export type IncidentLinkProblem = 'invalid' | 'revoked' | 'expired' | 'rate_limited'
export const INCIDENT_LINK_STATUS: Record<IncidentLinkProblem, number> = { invalid: 401, revoked: 403, expired: 410, rate_limited: 429 }

export function incidentLinkUrl(token: string): string {
  return `${appUrl()}/i/${token}`
}

export interface IncidentLinkAccess {
  linkId: Types.ObjectId
  vendorId: Types.ObjectId
  contactId: string
  contactName: string
  contactEmail: string
  tokenHash: string
}

export type LinkCheck = { ok: true; access: IncidentLinkAccess } | { ok: false; problem: IncidentLinkProblem; retryAfterSeconds?: number }

/**
 * Checks a token from the URL. The client address is counted first (so guessing from one place is
 * slowed whatever the tokens), then the link. Never throws for a bad token.
 */
export async function checkIncidentLink(token: unknown, client: string, now: Date = new Date()): Promise<LinkCheck> {
  const byClient = clientLimiter.hit(`client:${client}`, now.getTime())
  if (!byClient.ok) return { ok: false, problem: 'rate_limited', retryAfterSeconds: byClient.retryAfterSeconds }
  if (typeof token !== 'string' || !TOKEN_PATTERN.test(token)) return { ok: false, problem: 'invalid' }
  const tokenHash = hashAccessToken(token)
  const byLink = linkLimiter.hit(`link:${tokenHash}`, now.getTime())
  if (!byLink.ok) return { ok: false, problem: 'rate_limited', retryAfterSeconds: byLink.retryAfterSeconds }
  const link = await findIncidentLinkByTokenHash(tokenHash)
  if (!link) return { ok: false, problem: 'invalid' }
  if (link.revokedAt) return { ok: false, problem: 'revoked' }
  if (link.expiresAt.getTime() <= now.getTime()) return { ok: false, problem: 'expired' }
  return {
    ok: true,
    access: { linkId: link._id, vendorId: link.vendorId, contactId: link.contactId, contactName: link.contactName ?? '', contactEmail: link.contactEmail, tokenHash },
  }
}

export type LinkWriteResult = { ok: true; url?: string; linkId: string } | { ok: false; status: 404 }

/** A new link for one contact of the vendor; the contact's previous live link stops working. */
export async function issueIncidentLink(vendorId: string, contactId: string, actor: SessionUser, now = new Date()): Promise<LinkWriteResult> {
  if (!Types.ObjectId.isValid(vendorId) || !Types.ObjectId.isValid(contactId)) return { ok: false, status: 404 }
  const vendor = await findVendorFields(vendorId, 'contacts')
  const contact = vendor?.contacts.find((entry) => String(entry._id) === contactId)
  if (!vendor || !contact) return { ok: false, status: 404 }
  const previous = await listLiveLinksOfContact(vendor._id, contactId)
  const { token, tokenHash } = newAccessToken()
  const link = await insertIncidentLink({
    tokenHash,
    vendorId: vendor._id,
    contactId,
    contactName: contact.name,
    contactEmail: contact.email,
    contactLocale: contact.locale,
    expiresAt: addDays(now, INCIDENT_LINK_DAYS),
    createdBy: { id: actor.id, name: actor.name },
  })
  for (const old of previous) {
    await markIncidentLinkRevoked({ linkId: old._id }, 'reissued', now)
  }
  await recordAudit({
    actor: { kind: 'user', id: actor.id, label: actor.name },
    action: 'incident_link.issue',
    subject: { kind: 'vendor', id: vendorId },
    details: { linkId: String(link._id), contactId, contactEmail: contact.email, expiresAt: link.expiresAt, replaced: previous.map((entry) => String(entry._id)) },
  })
  return { ok: true, url: incidentLinkUrl(token), linkId: String(link._id) }
}

/** Revokes a link of this vendor (a link id from another vendor's page finds nothing). */
export async function revokeIncidentLink(vendorId: string, linkId: string, actor: SessionUser, now = new Date()): Promise<LinkWriteResult> {
  if (!Types.ObjectId.isValid(vendorId) || !Types.ObjectId.isValid(linkId)) return { ok: false, status: 404 }
  if (!(await markIncidentLinkRevoked({ linkId: new Types.ObjectId(linkId), vendorId: new Types.ObjectId(vendorId) }, 'revoked', now))) return { ok: false, status: 404 }
  await recordAudit({ actor: { kind: 'user', id: actor.id, label: actor.name }, action: 'incident_link.revoke', subject: { kind: 'vendor', id: vendorId }, details: { linkId } })
  return { ok: true, linkId }
}

export interface IncidentLinkView {
  id: string
  contactId: string
  contactName: string
  contactEmail: string
  createdAt: string
  expiresAt: string
  lastUsedAt: string | null
  reports: number
  state: 'active' | 'revoked' | 'reissued' | 'expired'
}

export async function listIncidentLinks(vendorId: string, now = new Date()): Promise<IncidentLinkView[]> {
  if (!Types.ObjectId.isValid(vendorId)) return []
  const links = await listIncidentLinksOfVendor(new Types.ObjectId(vendorId))
  return links.map((link) => ({
    id: String(link._id),
    contactId: link.contactId,
    contactName: link.contactName ?? '',
    contactEmail: link.contactEmail,
    createdAt: link.createdAt.toISOString(),
    expiresAt: link.expiresAt.toISOString(),
    lastUsedAt: link.lastUsedAt?.toISOString() ?? null,
    reports: link.reports ?? 0,
    state: link.revokedAt ? (link.revokedReason === 'reissued' ? 'reissued' : 'revoked') : link.expiresAt.getTime() <= now.getTime() ? 'expired' : 'active',
  }))
}
