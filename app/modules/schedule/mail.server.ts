// Staff e-mails of the scheduler (escalations, contract expiry), in each recipient's language.
// Vendor reminders go through the portal's sendReminder, which carries a fresh link.
import { appUrl, getEnv } from '~/env.server'
import { translatorFor } from '~/i18n/i18n.server'
import { isLocale, localized, type Locale } from '~/i18n/locales'
import { renderMail } from '~/modules/mail/layout'
import { sendMail, type SendResult } from '~/modules/mail/mail.server'
import { formatDay as formatDayIn } from '~/modules/dates/dates'

export interface StaffRecipient {
  id: string
  name: string
  email: string
  locale: string | null | undefined
}

type LegalName = { 'zh-CN'?: string | null; en?: string | null } | null | undefined

const formatDay = (instant: Date, locale: Locale) => formatDayIn(instant, locale, getEnv().INSTITUTION_TIMEZONE)
const nameOf = (legalName: LegalName, locale: Locale) =>
  localized({ 'zh-CN': legalName?.['zh-CN'] ?? undefined, en: legalName?.en ?? undefined }, locale) || '—'
const localeOf = (recipient: StaffRecipient): Locale => (isLocale(recipient.locale) ? recipient.locale : 'zh-CN')

/** The recipient's language and the scheduler's texts in it. */
async function textsFor(recipient: StaffRecipient) {
  const locale = localeOf(recipient)
  return { locale, t: await translatorFor(locale, 'schedule') }
}

export async function sendEscalation(input: {
  recipient: StaffRecipient
  role: 'owner' | 'procurement'
  assessmentId: string
  vendorName: LegalName
  dueAt: Date
  daysOverdue: number
  round: number
  progressPercent: number
  dedupeKey: string
}): Promise<SendResult> {
  const { locale, t } = await textsFor(input.recipient)
  const params = {
    name: input.recipient.name,
    vendor: nameOf(input.vendorName, locale),
    due: formatDay(input.dueAt, locale),
    days: input.daysOverdue,
    count: input.daysOverdue,
    percent: input.progressPercent,
    institution: getEnv().INSTITUTION_NAME,
  }
  const paragraphs = [t('mail.escalation.intro', params), t('mail.escalation.progress', params), t(`mail.escalation.why.${input.role}`, params)]
  if (input.round > 0) paragraphs.push(t('mail.escalation.repeat', params))
  const body = renderMail({
    greeting: t('mail.greeting', params),
    paragraphs,
    action: { label: t('mail.escalation.action'), url: `${appUrl()}/assessments/${input.assessmentId}` },
    footer: t('mail.footer', params),
  })
  return sendMail({
    to: input.recipient.email,
    subject: t('mail.escalation.subject', params),
    ...body,
    locale,
    kind: 'escalation',
    dedupeKey: input.dedupeKey,
    related: { kind: 'assessment', id: input.assessmentId },
  })
}

export async function sendContractExpiryWarning(input: {
  recipient: StaffRecipient
  contract: { id: string; reference: string; title: string; expiresAt: Date }
  vendor: { id: string; legalName: LegalName }
  daysLeft: number
  dedupeKey: string
}): Promise<SendResult> {
  const { locale, t } = await textsFor(input.recipient)
  const params = {
    name: input.recipient.name,
    vendor: nameOf(input.vendor.legalName, locale),
    reference: input.contract.reference,
    title: input.contract.title,
    expires: formatDay(input.contract.expiresAt, locale),
    days: input.daysLeft,
    count: input.daysLeft,
    institution: getEnv().INSTITUTION_NAME,
  }
  const body = renderMail({
    greeting: t('mail.greeting', params),
    paragraphs: [t('mail.contractExpiry.intro', params), t('mail.contractExpiry.next', params)],
    action: { label: t('mail.contractExpiry.action'), url: `${appUrl()}/vendors/${input.vendor.id}/contracts` },
    footer: t('mail.footer', params),
  })
  return sendMail({
    to: input.recipient.email,
    subject: t('mail.contractExpiry.subject', params),
    ...body,
    locale,
    kind: 'contract-expiry',
    dedupeKey: input.dedupeKey,
    related: { kind: 'contract', id: input.contract.id },
  })
}
