import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, NavLink, Outlet, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { Badge } from '~/components/ui'
import { notFound } from '~/modules/http'
import { can } from '~/modules/auth/roles'
import { useLocale, useRootData } from '~/root'
import { localized } from '~/i18n/locales'
import { requireUser } from '~/modules/auth/session.server'
import { getAssessmentHeader } from '~/modules/assessments/assessments.server'
import { formatDay } from '~/modules/dates/dates'
import { STATUS_TONE } from '~/modules/assessments/status'
import { ReportDownloadLinks } from '~/modules/reports/report-download'
import { scoreBesideLast } from '~/modules/review/beside-last.server'
import { BesideLast } from '~/modules/review/ui/beside-last'
import { GeneralErrorBoundary, notFoundHandler } from '~/components/general-error-boundary'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.vendor['zh-CN'] || data?.vendor.en || ''} · Clausewise` }]

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireUser(request, 'portal:read')
  const [header, sinceLast] = await Promise.all([getAssessmentHeader(String(params.assessmentId)), scoreBesideLast(String(params.assessmentId))])
  if (!header) throw notFound()
  return { ...header, sinceLast }
}

export default function AssessmentLayout() {
  const header = useLoaderData<typeof loader>()
  const { t } = useTranslation('assessments')
  const { t: tOffline } = useTranslation('offline')
  const root = useRootData()
  const locale = useLocale()
  const tab = ({ isActive }: { isActive: boolean }) =>
    `-mb-px border-b-2 px-3 py-2 text-sm font-medium ${isActive ? 'border-sky-700 text-sky-800' : 'border-transparent text-slate-600 hover:text-slate-900'}`
  return (
    <div>
      <nav className="mb-2 text-sm text-slate-500" aria-label={t('layout.breadcrumb')}>
        <Link to="/assessments" className="hover:underline">
          {t('list.title')}
        </Link>{' '}
        /{' '}
        <Link to={`/vendors/${header.vendorId}`} className="hover:underline">
          {localized(header.vendor, locale)}
        </Link>
      </nav>
      <div className="mb-4 flex flex-wrap items-start justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight text-slate-900">{t('layout.title', { vendor: localized(header.vendor, locale) })}</h1>
          <p className="mt-1 flex flex-wrap items-center gap-2 text-sm text-slate-600">
            <Badge tone={STATUS_TONE[header.status]}>{t(`status.${header.status}`)}</Badge>
            {header.overdue ? <Badge tone="bad">{t('overdue')}</Badge> : null}
            <span>{t('layout.due', { date: formatDay(header.dueAt, locale, header.timeZone) })}</span>
            <span aria-hidden="true">·</span>
            <span>{t('layout.progress', { percent: header.percent, answered: header.answered, required: header.required })}</span>
          </p>
          {header.sinceLast ? <BesideLast sinceLast={header.sinceLast} timeZone={header.timeZone} /> : null}
        </div>
        <ReportDownloadLinks assessmentId={header.id} status={header.status} role={root?.user?.role} />
      </div>
      <nav className="mb-6 flex gap-2 border-b border-slate-200" aria-label={t('layout.tabs')}>
        <NavLink to={`/assessments/${header.id}`} end className={tab}>
          {t('layout.overview')}
        </NavLink>
        <NavLink to={`/assessments/${header.id}/review`} className={tab}>
          {t('layout.review')}
        </NavLink>
        {can(root?.user?.role, 'assessment:manage') ? (
          <NavLink to={`/assessments/${header.id}/offline`} className={tab}>
            {tOffline('staff.tab')}
          </NavLink>
        ) : null}
      </nav>
      <Outlet />
    </div>
  )
}

// Rendered inside the staff shell, so the navigation stays; a missing assessment is named as such.
export function ErrorBoundary() {
  return <GeneralErrorBoundary statusHandlers={{ 404: notFoundHandler('errorPage.notFound.assessment') }} />
}
