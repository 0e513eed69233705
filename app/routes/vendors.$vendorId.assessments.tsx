import type { LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { Badge, ButtonLink, EmptyState } from '~/components/ui'
import { useLocale } from '~/root'
import { getEnv } from '~/env.server'
import { can } from '~/modules/auth/roles'
import { requireUser } from '~/modules/auth/session.server'
import { listVendorAssessments } from '~/modules/assessments/assessments.server'
import { formatDay } from '~/modules/dates/dates'
import { STATUS_TONE } from '~/modules/assessments/status'
import { GeneralErrorBoundary } from '~/components/general-error-boundary'

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, 'portal:read')
  const vendorId = String(params.vendorId)
  return {
    vendorId,
    assessments: await listVendorAssessments(vendorId),
    canManage: can(user.role, 'assessment:manage'),
    timeZone: getEnv().INSTITUTION_TIMEZONE,
  }
}

export default function VendorAssessments() {
  const data = useLoaderData<typeof loader>()
  const { t } = useTranslation('assessments')
  const locale = useLocale()
  return (
    <div data-testid="vendor-assessments">
      <div className="mb-4 flex items-center justify-between gap-3">
        <h2 className="text-lg font-semibold text-slate-900">{t('vendorTab.title')}</h2>
        {data.canManage ? <ButtonLink to={`/assessments/new?vendorId=${data.vendorId}`}>{t('list.start')}</ButtonLink> : null}
      </div>
      {data.assessments.length === 0 ? (
        <EmptyState>{t('vendorTab.empty')}</EmptyState>
      ) : (
        <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white">
          {data.assessments.map((assessment) => (
            <li key={assessment.id} className="flex flex-wrap items-center justify-between gap-3 px-4 py-3">
              <div>
                <Link to={`/assessments/${assessment.id}`} className="font-medium text-sky-800 hover:underline">
                  {t('vendorTab.started', { date: formatDay(assessment.createdAt, locale, data.timeZone) })}
                </Link>
                <p className="text-xs text-slate-500">
                  {assessment.questionnaires.join(', ')} · {t(`trigger.${assessment.trigger}`, { defaultValue: assessment.trigger })}
                </p>
              </div>
              <div className="flex flex-wrap items-center gap-2 text-sm">
                <Badge tone={STATUS_TONE[assessment.status]}>{t(`status.${assessment.status}`)}</Badge>
                {assessment.overdue ? <Badge tone="bad">{t('overdue')}</Badge> : null}
                <span className="tabular-nums text-slate-600">{assessment.percent}%</span>
                <span className={assessment.overdue ? 'text-red-700' : 'text-slate-600'}>{t('layout.due', { date: formatDay(assessment.dueAt, locale, data.timeZone) })}</span>
              </div>
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}

// An error here keeps the parent page's header and tabs around it.
export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
