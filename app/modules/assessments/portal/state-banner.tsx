// The single state message of the vendor portal (landing page and questionnaire).
import { useTranslation } from 'react-i18next'
import type { Locale } from '~/i18n/locales'
import { formatDateTime } from '~/modules/dates/dates'
import type { PortalState } from './state'

export function PortalStateBanner({
  state,
  submission,
  clarification,
  institution,
  locale,
  timeZone,
}: {
  state: PortalState
  submission: { at: string; name: string; title: string } | null
  clarification?: string | null
  institution: string
  locale: Locale
  timeZone: string
}) {
  const { t } = useTranslation('vendorPortal')
  const submitted = submission
    ? t('landing.submittedBy', { name: submission.name, title: submission.title, when: formatDateTime(submission.at, locale, timeZone) })
    : null
  if (state.kind === 'open') return null
  if (state.kind === 'clarification') {
    return (
      <div className="rounded-lg border border-sky-200 bg-sky-50 p-4 text-sm text-sky-900" data-testid="portal-state" data-state="clarification" role="status">
        <p className="font-semibold">{t('landing.clarificationTitle', { count: state.count })}</p>
        <p className="mt-1">{t('landing.clarification')}</p>
        {clarification ? <p className="mt-2 whitespace-pre-wrap italic">“{clarification}”</p> : null}
        {submitted ? <p className="mt-2 text-xs text-sky-800">{submitted}</p> : null}
      </div>
    )
  }
  if (state.kind === 'submitted') {
    return (
      <div className="rounded-lg border border-emerald-200 bg-emerald-50 p-4 text-emerald-900" data-testid="portal-state" data-state="submitted" role="status">
        <p className="font-semibold" data-testid="submitted-banner">{t('landing.submittedTitle')}</p>
        <p className="mt-1 text-sm" data-testid="read-only">
          {submitted} {t('landing.submittedReadOnly', { institution })}
        </p>
      </div>
    )
  }
  return (
    <div className="rounded-lg border border-slate-200 bg-slate-50 p-4 text-sm text-slate-800" data-testid="portal-state" data-state="closed" role="status">
      <p data-testid="read-only">{t('questionnaire.readOnly')}</p>
    </div>
  )
}
