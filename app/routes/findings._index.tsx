import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData, useSearchParams } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { DataTable, type Column } from '~/components/list-page/data-table'
import { FilterBar, optionsOf } from '~/components/list-page/filter-bar'
import { withSearchParams } from '~/components/list-page/search-params'
import { buttonClass, Card, EmptyState, PageHeader } from '~/components/ui'
import { getEnv } from '~/env.server'
import { getLocale } from '~/i18n/i18n.server'
import { requireUser } from '~/modules/auth/session.server'
import { findingCounts, listFindings, vendorsWithFindings } from '~/modules/findings/findings.server'
import { parseFindingListQuery } from '~/modules/findings/schemas'
import { FINDING_OWNERS, FINDING_STATUSES } from '~/modules/findings/vocabulary'
import { SEVERITIES } from '~/modules/library/content-schema'
import { FindingStatusBadge, SeverityBadge, formatDate } from '~/modules/review/ui/labels'
import { severityLabel } from '~/i18n/glossary'

export const meta: MetaFunction = () => [{ title: 'Findings · Clausewise' }]

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request, 'portal:read')
  const locale = await getLocale(request)
  const query = parseFindingListQuery(new URL(request.url).searchParams)
  const [page, vendors, counts] = await Promise.all([listFindings(query, locale), vendorsWithFindings(locale), findingCounts()])
  return { query, ...page, vendors, counts, timeZone: getEnv().INSTITUTION_TIMEZONE }
}

type FindingRow = ReturnType<typeof useLoaderData<typeof loader>>['findings'][number]

function useFindingColumns(timeZone: string): Column<FindingRow>[] {
  const { t, i18n } = useTranslation('findings')
  const cell = 'py-2 pr-3 align-top'
  return [
    { key: 'severity', header: t('fields.severity'), headerClassName: 'py-2 pr-3', className: cell, cell: (finding) => <SeverityBadge severity={finding.severity} /> },
    {
      key: 'title',
      header: t('fields.title'),
      headerClassName: 'py-2 pr-3',
      className: cell,
      cell: (finding) => (
        <>
          <Link to={`/findings/${finding.id}`} className="font-medium text-sky-800 underline">
            {finding.title}
          </Link>
          <Link to={finding.incidentId ? `/incidents/${finding.incidentId}` : `/assessments/${finding.assessmentId}/review`} className="block text-xs text-slate-500 hover:underline">
            {t('list.fromAssessment')}
          </Link>
        </>
      ),
    },
    {
      key: 'vendor',
      header: t('fields.vendor'),
      headerClassName: 'py-2 pr-3',
      className: cell,
      cell: (finding) => (
        <Link to={`/vendors/${finding.vendorId}`} className="hover:underline">
          {finding.vendorName}
        </Link>
      ),
    },
    {
      key: 'owner',
      header: t('fields.owner'),
      headerClassName: 'py-2 pr-3',
      className: cell,
      cell: (finding) => (
        <>
          {t(`owner.${finding.owner}`)}
          {finding.ownerName ? <span className="block text-xs text-slate-500">{finding.ownerName}</span> : null}
        </>
      ),
    },
    {
      key: 'dueAt',
      header: t('fields.dueAt'),
      headerClassName: 'py-2 pr-3',
      className: (finding) => `${cell} whitespace-nowrap ${finding.overdue ? 'font-semibold text-red-700' : ''}`,
      cell: (finding) => (
        <>
          {formatDate(finding.dueAt, i18n.language, timeZone)}
          {finding.overdue ? <span className="block text-xs">{t('list.overdue')}</span> : null}
        </>
      ),
    },
    { key: 'status', header: t('fields.status'), headerClassName: 'py-2', className: 'py-2 align-top', cell: (finding) => <FindingStatusBadge status={finding.status} /> },
  ]
}

export default function FindingsList() {
  const { t } = useTranslation('findings')
  const { query, findings, total, page, pages, vendors, counts, timeZone } = useLoaderData<typeof loader>()
  const [searchParams] = useSearchParams()
  const columns = useFindingColumns(timeZone)
  const pageLink = (target: number) => withSearchParams(searchParams, { page: target })
  const exportParams = new URLSearchParams(searchParams)
  exportParams.delete('page') // the export holds every page
  const exportSearch = exportParams.toString() ? `?${exportParams}` : ''
  const filtered = Boolean(query.severity || query.status || query.owner || query.vendor || query.overdue)
  return (
    <div data-testid="findings-list">
      <PageHeader
        title={t('list.title')}
        subtitle={t('list.subtitle', { open: counts.open, overdue: counts.overdue })}
        actions={
          <a href={`/findings/export.xlsx${exportSearch}`} className={buttonClass.secondary} download data-testid="findings-export-xlsx">
            {t('spreadsheets:exports.download')}
          </a>
        }
      />
      <Card className="mb-6">
        <FilterBar
          testId="findings-filters"
          className="grid grid-cols-2 items-end gap-3 md:grid-cols-6"
          fields={[
            { kind: 'select', name: 'severity', label: t('fields.severity'), defaultValue: query.severity, options: optionsOf(SEVERITIES, (severity) => severityLabel(t, severity), t('list.any')) },
            { kind: 'select', name: 'status', label: t('fields.status'), defaultValue: query.status, options: optionsOf(FINDING_STATUSES, (status) => t(`status.${status}`), t('list.any')) },
            { kind: 'select', name: 'owner', label: t('fields.owner'), defaultValue: query.owner, options: optionsOf(FINDING_OWNERS, (owner) => t(`owner.${owner}`), t('list.any')) },
            {
              kind: 'select',
              name: 'vendor',
              label: t('fields.vendor'),
              className: 'col-span-2 flex flex-col gap-1 text-sm font-medium text-slate-700 md:col-span-1',
              defaultValue: query.vendor,
              options: [{ value: '', label: t('list.anyVendor') }, ...vendors.map((vendor) => ({ value: vendor.id, label: vendor.name }))],
            },
            { kind: 'checkbox', name: 'overdue', label: t('list.overdueOnly'), defaultChecked: query.overdue },
          ]}
          submitLabel={t('common:actions.filter')}
          reset={filtered ? { to: '/findings', label: t('common:actions.reset') } : null}
        />
      </Card>

      {findings.length === 0 ? (
        <EmptyState>{filtered ? t('list.noMatch') : t('list.empty')}</EmptyState>
      ) : (
        <Card>
          <p className="mb-3 text-sm text-slate-600">{t('list.count', { count: total })}</p>
          <div className="overflow-x-auto">
            <DataTable
              testId="findings-table"
              className="w-full min-w-[720px] text-left text-sm"
              columns={columns}
              rows={findings}
              rowKey={(finding) => finding.id}
              row={(finding) => ({ testId: 'finding-row', data: { severity: finding.severity, status: finding.status } })}
            />
          </div>
          {pages > 1 ? (
            <nav className="mt-4 flex items-center justify-between text-sm" aria-label={t('list.pages')}>
              {page > 1 ? <Link to={pageLink(page - 1)} className={buttonClass.secondary}>{t('common:actions.previous')}</Link> : <span />}
              <span className="text-slate-600">{t('common:pagination.page', { page, pages })}</span>
              {page < pages ? <Link to={pageLink(page + 1)} className={buttonClass.secondary}>{t('common:actions.next')}</Link> : <span />}
            </nav>
          ) : null}
        </Card>
      )}
    </div>
  )
}
