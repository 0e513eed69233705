// The pieces both report-verification pages share: the staff page (/reports/verify) and the
// public one (/verify). Each page adds its own rows through the slots; the markup stays the same.
import { useNavigation } from '@remix-run/react'
import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { buttonClass } from '~/components/ui'
import { formatFingerprint } from '~/modules/reports/report-data'
import type { PublicVerifiedReport } from '~/modules/reports/issue.server'

/** What both pages print about a genuine report (the staff page's report has these fields and more). */
type VerifiedReportFacts = Pick<
  PublicVerifiedReport,
  'vendorName' | 'reportId' | 'locale' | 'assessmentStatus' | 'controlScore' | 'findings' | 'fingerprint'
>

/** One row of the result's description list. `valueClassName` is the `<dd>`'s class, if any. */
export function VerifyField({ label, valueClassName, children }: { label: ReactNode; valueClassName?: string; children: ReactNode }) {
  return (
    <>
      <dt className="font-medium text-slate-600">{label}</dt>
      <dd className={valueClassName}>{children}</dd>
    </>
  )
}

export function VerifySubmit() {
  const { t } = useTranslation('reports')
  const navigation = useNavigation()
  return (
    <div>
      <button type="submit" className={buttonClass.primary} disabled={navigation.state !== 'idle'}>
        {t('verify.submit')}
      </button>
    </div>
  )
}

/**
 * The green "genuine" result. `residualRisk` is the already translated value (the pages name the
 * levels from different dictionaries); the slots hold each page's own rows.
 */
export function GenuineVerifyResult({
  report,
  body,
  residualRisk,
  afterVendor,
  afterStatus,
  beforeFingerprint,
}: {
  report: VerifiedReportFacts
  body: ReactNode
  residualRisk: ReactNode
  afterVendor?: ReactNode
  afterStatus?: ReactNode
  beforeFingerprint?: ReactNode
}) {
  const { t } = useTranslation('reports')
  return (
    <section className="mt-6 rounded-lg border border-emerald-300 bg-emerald-50 p-5" data-testid="verify-result" data-result="genuine" aria-live="polite">
      <h2 className="flex items-center gap-2 text-lg font-semibold text-emerald-900">
        <span aria-hidden="true">✓</span> {t('verify.valid')}
      </h2>
      <p className="mt-1 text-sm text-emerald-900">{body}</p>
      <dl className="mt-4 grid gap-x-6 gap-y-2 text-sm sm:grid-cols-[max-content_1fr]">
        <VerifyField label={t('verify.vendor')} valueClassName="text-slate-900">
          {report.vendorName['zh-CN']}
          {report.vendorName.en && report.vendorName.en !== report.vendorName['zh-CN'] ? (
            <span className="block text-slate-600">{report.vendorName.en}</span>
          ) : null}
        </VerifyField>
        {afterVendor}
        <VerifyField label={t('verify.reportId')} valueClassName="font-mono text-slate-900">
          {report.reportId}
        </VerifyField>
        <VerifyField label={t('verify.language')} valueClassName="text-slate-900">
          {t(`common:language.${report.locale}`)}
        </VerifyField>
        <VerifyField label={t('verify.status')} valueClassName="text-slate-900">
          {t(`pdf.assessmentStatus.${report.assessmentStatus}`, { defaultValue: report.assessmentStatus })}
        </VerifyField>
        {afterStatus}
        <VerifyField label={t('verify.controlScore')} valueClassName="tabular-nums text-slate-900">
          {report.controlScore ?? t('pdf.summary.notScored')}
        </VerifyField>
        <VerifyField label={t('verify.residualRisk')} valueClassName="text-slate-900">
          {residualRisk}
        </VerifyField>
        <VerifyField label={t('verify.findings')} valueClassName="tabular-nums text-slate-900">
          {report.findings}
        </VerifyField>
        {beforeFingerprint}
        <VerifyField label={t('verify.fingerprint')} valueClassName="break-all font-mono text-xs text-slate-700">
          {formatFingerprint(report.fingerprint)}
        </VerifyField>
      </dl>
    </section>
  )
}

/** The red "not ours" result; `children` adds lines under the body. */
export function UnknownVerifyResult({ title, body, children }: { title: ReactNode; body: ReactNode; children?: ReactNode }) {
  return (
    <section className="mt-6 rounded-lg border border-red-300 bg-red-50 p-5" data-testid="verify-result" data-result="unknown" role="alert">
      <h2 className="flex items-center gap-2 text-lg font-semibold text-red-900">
        <span aria-hidden="true">✗</span> {title}
      </h2>
      <p className="mt-1 text-sm text-red-900">{body}</p>
      {children}
    </section>
  )
}
