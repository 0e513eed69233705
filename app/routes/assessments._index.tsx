import type { LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData, useSearchParams } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { Badge, ButtonLink, Card, EmptyState, PageHeader, buttonClass } from '~/components/ui'
import { DataTable, type Column } from '~/components/list-page/data-table'
import { FilterBar, optionsOf } from '~/components/list-page/filter-bar'
import { withSearchParams } from '~/components/list-page/search-params'
import { useLocale } from '~/root'
import { localized } from '~/i18n/locales'
import { can } from '~/modules/auth/roles'
import { requireUser } from '~/modules/auth/session.server'
import { listAssessments, listQuerySchema } from '~/modules/assessments/assessments.server'
import { formatDay } from '~/modules/dates/dates'
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

type AssessmentRow = ReturnType<typeof useLoaderData<typeof loader>>['rows'][number]

function useAssessmentColumns(timeZone: string): Column<AssessmentRow>[] {
  const { t } = useTranslation('assessments')
  const locale = useLocale()
  return [
    {
      key: 'vendor',
      header: t('list.vendor'),
      headerClassName: 'py-2',
      className: 'py-2.5 pr-3',
      cell: (row) => (
        <>
          <Link to={`/assessments/${row.id}`} className="font-medium text-sky-800 hover:underline">
            {localized(row.vendor, locale) || '—'}
          </Link>
          <span className="block text-xs text-slate-500">{t(`trigger.${row.trigger}`, { defaultValue: row.trigger })}</span>
        </>
      ),
    },
    {
      key: 'status',
      header: t('list.status'),
      className: 'pr-3',
      cell: (row) => (
        <span className="flex flex-wrap gap-1">
          <Badge tone={STATUS_TONE[row.status]}>{t(`status.${row.status}`)}</Badge>
          {row.overdue ? <Badge tone="bad">{t('overdue')}</Badge> : null}
        </span>
      ),
    },
    {
      key: 'progress',
      header: t('list.progress'),
      className: 'pr-3',
      cell: (row) => (
        <span className="flex items-center gap-2">
          <span className="h-1.5 w-20 overflow-hidden rounded-full bg-slate-200">
            <span className="block h-full bg-sky-600" style={{ width: `${row.percent}%` }} />
          </span>
          <span className="tabular-nums text-slate-700">{row.percent}%</span>
        </span>
      ),
    },
    {
      key: 'due',
      header: t('list.due'),
      className: (row) => `pr-3 tabular-nums ${row.overdue ? 'font-medium text-red-700' : 'text-slate-700'}`,
      cell: (row) => formatDay(row.dueAt, locale, timeZone),
    },
    { key: 'questionnaires', header: t('list.questionnaires'), className: 'text-xs text-slate-500', cell: (row) => row.questionnaires.join(', ') },
  ]
}

export default function AssessmentsPage() {
  const { t } = useTranslation('assessments')
  const data = useLoaderData<typeof loader>()
  const [params] = useSearchParams()
  const columns = useAssessmentColumns(data.timeZone)
  const pageLink = (page: number) => withSearchParams(params, { page })
  return (
    <div>
      <PageHeader
        title={t('list.title')}
        subtitle={t('list.subtitle', { total: data.total })}
        actions={data.canManage ? <ButtonLink to="/assessments/new">{t('list.start')}</ButtonLink> : null}
      />
      <FilterBar
        className="mb-4 flex flex-wrap items-end gap-3"
        labelClassName="flex flex-col gap-1 text-sm text-slate-700"
        fields={[
          {
            kind: 'select',
            name: 'status',
            label: t('list.filterStatus'),
            defaultValue: params.get('status') ?? '',
            options: [
              { value: '', label: t('list.all') },
              { value: 'open', label: t('list.open') },
              { value: 'overdue', label: t('list.overdue') },
              ...optionsOf(ASSESSMENT_STATUSES, (status) => t(`status.${status}`)),
            ],
          },
          { kind: 'search', name: 'q', label: t('list.filterVendor'), defaultValue: params.get('q') ?? '', placeholder: t('list.vendorPlaceholder') },
        ]}
        submitLabel={t('common:actions.filter')}
        submitClassName={buttonClass.secondary}
        actionsClassName="contents"
      />
      {data.rows.length === 0 ? (
        <EmptyState>{t('list.empty')}</EmptyState>
      ) : (
        <Card className="overflow-x-auto">
          <DataTable
            testId="assessment-list"
            className="w-full min-w-[720px] text-left text-sm"
            columns={columns}
            rows={data.rows}
            rowKey={(row) => row.id}
            row={(row) => ({ data: { overdue: row.overdue || undefined } })}
          />
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
