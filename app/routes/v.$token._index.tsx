import type { LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData, useParams } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { Badge, buttonClass } from '~/components/ui'
import { useLocale } from '~/root'
import { localized } from '~/i18n/locales'
import { requireVendorAccess } from '~/modules/assessments/access.server'
import { formatDay } from '~/modules/dates/dates'
import { portalView, touchInvitation } from '~/modules/assessments/portal.server'
import { ProgressSummary } from '~/modules/assessments/portal/questionnaire-form'
import { portalState } from '~/modules/assessments/portal/state'
import { PortalStateBanner } from '~/modules/assessments/portal/state-banner'
import { progressOf } from '~/modules/assessments/questions'
import { vendorName } from '~/modules/assessments/snapshot'

export async function loader({ params }: LoaderFunctionArgs) {
  const access = await requireVendorAccess(params.token)
  await touchInvitation(access)
  const view = portalView(access)
  const progress = progressOf(view.questionnaires, view.answers)
  return {
    institution: view.institution,
    timeZone: view.timeZone,
    status: view.status,
    dueAt: view.dueAt,
    expiresAt: view.expiresAt,
    contactName: view.contactName,
    vendor: view.vendor,
    submission: view.submission,
    editable: view.editable,
    clarification: view.clarification,
    questionnaires: view.questionnaires.map((questionnaire) => ({
      id: questionnaire.id,
      title: questionnaire.title,
      description: questionnaire.description,
      questionCount: questionnaire.sections.reduce((sum, section) => sum + section.questions.length, 0),
    })),
    progress: { percent: progress.percent, answered: progress.answered, required: progress.required, mayAppear: progress.mayAppear, evidenceMissing: progress.missingEvidence.length, toConfirm: progress.toConfirm },
  }
}

export default function VendorLanding() {
  const data = useLoaderData<typeof loader>()
  const { token } = useParams()
  const { t } = useTranslation('vendorPortal')
  const { t: tOffline } = useTranslation('offline')
  const locale = useLocale()
  const due = formatDay(data.dueAt, locale, data.timeZone)
  const started = data.progress.answered > 0
  const state = portalState({ editable: data.editable, submitted: data.submission !== null })
  const readOnly = state.kind === 'submitted' || state.kind === 'closed'
  const categories = data.vendor.dataProfile.piCategories
  return (
    <div className="mx-auto max-w-3xl" data-testid="vendor-landing">
      <p className="text-sm text-slate-600">{t('landing.hello', { name: data.contactName })}</p>
      <h1 className="mt-1 text-2xl font-semibold tracking-tight text-slate-900 sm:text-3xl">{t('landing.title', { vendor: vendorName(data.vendor, locale) })}</h1>

      {state.kind === 'open' ? null : (
        <div className="mt-5">
          <PortalStateBanner state={state} submission={data.submission} clarification={data.clarification} institution={data.institution} locale={locale} timeZone={data.timeZone} />
        </div>
      )}

      <div className="mt-6 grid gap-4 sm:grid-cols-2">
        <div className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm sm:col-span-2">
          <h2 className="text-base font-semibold text-slate-900">{t('landing.whoAsks')}</h2>
          <p className="mt-2 text-sm leading-relaxed text-slate-700">{t('landing.why', { institution: data.institution, vendor: vendorName(data.vendor, locale) })}</p>
        </div>
        <div className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
          <h2 className="text-base font-semibold text-slate-900">{t('landing.whichData')}</h2>
          {categories.length ? (
            <ul className="mt-2 flex flex-wrap gap-1.5">
              {categories.map((category) => (
                <li key={category}>
                  <Badge tone="info">{t(`piCategories.${category}`, { defaultValue: category })}</Badge>
                </li>
              ))}
            </ul>
          ) : (
            <p className="mt-2 text-sm text-slate-600">{t('landing.noCategories')}</p>
          )}
        </div>
        <div className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
          <h2 className="text-base font-semibold text-slate-900">{t('landing.byWhen')}</h2>
          <p className="mt-2 text-2xl font-semibold text-slate-900" data-testid="due-date">
            {due}
          </p>
          <p className="mt-1 text-xs text-slate-500">{t('landing.linkValid', { date: formatDay(data.expiresAt, locale, data.timeZone) })}</p>
        </div>
      </div>

      <div className="mt-4 rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
        <h2 className="text-base font-semibold text-slate-900">{t('landing.whatToDo')}</h2>
        <ul className="mt-2 list-disc space-y-1 pl-5 text-sm text-slate-700">
          {data.questionnaires.map((questionnaire) => (
            <li key={questionnaire.id}>
              <span className="font-medium">{localized(questionnaire.title, locale)}</span> — {t('landing.questionCount', { count: questionnaire.questionCount })}
            </li>
          ))}
          <li>{t('landing.autosave')}</li>
          <li>{t('landing.evidence')}</li>
        </ul>
      </div>

      <div className="mt-6 flex flex-col gap-4 sm:flex-row sm:items-center sm:justify-between">
        <div className="sm:w-72">
          <ProgressSummary {...data.progress} />
        </div>
        {readOnly ? null : (
          <Link to={`/v/${token}/offline`} className={buttonClass.secondary} data-testid="open-offline">
            {tOffline('page.offlineLink')}
          </Link>
        )}
        <Link to={`/v/${token}/questionnaire`} className={`${buttonClass.primary} px-6 py-3 text-base`} data-testid="open-questionnaire">
          {readOnly ? t('landing.view') : started ? t('landing.continue') : t('landing.start')}
        </Link>
      </div>
    </div>
  )
}
