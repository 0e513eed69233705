// Vendor links: issuing, e-mailing, reminding, revoking, re-issuing, and moving the due date.
// The invitations array only grows; a staff change reads the assessment, computes the new array
// and writes it in one update guarded by the version it read (and retries if a vendor saved an
// answer in between), because the embedded database has no transactions.
import { Types } from 'mongoose'
import { findAssessmentWithoutAnswers, updateAssessmentWithVersion, type AssessmentRecord } from './assessment-store.server'
import { getEnv } from '~/env.server'
import { translatorFor } from '~/i18n/i18n.server'
import { isLocale, type Locale } from '~/i18n/locales'
import { recordAudit, type AuditActor } from '~/modules/audit/audit.server'
import { renderMail } from '~/modules/mail/layout'
import { sendMail } from '~/modules/mail/mail.server'
import { recordLinkMail, type LinkMailEffect } from './link-mail.server'
import { formatDay } from '~/modules/dates/dates'
import { vendorName, type VendorSnapshot } from './snapshot'
import { AWAITING_VENDOR, invitationState } from './status'
import { linkExpiry, newAccessToken, vendorLink } from './tokens.server'
import { OPEN_STATUSES } from './vocabulary'
import type { VersionedDecision } from '~/modules/db/versioned-update.server'

export type Actor = { kind: 'user'; id: string; name: string } | { kind: 'system' }
export type LinkPurpose = 'invitation' | 'reminder' | 'reissue'

export interface ContactLike {
  _id?: unknown
  id?: unknown
  name: string
  email: string
  locale?: string | null
}

export function actorLabel(actor: Actor): string {
  return actor.kind === 'user' ? actor.name : 'system'
}

export function auditActor(actor: Actor): AuditActor {
  return actor.kind === 'user' ? { kind: 'user', id: actor.id, label: actor.name } : { kind: 'system', label: 'scheduler' }
}

/** A new invitation record and the token that goes into its link (the token is never stored). */
export function issueInvitation(contact: ContactLike, dueAt: Date, purpose: LinkPurpose, actor: Actor, now = new Date()) {
  const { token, tokenHash } = newAccessToken()
  const contactId = contact._id ?? contact.id
  return {
    token,
    invitation: {
      _id: new Types.ObjectId(),
      contactId: contactId ? String(contactId) : undefined,
      name: contact.name,
      email: contact.email,
      locale: isLocale(contact.locale) ? contact.locale : 'zh-CN',
      tokenHash,
      expiresAt: linkExpiry(dueAt),
      purpose,
      issuedBy: actorLabel(actor),
      issuedAt: now,
    },
  }
}
export type IssuedInvitation = ReturnType<typeof issueInvitation>

/** What every e-mail to a vendor contact names: who asks, for which vendor, to whom, by when. */
export function vendorMailParams(input: { locale: Locale; contactName: string; vendor: Pick<VendorSnapshot, 'legalName'>; dueAt: Date }) {
  const env = getEnv()
  return {
    institution: env.INSTITUTION_NAME,
    vendor: vendorName(input.vendor, input.locale),
    name: input.contactName,
    due: formatDay(input.dueAt, input.locale, env.INSTITUTION_TIMEZONE),
  }
}

/** Subject and body of a link e-mail, in the contact's language. */
export async function composeLinkMail(input: {
  purpose: LinkPurpose
  locale: Locale
  contactName: string
  vendor: Pick<VendorSnapshot, 'legalName'>
  dueAt: Date
  expiresAt: Date
  link: string
}) {
  const t = await translatorFor(input.locale, 'mail')
  const params = {
    ...vendorMailParams(input),
    expires: formatDay(input.expiresAt, input.locale, getEnv().INSTITUTION_TIMEZONE),
  }
  const key = `vendorLink.${input.purpose}`
  const body = renderMail({
    greeting: t('vendorLink.greeting', params),
    paragraphs: [t(`${key}.intro`, params), t('vendorLink.due', params), t('vendorLink.personal', params)],
    action: { label: t('vendorLink.action'), url: input.link },
    footer: t('vendorLink.footer', params),
  })
  return { subject: t(`${key}.subject`, params), ...body }
}

type AssessmentForMail = Pick<AssessmentRecord, '_id' | 'vendorSnapshot' | 'dueAt'>

/**
 * Records one e-mail per issued link (exactly once per invitation) in the outbox, which delivers
 * it now or retries it later; the assessment records how it went. `retire` lists, per new
 * invitation, the older links it replaces: they stop working once the new one is delivered.
 */
export async function mailInvitations(assessment: AssessmentForMail, issued: IssuedInvitation[], retire: Map<string, { ids: string[]; by: string }> = new Map()) {
  for (const { token, invitation } of issued) {
    const mail = await composeLinkMail({
      purpose: invitation.purpose,
      locale: invitation.locale,
      contactName: invitation.name,
      vendor: assessment.vendorSnapshot,
      dueAt: assessment.dueAt,
      expiresAt: invitation.expiresAt,
      link: vendorLink(token),
    })
    const replaces = retire.get(invitation._id.toString())
    const effect: LinkMailEffect = { kind: 'vendor-link', assessmentId: assessment._id.toString(), invitationId: invitation._id.toString(), ...(replaces ? { retire: replaces.ids, retiredBy: replaces.by } : {}) }
    const result = await sendMail({
      to: invitation.email,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      locale: invitation.locale,
      kind: invitation.purpose === 'invitation' ? 'invitation' : invitation.purpose === 'reminder' ? 'reminder' : 'invitation-reissue',
      dedupeKey: `vendor-link:${invitation._id.toString()}`,
      related: { kind: 'assessment', id: assessment._id.toString() },
      onDelivered: effect,
    })
    // A delivery has recorded itself (and retired the replaced links); the rest is noted here.
    if (result.status !== 'sent' && result.status !== 'outbox') await recordLinkMail(effect, result.status)
  }
}

class StaleVersion extends Error {}

type Loaded = NonNullable<Awaited<ReturnType<typeof load>>>
type Change<T> = { update: Record<string, unknown>; filter?: Record<string, unknown>; result: T } | { refuse: ChangeRefusal }

/**
 * Reads the assessment, lets `change` compute the update, and applies it only if nobody changed
 * the assessment meanwhile; retries a few times when a vendor's save got in between.
 */
async function changeAssessment<T>(
  assessmentId: string,
  change: (assessment: Loaded) => Change<T>,
): Promise<{ ok: true; result: T } | { ok: false; refusal: ChangeRefusal }> {
  const outcome = await updateAssessmentWithVersion({
    attempts: 8,
    read: () => load(assessmentId),
    decide: (assessment, { lostAt }): VersionedDecision<T, ChangeRefusal> => {
      // The extra condition may be what failed (e.g. a reminder key already claimed): if nothing
      // else moved the version, it is a refusal, not a race.
      if (lostAt?.hadWhere && assessment.version === lostAt.version) return { refuse: 'conflict' }
      const planned = change(assessment)
      if ('refuse' in planned) return planned
      return { update: planned.update, where: planned.filter, result: planned.result }
    },
  })
  if (outcome.status === 'updated') return { ok: true, result: outcome.result }
  if (outcome.status === 'missing') return { ok: false, refusal: 'notFound' }
  if (outcome.status === 'refused') return { ok: false, refusal: outcome.reason }
  throw new StaleVersion(`assessment ${assessmentId} kept changing; gave up`)
}

export type ChangeRefusal = 'notFound' | 'closed' | 'noInvitation' | 'conflict' | 'alreadyReminded' | 'noContacts'

function load(assessmentId: string) {
  return findAssessmentWithoutAnswers(assessmentId)
}

/** Moves the due date; links that still work are extended to the new date plus the grace period. */
export async function extendDueDate(assessmentId: string, dueAt: Date, actor: Actor) {
  const now = new Date()
  const outcome = await changeAssessment<{ from: Date }>(assessmentId, (assessment) => {
    if (!OPEN_STATUSES.includes(assessment.status)) return { refuse: 'closed' }
    const set: Record<string, unknown> = { dueAt }
    assessment.invitations.forEach((invitation, index) => {
      if (!invitation.revokedAt) set[`invitations.${index}.expiresAt`] = linkExpiry(dueAt)
    })
    return { update: { $set: set }, result: { from: assessment.dueAt } }
  })
  if (outcome.ok) {
    await recordAudit({
      actor: auditActor(actor),
      action: 'assessment.extend-due',
      subject: { kind: 'assessment', id: assessmentId },
      details: { from: outcome.result.from, to: dueAt, at: now },
    })
  }
  return outcome
}

/** Revokes one link at once; the vendor's saved answers stay. */
export async function revokeInvitation(assessmentId: string, invitationId: string, actor: Actor) {
  const outcome = await changeAssessment<{ email: string; already: boolean }>(assessmentId, (assessment) => {
    const index = assessment.invitations.findIndex((invitation) => String(invitation._id) === invitationId)
    if (index < 0) return { refuse: 'noInvitation' }
    if (assessment.invitations[index].revokedAt) return { update: {}, result: { email: assessment.invitations[index].email, already: true } }
    return {
      update: { $set: { [`invitations.${index}.revokedAt`]: new Date(), [`invitations.${index}.revokedReason`]: 'revoked', [`invitations.${index}.revokedBy`]: actorLabel(actor) } },
      result: { email: assessment.invitations[index].email, already: false },
    }
  })
  if (outcome.ok && !outcome.result.already) {
    await recordAudit({ actor: auditActor(actor), action: 'assessment.revoke-link', subject: { kind: 'assessment', id: assessmentId }, details: { email: outcome.result.email } })
  }
  return outcome
}

/** Replaces a contact's link with a new one (the old one stops working) and e-mails it. */
export async function reissueInvitation(assessmentId: string, invitationId: string, actor: Actor) {
  const now = new Date()
  let issued: IssuedInvitation | undefined
  const outcome = await changeAssessment<Loaded>(assessmentId, (assessment) => {
    if (!OPEN_STATUSES.includes(assessment.status)) return { refuse: 'closed' }
    const index = assessment.invitations.findIndex((invitation) => String(invitation._id) === invitationId)
    if (index < 0) return { refuse: 'noInvitation' }
    const old = assessment.invitations[index]
    issued = issueInvitation({ id: old.contactId, name: old.name, email: old.email, locale: old.locale }, assessment.dueAt, 'reissue', actor, now)
    const invitations = assessment.invitations.map((invitation, i) =>
      i === index && !invitation.revokedAt ? { ...invitation, revokedAt: now, revokedReason: 'reissued', revokedBy: actorLabel(actor) } : invitation,
    )
    return { update: { $set: { invitations: [...invitations, issued.invitation] } }, result: assessment }
  })
  if (!outcome.ok || !issued) return outcome
  await recordAudit({ actor: auditActor(actor), action: 'assessment.reissue-link', subject: { kind: 'assessment', id: assessmentId }, details: { email: issued.invitation.email } })
  await mailInvitations(outcome.result, [issued])
  return outcome
}

/**
 * Reminds every contact whose link still works, with a fresh link (only a hash is stored, so the
 * old link cannot be re-sent). The old links are retired only once the new one is delivered, so a
 * crash or a mail server outage never leaves the vendor without a working link. `key` makes a
 * reminder round exactly-once: the scheduler passes e.g. "due-7d", staff a unique key per click.
 */
export async function sendReminder(assessmentId: string, actor: Actor, key: string = `manual:${new Types.ObjectId().toString()}`) {
  const now = new Date()
  let issued: IssuedInvitation[] = []
  let retire = new Map<string, { ids: string[]; by: string }>()
  const outcome = await changeAssessment<Loaded>(assessmentId, (assessment) => {
    if (!AWAITING_VENDOR.includes(assessment.status)) return { refuse: 'closed' }
    if ((assessment.reminders ?? []).some((reminder) => reminder.key === key)) return { refuse: 'alreadyReminded' }
    const active = assessment.invitations.filter((invitation) => invitationState(invitation, now) === 'active')
    // One fresh link per person (a contact may hold several old links).
    const people = new Map(active.map((invitation) => [invitation.email, invitation]))
    if (people.size === 0) return { refuse: 'noInvitation' }
    issued = [...people.values()].map((old) => issueInvitation({ id: old.contactId, name: old.name, email: old.email, locale: old.locale }, assessment.dueAt, 'reminder', actor, now))
    retire = new Map(
      issued.map((entry) => [
        entry.invitation._id.toString(),
        { ids: active.filter((invitation) => invitation.email === entry.invitation.email).map((invitation) => String(invitation._id)), by: actorLabel(actor) },
      ]),
    )
    return {
      update: {
        $push: { invitations: { $each: issued.map((entry) => entry.invitation) }, reminders: { key, at: now, by: actorLabel(actor) } },
      },
      filter: { 'reminders.key': { $ne: key } },
      result: assessment,
    }
  })
  if (!outcome.ok) return outcome
  await recordAudit({
    actor: auditActor(actor),
    action: 'assessment.remind',
    subject: { kind: 'assessment', id: assessmentId },
    details: { key, to: issued.map((entry) => entry.invitation.email) },
  })
  await mailInvitations(outcome.result, issued, retire)
  return { ok: true as const, result: { sentTo: issued.map((entry) => entry.invitation.email) } }
}

/** Invites more people (e.g. a contact added to the vendor after the assessment was sent). */
export async function inviteContacts(assessmentId: string, contacts: ContactLike[], actor: Actor) {
  const now = new Date()
  let issued: IssuedInvitation[] = []
  if (contacts.length === 0) return { ok: false as const, refusal: 'noContacts' as ChangeRefusal }
  const outcome = await changeAssessment<Loaded>(assessmentId, (assessment) => {
    if (!OPEN_STATUSES.includes(assessment.status)) return { refuse: 'closed' }
    issued = contacts.map((contact) => issueInvitation(contact, assessment.dueAt, 'invitation', actor, now))
    return { update: { $push: { invitations: { $each: issued.map((entry) => entry.invitation) } } }, result: assessment }
  })
  if (!outcome.ok) return outcome
  await recordAudit({ actor: auditActor(actor), action: 'assessment.invite', subject: { kind: 'assessment', id: assessmentId }, details: { to: issued.map((entry) => entry.invitation.email) } })
  await mailInvitations(outcome.result, issued)
  return outcome
}
