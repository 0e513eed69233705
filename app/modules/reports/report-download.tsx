// "Download report (PDF)" and the Excel export (answers, clauses, findings) for an assessment's page, in both languages. Shown only to roles that
// may download and only once the vendor has submitted; the route refuses everyone else anyway.
import { useTranslation } from 'react-i18next'
import { LOCALES } from '~/i18n/locales'
import { can, type Role } from '~/modules/auth/roles'
import { REPORTABLE_STATUSES } from './report-data'

export function ReportDownloadLinks({ assessmentId, status, role }: { assessmentId: string; status: string; role: Role | undefined | null }) {
  const { t } = useTranslation('reports')
  if (!can(role, 'report:download') || !(REPORTABLE_STATUSES as readonly string[]).includes(status)) return null
  return (
    <span className="inline-flex items-center gap-2 text-sm" data-testid="report-download">
      <span className="font-medium text-slate-700">{t('download.button')}</span>
      {LOCALES.map((locale) => (
        <a
          key={locale}
          href={`/assessments/${assessmentId}/report?lang=${locale}`}
          lang={locale}
          className="rounded-md px-2 py-1 text-sky-800 ring-1 ring-inset ring-slate-300 hover:bg-slate-50"
          download
        >
          {locale === 'zh-CN' ? '中文' : 'English'}
        </a>
      ))}
      <span className="ml-2 font-medium text-slate-700">{t('spreadsheets:exports.download')}</span>
      {LOCALES.map((locale) => (
        <a
          key={`xlsx-${locale}`}
          href={`/assessments/${assessmentId}/export.xlsx?lang=${locale}`}
          lang={locale}
          className="rounded-md px-2 py-1 text-sky-800 ring-1 ring-inset ring-slate-300 hover:bg-slate-50"
          download
          data-testid={`assessment-xlsx-${locale}`}
        >
          {locale === 'zh-CN' ? '中文' : 'English'}
        </a>
      ))}
    </span>
  )
}
