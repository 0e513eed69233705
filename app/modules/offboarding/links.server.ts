// Data-return/deletion links: issued per vendor contact, checked on every vendor request. The
// token helpers are the questionnaire links' own (tokens.server.ts): 32 random bytes, only the
// SHA-256 stored, here under a UNIQUE index of its own collection.
import { Types } from 'mongoose'
import { appUrl } from '~/env.server'
import { isLocale } from '~/i18n/locales'
import type { LinkProblem } from '~/modules/assessments/access.server'
import { hashAccessToken, newAccessToken, TOKEN_PATTERN } from '~/modules/assessments/tokens.server'
import { invitationState } from '~/modules/assessments/status'
import { findOffboardingLinkByTokenHash, insertOffboardingLink, listOffboardingLinks, revokeLiveOffboardingLink, type OffboardingLinkRecord } from './offboarding-link-store.server'
import { findOffboarding, type OffboardingRecord } from './offboarding-store.server'

export interface LinkContact {
  _id?: unknown
  name: string
  email: string
  locale?: string | null
}

export function offboardingLink(token: string): string {
  return `${appUrl()}/o/${token}`
}

export async function issueOffboardingLink(input: { offboardingId: Types.ObjectId; vendorId: Types.ObjectId; contact: LinkContact; expiresAt: Date; purpose: 'request' | 'reminder' }) {
  const { token, tokenHash } = newAccessToken()
  const link = await insertOffboardingLink({
    _id: new Types.ObjectId(),
    tokenHash,
    offboardingId: input.offboardingId,
    vendorId: input.vendorId,
    contactId: input.contact._id ? String(input.contact._id) : undefined,
    name: input.contact.name,
    email: input.contact.email,
    locale: isLocale(input.contact.locale) ? input.contact.locale : 'zh-CN',
    purpose: input.purpose,
    expiresAt: input.expiresAt,
  })
  return { token, link }
}

/** Withdraws every working link of an offboarding (it was accepted, or staff withdrew the links). */
export async function revokeOffboardingLinks(offboardingId: Types.ObjectId | string, reason: 'revoked' | 'closed', now = new Date()) {
  const links = await listOffboardingLinks(new Types.ObjectId(String(offboardingId)), 'revocation')
  let revoked = 0
  for (const link of links) {
    if (link.revokedAt) continue
    // Each link is its own document: one atomic update each, safe to repeat.
    if (await revokeLiveOffboardingLink(link._id, reason, now)) revoked++
  }
  return revoked
}

/** A vendor's link and the one offboarding it opens. */
export interface OffboardingAccess {
  link: OffboardingLinkRecord
  offboarding: OffboardingRecord
}

async function loadAccess(tokenHash: string): Promise<OffboardingAccess | null> {
  const link = await findOffboardingLinkByTokenHash(tokenHash)
  if (!link) return null
  const offboarding = await findOffboarding(link.offboardingId)
  if (!offboarding || String(offboarding.vendorId) !== String(link.vendorId)) return null
  return { link, offboarding }
}

/** Checks a token: the link and the one offboarding it opens, or why it does not. Never throws for a bad token. */
export async function checkOffboardingAccess(token: unknown, now = new Date()): Promise<{ ok: true; access: OffboardingAccess } | { ok: false; problem: LinkProblem }> {
  if (typeof token !== 'string' || !TOKEN_PATTERN.test(token)) return { ok: false, problem: 'invalid' }
  const access = await loadAccess(hashAccessToken(token))
  if (!access) return { ok: false, problem: 'invalid' }
  const state = invitationState(access.link, now)
  if (state === 'revoked') return { ok: false, problem: access.link.revokedReason === 'superseded' ? 'superseded' : access.link.revokedReason === 'closed' ? 'withdrawn' : 'revoked' }
  if (state === 'expired') return { ok: false, problem: 'expired' }
  return { ok: true, access }
}
