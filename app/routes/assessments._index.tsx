import type { LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useLoaderData, useSearchParams } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { Badge, ButtonLink, Card, EmptyState, PageHeader, buttonClass } from '~/components/ui'
import { inputClass } from '~/components/forms'
import { useLocale } from '~/root'
import { localized } from '~/i18n/locales'
import { can } from '~/modules/auth/roles'
import { requireUser } from '~/modules/auth/session.server'
import { listAssessments, listQuerySchema } from '~/modules/assessments/assessments.server'
import { formatDay } from '~/modules/assessments/dates'
import { STATUS_TONE } from '~/modules/assessments/status'
import { ASSESSMENT_STATUSES } from '~/modules/assessments/vocabulary'
import { getEnv } from '~/env.server'

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request, 'portal:read')
  const params = Object.fromEntries(new URL(request.url).searchParams)
  const parsed = listQuerySchema.safeParse(params)
  const query = parsed.success ? parsed.data : { page: 1 }
  const result = await listAssessments(query)
  return { ...result, canManage: can(user.role, 'assessment:manage'), timeZone: getEnv().INSTITUTION_TIMEZONE }
}

export default function AssessmentsPage() {
  const { t } = useTranslation('assessments')
  const data = useLoaderData<typeof loader>()
  const [params] = useSearchParams()
  const locale = useLocale()
  const pageLink = (page: number) => {
    const next = new URLSearchParams(params)
    next.set('page', String(page))
    return `?${next}`
  }
  return (
    <div>
      <PageHeader
        title={t('list.title')}
        subtitle={t('list.subtitle', { total: data.total })}
        actions={data.canManage ? <ButtonLink to="/assessments/new">{t('list.start')}</ButtonLink> : null}
      />
      <Form method="get" className="mb-4 flex flex-wrap items-end gap-3" role="search">
        <label className="flex flex-col gap-1 text-sm text-slate-700">
          {t('list.filterStatus')}
          <select name="status" defaultValue={params.get('status') ?? ''} className={inputClass}>
            <option value="">{t('list.all')}</option>
            <option value="open">{t('list.open')}</option>
            <option value="overdue">{t('list.overdue')}</option>
            {ASSESSMENT_STATUSES.map((status) => (
              <option key={status} value={status}>
                {t(`status.${status}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col gap-1 text-sm text-slate-700">
          {t('list.filterVendor')}
          <input type="search" name="q" defaultValue={params.get('q') ?? ''} className={inputClass} placeholder={t('list.vendorPlaceholder')} />
        </label>
        <button type="submit" className={buttonClass.secondary}>
          {t('common:actions.filter')}
        </button>
      </Form>
      {data.rows.length === 0 ? (
        <EmptyState>{t('list.empty')}</EmptyState>
      ) : (
        <Card className="overflow-x-auto">
          <table className="w-full min-w-[720px] text-left text-sm" data-testid="assessment-list">
            <thead className="text-xs uppercase text-slate-500">
              <tr>
                <th className="py-2">{t('list.vendor')}</th>
                <th>{t('list.status')}</th>
                <th>{t('list.progress')}</th>
                <th>{t('list.due')}</th>
                <th>{t('list.questionnaires')}</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {data.rows.map((row) => (
                <tr key={row.id} data-overdue={row.overdue || undefined}>
                  <td className="py-2.5 pr-3">
                    <Link to={`/assessments/${row.id}`} className="font-medium text-sky-800 hover:underline">
                      {localized(row.vendor, locale) || '—'}
                    </Link>
                    <span className="block text-xs text-slate-500">{t(`trigger.${row.trigger}`, { defaultValue: row.trigger })}</span>
                  </td>
                  <td className="pr-3">
                    <span className="flex flex-wrap gap-1">
                      <Badge tone={STATUS_TONE[row.status]}>{t(`status.${row.status}`)}</Badge>
                      {row.overdue ? <Badge tone="bad">{t('overdue')}</Badge> : null}
                    </span>
                  </td>
                  <td className="pr-3">
                    <span className="flex items-center gap-2">
                      <span className="h-1.5 w-20 overflow-hidden rounded-full bg-slate-200">
                        <span className="block h-full bg-sky-600" style={{ width: `${row.percent}%` }} />
                      </span>
                      <span className="tabular-nums text-slate-700">{row.percent}%</span>
                    </span>
                  </td>
                  <td className={`pr-3 tabular-nums ${row.overdue ? 'font-medium text-red-700' : 'text-slate-700'}`}>{formatDay(row.dueAt, locale, data.timeZone)}</td>
                  <td className="text-xs text-slate-500">{row.questionnaires.join(', ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {data.pageCount > 1 ? (
            <nav className="mt-3 flex items-center justify-between text-sm" aria-label={t('common:pagination.page', { page: data.page, pages: data.pageCount })}>
              {data.page > 1 ? <Link to={pageLink(data.page - 1)}>← {t('common:actions.previous')}</Link> : <span />}
              <span className="text-slate-500">{t('common:pagination.page', { page: data.page, pages: data.pageCount })}</span>
              {data.page < data.pageCount ? <Link to={pageLink(data.page + 1)}>{t('common:actions.next')} →</Link> : <span />}
            </nav>
          ) : null}
        </Card>
      )}
    </div>
  )
}
