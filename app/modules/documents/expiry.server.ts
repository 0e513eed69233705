// The document-expiry step of the scheduler's sweep. For every vendor's current documents
// (documents.ts currentDocuments): N days before the expiry day, procurement and the vendor's
// contacts are mailed, each in their language, once (the outbox's dedupe key names the document,
// the reminder day and the recipient); once a document has expired, an open review is rescored
// (the evidence no longer counts) and the vendor's latest signed-off assessment that needed it
// as evidence gets a finding (once: the unique assessment + key index).
import { Types } from 'mongoose'
import { listDocumentSourcesForExpiry, type AssessmentRecord } from '~/modules/assessments/assessment-store.server'
import { listActiveStaff } from '~/modules/auth/user-store.server'
import { listVendorsBy } from '~/modules/vendors/vendor-store.server'
import { appUrl, getEnv } from '~/env.server'
import { translatorFor } from '~/i18n/i18n.server'
import { isLocale, LOCALES, localized, type Locale } from '~/i18n/locales'
import { questionnairesOf } from '~/modules/assessments/catalog.server'
import { formatCalendarDay } from '~/modules/dates/dates'
import { needsEvidence, questionEntry } from '~/modules/assessments/questions'
import { recordAudit } from '~/modules/audit/audit.server'
import { defaultDueDate } from '~/modules/findings/plan'
import { insertFinding } from '~/modules/findings/finding-store.server'
import { renderMail } from '~/modules/mail/layout'
import { sendMail } from '~/modules/mail/mail.server'
import { observedEvent } from '~/modules/events/catalogue.server'
import { announceEvent } from '~/modules/events/outbox.server'
import { dayKey } from '~/modules/schedule/cadence'
import { getSettings, institutionTimeZone } from '~/modules/schedule/settings.server'
import { currentDocuments, daysBetween, reminderDayOf, reminderDue, type DocumentKind } from './documents'
import { documentsOfAssessments, type VendorDocument } from './documents.server'

type LegalName = { 'zh-CN'?: string | null; en?: string | null } | null | undefined
const nameOf = (legalName: LegalName, locale: Locale) => localized({ 'zh-CN': legalName?.['zh-CN'] ?? undefined, en: legalName?.en ?? undefined }, locale) || '—'
const localeOf = (value: unknown): Locale => (isLocale(value) ? value : 'zh-CN')
const showDay = formatCalendarDay
const REVIEW_OPEN = ['submitted', 'under_review', 'clarification_requested']

export async function runDocumentExpiry(now: Date, zone = institutionTimeZone()): Promise<{ documentReminders: number; expiredDocuments: number }> {
  const { documentExpiryWarningDays: warningDays } = await getSettings()
  const today = dayKey(now, zone)
  const vendors = await listVendorsBy({ fields: 'nameAndContacts', notStatus: 'offboarded' })
  if (vendors.length === 0) return { documentReminders: 0, expiredDocuments: 0 }
  const assessments = await listDocumentSourcesForExpiry(vendors.map((vendor) => vendor._id))
  let procurement: { _id: Types.ObjectId; name: string; email: string; locale?: string | null }[] | null = null
  let documentReminders = 0
  let expiredDocuments = 0
  for (const vendor of vendors) {
    const own = assessments.filter((assessment) => String(assessment.vendorId) === String(vendor._id))
    if (own.length === 0) continue
    for (const document of currentDocuments(documentsOfAssessments(own))) {
      if (!document.expiresOn) continue
      if (reminderDue(document.expiresOn, today, warningDays)) {
        procurement ??= await listActiveStaff({ roles: ['procurement'] })
        documentReminders += await remind(vendor, document, { today, warningDays, procurement })
      } else if (document.expiresOn < today) {
        expiredDocuments += await handleExpired(vendor, document, own, now)
      }
    }
  }
  return { documentReminders, expiredDocuments }
}

type VendorLean = { _id: Types.ObjectId; legalName?: LegalName; contacts?: { name: string; email: string; locale?: string | null }[] | null }

async function remind(
  vendor: VendorLean,
  document: VendorDocument,
  context: { today: string; warningDays: number; procurement: { _id: Types.ObjectId; name: string; email: string; locale?: string | null }[] },
): Promise<number> {
  const expiresOn = document.expiresOn!
  // The key names the reminder day: a run twice a day, or on two instances, sends once.
  const reminderDay = reminderDayOf(expiresOn, context.warningDays)
  const days = daysBetween(context.today, expiresOn)
  const recipients = [
    ...(vendor.contacts ?? []).map((contact) => ({ audience: 'vendor' as const, name: contact.name, email: contact.email, locale: localeOf(contact.locale) })),
    ...context.procurement.map((user) => ({ audience: 'staff' as const, name: user.name, email: user.email, locale: localeOf(user.locale) })),
  ]
  let sent = 0
  for (const recipient of recipients) {
    const t = await translatorFor(recipient.locale, 'documents')
    const params = {
      name: recipient.name,
      vendor: nameOf(vendor.legalName, recipient.locale),
      institution: getEnv().INSTITUTION_NAME,
      kind: t(`kind.${document.kind}`),
      document: document.filename,
      date: showDay(expiresOn, recipient.locale),
      days,
    }
    const body = renderMail({
      greeting: t('mail.greeting', params),
      paragraphs: [t(`mail.${recipient.audience}.intro`, params), t(`mail.${recipient.audience}.next`, params)],
      action: recipient.audience === 'staff' ? { label: t('mail.staff.action'), url: `${appUrl()}/vendors/${String(vendor._id)}/documents` } : undefined,
      footer: t('mail.footer', params),
    })
    const result = await sendMail({
      to: recipient.email,
      subject: t(`mail.${recipient.audience}.subject`, params),
      ...body,
      locale: recipient.locale,
      kind: `document-expiry-${recipient.audience}`,
      dedupeKey: `document-expiry:${document.fileId}:${reminderDay}:${recipient.email.toLowerCase()}`,
      related: { kind: 'vendor', id: String(vendor._id) },
    })
    if (result.status !== 'duplicate') sent++
  }
  if (sent > 0) {
    await recordAudit({
      actor: { kind: 'system', label: 'documents' },
      action: 'document.expiry-reminder',
      subject: { kind: 'vendor', id: String(vendor._id) },
      details: { fileId: document.fileId, kind: document.kind, expiresOn, to: recipients.map((recipient) => recipient.email) },
    })
  }
  return sent
}

type AssessmentLean = Pick<AssessmentRecord, '_id' | 'status' | 'answers' | 'questionnaires'>

/**
 * An expired document: each open review that uses it hears of it once (`document.expired`, which
 * review reacts to by rescoring); the latest signed-off assessment that needed it gets a finding.
 */
async function handleExpired(vendor: VendorLean, document: VendorDocument, assessments: AssessmentLean[], now: Date): Promise<number> {
  let handled = 0
  for (const use of document.usedBy.filter((entry) => REVIEW_OPEN.includes(entry.status))) {
    const payload = { fileId: document.fileId, vendorId: String(vendor._id), assessmentId: use.assessmentId, questionId: use.questionId, expiresOn: document.expiresOn! }
    const expired = observedEvent('document.expired', `${document.fileId}:${use.assessmentId}:${use.questionId}:${document.expiresOn}`, payload, now)
    if (await announceEvent(expired, { collection: 'assessments', id: use.assessmentId })) handled++
  }
  const latestCompleted = [...assessments].reverse().find((assessment) => assessment.status === 'completed')
  const use = latestCompleted && document.usedBy.find((entry) => entry.assessmentId === String(latestCompleted._id))
  if (!latestCompleted || !use || !requiredEvidence(latestCompleted, use.questionId)) return handled
  if (await openExpiredFinding(vendor, document, String(latestCompleted._id), use.questionId, now)) handled++
  return handled
}

/** Whether the answer the document was attached to called for evidence (the question's evidence rule). */
function requiredEvidence(assessment: AssessmentLean, questionId: string): boolean {
  const entry = questionEntry(questionnairesOf(assessment.questionnaires), questionId)
  if (!entry) return false
  const answers = assessment.answers ?? {}
  return entry.question.kind === 'file' ? Boolean(entry.question.required) : needsEvidence(entry, answers[questionId]?.value)
}

async function openExpiredFinding(vendor: VendorLean, document: VendorDocument, assessmentId: string, questionId: string, now: Date): Promise<boolean> {
  const texts = Object.fromEntries(
    await Promise.all(
      LOCALES.map(async (locale) => {
        const t = await translatorFor(locale, 'documents')
        const params = { id: questionId, kind: t(`kind.${document.kind as DocumentKind}`), document: document.filename, date: document.expiresOn }
        return [locale, { title: t('finding.title', params), description: t('finding.description', params), remediation: t('finding.remediation', params) }] as const
      }),
    ),
  )
  const pick = (field: 'title' | 'description' | 'remediation') => ({ 'zh-CN': texts['zh-CN']![field], en: texts.en![field] })
  const inserted = await insertFinding({
    assessmentId: new Types.ObjectId(assessmentId),
    vendorId: vendor._id,
    vendorName: { 'zh-CN': vendor.legalName?.['zh-CN'] ?? '', en: vendor.legalName?.en ?? '' },
    key: `expired_document:${document.fileId}`,
    source: { kind: 'missing_evidence', questionId, clauseIds: [] },
    severity: 'medium',
    computedSeverity: 'medium',
    title: pick('title'),
    description: pick('description'),
    remediation: pick('remediation'),
    owner: 'vendor',
    dueAt: defaultDueDate('medium', now),
    status: 'open',
    history: [{ at: now, event: 'created', changes: { severity: [null, 'medium'] } }],
  })
  if (!inserted) return false // opened before: once only
  await recordAudit({
    actor: { kind: 'system', label: 'documents' },
    action: 'document.expired-finding',
    subject: { kind: 'assessment', id: assessmentId },
    details: { fileId: document.fileId, kind: document.kind, expiresOn: document.expiresOn, questionId },
  })
  return true
}
