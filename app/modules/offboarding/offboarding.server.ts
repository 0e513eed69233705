// Offboarding a vendor: procurement starts it, the vendor answers through its link, compliance
// accepts it (or sends it back) and the vendor becomes offboarded, read-only. Each write is one
// atomic single-document update with its audit entry; steps that span documents (cancelling the
// open assessments, issuing the links, marking the vendor) are repeatable, and the offboarding
// job repeats them until they hold, so a crash between two of them heals itself.
import { Types } from 'mongoose'
import { findStatusAndInvitations, listAssessmentIds, updateAssessmentWithVersion } from '~/modules/assessments/assessment-store.server'
import { listActiveStaff } from '~/modules/auth/user-store.server'
import { findVendor, findVendorFields, markVendorOffboarded, stopVendorReassessments } from '~/modules/vendors/vendor-store.server'
import { getEnv } from '~/env.server'
import { endOfDayIn } from '~/modules/dates/dates'
import { recordAudit, type AuditActor } from '~/modules/audit/audit.server'
import { OPEN_STATUSES } from '~/modules/assessments/vocabulary'
import { sniffEvidence } from '~/modules/evidence/evidence.server'
import { getClause } from '~/modules/library/library.server'
import { dayKey } from '~/modules/schedule/cadence'
import { deleteCertificate, storeCertificate } from './certificate.server'
import { issueOffboardingLink, offboardingLink, revokeOffboardingLinks, type OffboardingAccess } from './links.server'
import { offboardingLinksExist, setLinkMailStatus, supersedeOffboardingLink } from './offboarding-link-store.server'
import {
  claimReminderRound,
  findOffboarding,
  findOffboardingOfVendor,
  findOffboardingStatus,
  insertOffboarding,
  listOpenOffboardings,
  recordCancelledAssessment,
  recordOffboardingReview,
  recordVendorResponse,
  type OffboardingRecord,
  type OffboardingReview,
} from './offboarding-store.server'
import { sendOffboardingEscalation, sendVendorOffboardingMail, type VendorMailPurpose } from './mail.server'
import { linkExpiryFor, offboardingNoticeDue } from './rules'
import { RETURN_DELETION_CLAUSE_ID, type OffboardingStatus } from './vocabulary'
import type { FieldErrors, z } from '~/modules/forms/validation'
import type { reviewOffboardingSchema, startOffboardingSchema, VendorResponse } from './schemas'

export type StaffActor = { id: string; name: string }
const userActor = (actor: StaffActor): AuditActor => ({ kind: 'user', id: actor.id, label: actor.name })
const asObjectId = (id: string) => (Types.ObjectId.isValid(id) && /^[a-f0-9]{24}$/i.test(id) ? new Types.ObjectId(id) : null)
const timeZone = () => getEnv().INSTITUTION_TIMEZONE

export async function getOffboarding(vendorId: string): Promise<OffboardingRecord | null> {
  const id = asObjectId(vendorId)
  if (!id) return null
  return findOffboardingOfVendor(id)
}

export type StartResult = { ok: true; offboardingId: string } | { ok: false; status: 404 | 409; formError: string }

export async function startOffboarding(vendorId: string, input: z.output<typeof startOffboardingSchema>, actor: StaffActor, now = new Date()): Promise<StartResult> {
  const id = asObjectId(vendorId)
  const vendor = id ? await findVendor(id) : null
  if (!vendor) return { ok: false, status: 404, formError: 'errors:notFound' }
  if (vendor.status === 'offboarded') return { ok: false, status: 409, formError: 'offboarding:errors.readOnly' }
  const clause = getClause(RETURN_DELETION_CLAUSE_ID)
  const offboardingId = new Types.ObjectId()
  const started = await insertOffboarding({
    _id: offboardingId,
    vendorId: vendor._id,
    status: 'requested',
    reason: input.reason,
    endDate: input.endDate,
    startedBy: actor,
    startedAt: now,
    categories: vendor.dataProfile?.piCategories ?? [],
    clause: clause ? { id: clause.id, title: clause.title, text: clause.text } : undefined,
  })
  if (!started) return { ok: false, status: 409, formError: 'offboarding:errors.alreadyStarted' }
  await recordAudit({ actor: userActor(actor), action: 'offboarding.start', subject: { kind: 'vendor', id: vendorId }, details: { offboardingId: offboardingId.toString(), reason: input.reason, endDate: input.endDate } })
  // No more reassessments for a vendor that is leaving.
  await stopVendorReassessments(vendor._id)
  await completeStart(offboardingId, actor, now)
  return { ok: true, offboardingId: offboardingId.toString() }
}

/** The start's steps after the record exists; repeatable (the job calls it again after a crash). */
async function completeStart(offboardingId: Types.ObjectId, actor: StaffActor | null, now: Date) {
  const offboarding = await findOffboarding(offboardingId)
  if (!offboarding || offboarding.status !== 'requested') return
  await cancelOpenAssessments(offboarding, actor, now)
  if (!(await offboardingLinksExist(offboardingId))) await mailVendorContacts(offboarding, 'request', `request`, now)
}

/** Closes every open assessment of the vendor as cancelled and revokes its links: one update each. */
async function cancelOpenAssessments(offboarding: { _id: Types.ObjectId; vendorId: Types.ObjectId }, actor: StaffActor | null, now: Date) {
  const open = await listAssessmentIds({ vendorId: offboarding.vendorId, statuses: OPEN_STATUSES })
  for (const { _id } of open) {
    const outcome = await updateAssessmentWithVersion({
      attempts: 8,
      read: () => findStatusAndInvitations(_id),
      decide: (assessment) => {
        if (!OPEN_STATUSES.includes(assessment.status)) return { refuse: 'closed' }
        const set: Record<string, unknown> = { status: 'cancelled' }
        assessment.invitations.forEach((invitation, index) => {
          if (invitation.revokedAt) return
          set[`invitations.${index}.revokedAt`] = now
          set[`invitations.${index}.revokedReason`] = 'revoked'
          set[`invitations.${index}.revokedBy`] = actor?.name ?? 'system'
        })
        return { update: { $set: set }, result: assessment.status }
      },
    })
    if (outcome.status === 'updated') {
      await recordCancelledAssessment(offboarding._id, String(_id))
      await recordAudit({
        actor: actor ? userActor(actor) : { kind: 'system', label: 'offboarding' },
        action: 'assessment.cancel',
        subject: { kind: 'assessment', id: String(_id) },
        details: { reason: 'offboarding', offboardingId: String(offboarding._id), from: outcome.result },
      })
    }
  }
}

/** A fresh link per vendor contact, e-mailed in the contact's language, once per round. */
async function mailVendorContacts(offboarding: OffboardingRecord, purpose: VendorMailPurpose, round: string, now: Date) {
  const vendor = await findVendorFields(offboarding.vendorId, 'nameAndContacts')
  // No contact yet: nothing is sent (nor audited); the job sends the request once one is added.
  if (!vendor || (vendor.contacts ?? []).length === 0) return 0
  const expiresAt = linkExpiryFor(endOfDayIn(offboarding.endDate, timeZone()), now)
  let sent = 0
  for (const contact of vendor.contacts ?? []) {
    const { token, link } = await issueOffboardingLink({ offboardingId: offboarding._id, vendorId: vendor._id, contact, expiresAt, purpose: purpose === 'request' ? 'request' : 'reminder' })
    const result = await sendVendorOffboardingMail({
      purpose,
      to: contact,
      vendorName: vendor.legalName,
      endDate: offboarding.endDate,
      categories: offboarding.categories,
      clause: offboarding.clause,
      comment: purpose === 'sentBack' ? (offboarding.reviews?.at(-1)?.comment ?? undefined) : undefined,
      link: offboardingLink(token),
      expiresAt,
      offboardingId: String(offboarding._id),
      dedupeKey: `offboarding:${String(offboarding._id)}:${round}:${contact.email}`,
    })
    await setLinkMailStatus(link._id, result.status)
    if (result.status === 'duplicate') {
      // This round already reached this contact: the new link was never sent, so it must not work.
      await supersedeOffboardingLink(link._id, now)
      continue
    }
    sent++
  }
  await recordAudit({ actor: { kind: 'system', label: 'offboarding' }, action: `offboarding.mail.${purpose}`, subject: { kind: 'vendor', id: String(offboarding.vendorId) }, details: { round, to: (vendor.contacts ?? []).map((contact) => contact.email) } })
  return sent
}

export type VendorSubmitResult = { ok: true } | { ok: false; status: 400 | 409 | 413; fieldErrors: FieldErrors; formError?: string }

/** The vendor's answer through its link: per category, the certificate and the attestation, in one update. */
export async function submitVendorResponse(access: OffboardingAccess, values: VendorResponse, file: unknown, now = new Date()): Promise<VendorSubmitResult> {
  const { offboarding, link } = access
  if (offboarding.status !== 'requested') return { ok: false, status: 409, fieldErrors: {}, formError: 'offboarding:errors.notOpen' }
  // A return or deletion that is attested has happened: its day cannot be after today.
  const asked = offboarding.categories
  const missing = asked.filter((category) => !values.categories[category])
  if (missing.length) return { ok: false, status: 400, fieldErrors: Object.fromEntries(missing.map((category) => [`categories.${category}`, ['errors:required']])) }
  const today = dayKey(now, timeZone())
  const future = asked.filter((category) => values.categories[category]!.date > today)
  if (future.length) return { ok: false, status: 400, fieldErrors: Object.fromEntries(future.map((category) => [`categories.${category}.date`, ['offboarding:errors.futureDay']])) }
  if (!(file instanceof File) || file.size === 0) return { ok: false, status: 400, fieldErrors: { certificate: ['offboarding:errors.certificateRequired'] } }
  const bytes = new Uint8Array(await file.arrayBuffer())
  const sniffed = await sniffEvidence(bytes)
  if (!sniffed.ok) return { ok: false, status: sniffed.reason === 'tooLarge' ? 413 : 400, fieldErrors: { certificate: [`offboarding:errors.certificate_${sniffed.reason}`] } }
  const certificate = await storeCertificate({ bytes, filename: file.name, contentType: sniffed.contentType, extension: sniffed.extension, offboardingId: String(offboarding._id) })
  const categories = asked.map((category) => ({ category, ...values.categories[category]! }))
  const updated = await recordVendorResponse(offboarding, { categories, certificate, attestation: { name: values.attestationName, title: values.attestationTitle, email: link.email }, submittedAt: now })
  if (!updated) {
    await deleteCertificate(certificate.fileId)
    return { ok: false, status: 409, fieldErrors: {}, formError: 'offboarding:errors.notOpen' }
  }
  await recordAudit({
    actor: { kind: 'vendor-contact', id: link.contactId ?? undefined, label: link.email },
    action: 'offboarding.submit',
    subject: { kind: 'vendor', id: String(offboarding.vendorId) },
    details: { offboardingId: String(offboarding._id), categories: categories.map((entry) => `${entry.category}:${entry.disposal}`), certificate: certificate.filename, attestation: values.attestationName },
  })
  return { ok: true }
}

export type ReviewResult = { ok: true; status: OffboardingStatus } | { ok: false; status: 404 | 409; formError: string }

/** Compliance accepts the vendor's answer (the vendor becomes offboarded) or sends it back with a comment. */
export async function reviewOffboarding(vendorId: string, input: z.output<typeof reviewOffboardingSchema>, actor: StaffActor, now = new Date()): Promise<ReviewResult> {
  const offboarding = await getOffboarding(vendorId)
  if (!offboarding) return { ok: false, status: 404, formError: 'errors:notFound' }
  if (offboarding.status !== 'submitted') return { ok: false, status: 409, formError: 'offboarding:errors.notSubmitted' }
  const accept = input.decision === 'accept'
  const review: OffboardingReview = { decision: accept ? 'accepted' : 'sent_back', comment: input.comment ?? '', byId: actor.id, byName: actor.name, at: now }
  if (!(await recordOffboardingReview(offboarding, review))) return { ok: false, status: 409, formError: 'errors:conflict' }
  await recordAudit({ actor: userActor(actor), action: accept ? 'offboarding.accept' : 'offboarding.send-back', subject: { kind: 'vendor', id: vendorId }, details: { offboardingId: String(offboarding._id), comment: input.comment } })
  if (accept) {
    await completeAcceptance(offboarding._id, now)
  } else {
    const again = await findOffboarding(offboarding._id)
    if (again) await mailVendorContacts(again, 'sentBack', `sent-back-${again.reviews.length}`, now)
  }
  return { ok: true, status: accept ? 'accepted' : 'requested' }
}

/** After acceptance: the vendor is offboarded and its links stop working. Repeatable. */
async function completeAcceptance(offboardingId: Types.ObjectId, now: Date) {
  const offboarding = await findOffboardingStatus(offboardingId)
  if (!offboarding || offboarding.status !== 'accepted') return
  if (await markVendorOffboarded(offboarding.vendorId)) {
    await recordAudit({ actor: { kind: 'system', label: 'offboarding' }, action: 'vendor.offboarded', subject: { kind: 'vendor', id: String(offboarding.vendorId) }, details: { offboardingId: String(offboardingId) } })
  }
  await revokeOffboardingLinks(offboardingId, 'closed', now)
}

/**
 * The offboarding job (run by the scheduler's sweep): completes interrupted steps, and sends each
 * reminder and escalation round once — the round is claimed on the offboarding first, and every
 * e-mail has a dedupe key.
 */
export async function runOffboardingJobs(now: Date, zone = timeZone()): Promise<{ reminders: number; escalations: number }> {
  let reminders = 0
  let escalations = 0
  const open = await listOpenOffboardings()
  for (const offboarding of open) {
    if (offboarding.status === 'accepted') {
      await completeAcceptance(offboarding._id, now)
      continue
    }
    await completeStart(offboarding._id, null, now)
    const notice = offboardingNoticeDue({ startDay: dayKey(offboarding.startedAt, zone), endDay: offboarding.endDate, today: dayKey(now, zone) })
    if (!notice) continue
    if (!(await claimReminderRound(offboarding._id, notice.round, now))) continue
    await mailVendorContacts(offboarding, notice.kind === 'overdue' ? 'overdue' : 'reminder', notice.round, now)
    reminders++
    if (notice.kind === 'overdue') escalations += await escalate(offboarding, notice.round, notice.daysOverdue)
  }
  return { reminders, escalations }
}

/** An overdue request goes to the person who started it and to compliance. */
async function escalate(offboarding: Pick<OffboardingRecord, '_id' | 'vendorId' | 'endDate' | 'startedBy'>, round: string, daysOverdue: number) {
  const vendor = await findVendorFields(offboarding.vendorId, 'name')
  const staff = await listActiveStaff({ roles: ['compliance', 'procurement', 'admin'] })
  const recipients = staff.filter((user) => user.role === 'compliance' || String(user._id) === offboarding.startedBy?.id)
  let sent = 0
  for (const user of recipients) {
    const result = await sendOffboardingEscalation({
      recipient: { id: String(user._id), name: user.name, email: user.email, locale: user.locale },
      vendorId: String(offboarding.vendorId),
      vendorName: vendor?.legalName,
      endDate: offboarding.endDate,
      daysOverdue,
      offboardingId: String(offboarding._id),
      dedupeKey: `offboarding-escalation:${String(offboarding._id)}:${round}:${String(user._id)}`,
    })
    if (result.status !== 'duplicate') sent++
  }
  return sent
}
