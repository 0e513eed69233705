// A reassessment the sweep could not issue is never only a log line: the reason is stored on the
// vendor (shown on the dashboard and the schedule page) and every admin is e-mailed once per
// vendor, due date and reason (the outbox's unique dedupeKey lets each message through once).
import type { Types } from 'mongoose'
import { listActiveStaff } from '~/modules/auth/user-store.server'
import { findVendorFields, listIssueFailedVendors } from '~/modules/vendors/vendor-store.server'
import { appUrl, getEnv } from '~/env.server'
import { translatorFor } from '~/i18n/i18n.server'
import { isLocale, localized, type Locale } from '~/i18n/locales'
import { renderMail } from '~/modules/mail/layout'
import { sendMail } from '~/modules/mail/mail.server'
import { dayKey } from './cadence'
import { formatDay } from '~/modules/dates/dates'

export const ISSUE_FAILURE_REASONS = ['noContacts', 'vendorNotFound', 'unknownQuestionnaire', 'unknownContact', 'dueInPast', 'unexpected'] as const
export type IssueFailureReason = (typeof ISSUE_FAILURE_REASONS)[number]

export function issueFailureReason(code: unknown): IssueFailureReason {
  return (ISSUE_FAILURE_REASONS as readonly unknown[]).includes(code) ? (code as IssueFailureReason) : 'unexpected'
}

/** Mails every active admin about one vendor the sweep could not issue, once per vendor, due date and reason. */
export async function mailIssueFailure(input: { vendorId: Types.ObjectId; dueAt: Date; reason: IssueFailureReason; message: string; timeZone: string }): Promise<number> {
  const vendor = await findVendorFields(input.vendorId, 'name')
  const admins = await listActiveStaff({ roles: ['admin'] })
  let sent = 0
  for (const admin of admins) {
    const locale: Locale = isLocale(admin.locale) ? admin.locale : 'zh-CN'
    const t = await translatorFor(locale, 'schedule')
    const params = {
      name: admin.name,
      vendor: localized({ 'zh-CN': vendor?.legalName?.['zh-CN'] ?? undefined, en: vendor?.legalName?.en ?? undefined }, locale) || input.vendorId.toString(),
      due: formatDay(input.dueAt, locale, input.timeZone),
      reason: t(`issueFailure.reason.${input.reason}`),
      institution: getEnv().INSTITUTION_NAME,
    }
    const body = renderMail({
      greeting: t('mail.greeting', params),
      paragraphs: [t('mail.issueFailure.intro', params), t('mail.issueFailure.reason', params), t('mail.issueFailure.next', params)],
      action: { label: t('mail.issueFailure.action'), url: `${appUrl()}/vendors/${input.vendorId.toString()}` },
      footer: t('mail.footer', params),
    })
    const result = await sendMail({
      to: admin.email,
      subject: t('mail.issueFailure.subject', params),
      ...body,
      locale,
      kind: 'schedule-issue-failure',
      dedupeKey: `schedule-issue-failure:${input.vendorId.toString()}:${dayKey(input.dueAt, input.timeZone)}:${input.reason}:${admin._id.toString()}`,
      related: { kind: 'vendor', id: input.vendorId.toString() },
    })
    if (result.status !== 'duplicate') sent++
  }
  return sent
}

export interface IssueFailureRow {
  vendorId: string
  legalName: { 'zh-CN': string; en: string }
  tier: number
  nextDueAt: string | null
  reason: IssueFailureReason
  at: string
}

export { issueFailedFilter } from './vendor-buckets'

/** The vendors the sweep could not issue, for the dashboard. */
export async function listIssueFailures(limit = 8): Promise<{ total: number; rows: IssueFailureRow[] }> {
  const { total, vendors } = await listIssueFailedVendors(limit)
  return { total, rows: vendors.map(issueFailureRow) }
}

export function issueFailureRow(vendor: {
  _id: Types.ObjectId
  legalName?: { 'zh-CN'?: string | null; en?: string | null } | null
  effectiveTier: number
  reassessment?: { nextDueAt?: Date | null; issueError?: { at?: Date | null; reason?: string | null } | null } | null
}): IssueFailureRow {
  return {
    vendorId: vendor._id.toString(),
    legalName: { 'zh-CN': vendor.legalName?.['zh-CN'] ?? '', en: vendor.legalName?.en ?? '' },
    tier: vendor.effectiveTier,
    nextDueAt: vendor.reassessment?.nextDueAt?.toISOString() ?? null,
    reason: issueFailureReason(vendor.reassessment?.issueError?.reason),
    at: (vendor.reassessment?.issueError?.at ?? new Date(0)).toISOString(),
  }
}
