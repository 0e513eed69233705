import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData, useSearchParams } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { inputClass } from '~/components/forms'
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

export default function FindingsList() {
  const { t, i18n } = useTranslation('findings')
  const { query, findings, total, page, pages, vendors, counts, timeZone } = useLoaderData<typeof loader>()
  const [searchParams] = useSearchParams()
  const pageLink = (target: number) => {
    const next = new URLSearchParams(searchParams)
    next.set('page', String(target))
    return `?${next}`
  }
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
        <Form method="get" className="grid grid-cols-2 items-end gap-3 md:grid-cols-6" data-testid="findings-filters">
          <label className="flex flex-col gap-1 text-sm font-medium text-slate-700">
            {t('fields.severity')}
            <select name="severity" defaultValue={query.severity ?? ''} className={inputClass}>
              <option value="">{t('list.any')}</option>
              {SEVERITIES.map((severity) => (
                <option key={severity} value={severity}>
                  {severityLabel(t, severity)}
                </option>
              ))}
            </select>
          </label>
          <label className="flex flex-col gap-1 text-sm font-medium text-slate-700">
            {t('fields.status')}
            <select name="status" defaultValue={query.status ?? ''} className={inputClass}>
              <option value="">{t('list.any')}</option>
              {FINDING_STATUSES.map((status) => (
                <option key={status} value={status}>
                  {t(`status.${status}`)}
                </option>
              ))}
            </select>
          </label>
          <label className="flex flex-col gap-1 text-sm font-medium text-slate-700">
            {t('fields.owner')}
            <select name="owner" defaultValue={query.owner ?? ''} className={inputClass}>
              <option value="">{t('list.any')}</option>
              {FINDING_OWNERS.map((owner) => (
                <option key={owner} value={owner}>
                  {t(`owner.${owner}`)}
                </option>
              ))}
            </select>
          </label>
          <label className="col-span-2 flex flex-col gap-1 text-sm font-medium text-slate-700 md:col-span-1">
            {t('fields.vendor')}
            <select name="vendor" defaultValue={query.vendor ?? ''} className={inputClass}>
              <option value="">{t('list.anyVendor')}</option>
              {vendors.map((vendor) => (
                <option key={vendor.id} value={vendor.id}>
                  {vendor.name}
                </option>
              ))}
            </select>
          </label>
          <label className="flex items-center gap-2 pb-2 text-sm font-medium text-slate-700">
            <input type="checkbox" name="overdue" value="1" defaultChecked={query.overdue} className="h-4 w-4 rounded border-slate-300" />
            {t('list.overdueOnly')}
          </label>
          <div className="flex gap-2">
            <button type="submit" className={buttonClass.primary}>
              {t('common:actions.filter')}
            </button>
            {filtered ? (
              <Link to="/findings" className={buttonClass.secondary}>
                {t('common:actions.reset')}
              </Link>
            ) : null}
          </div>
        </Form>
      </Card>

      {findings.length === 0 ? (
        <EmptyState>{filtered ? t('list.noMatch') : t('list.empty')}</EmptyState>
      ) : (
        <Card>
          <p className="mb-3 text-sm text-slate-600">{t('list.count', { count: total })}</p>
          <div className="overflow-x-auto">
            <table className="w-full min-w-[720px] text-left text-sm" data-testid="findings-table">
              <thead className="text-xs uppercase text-slate-500">
                <tr>
                  <th className="py-2 pr-3">{t('fields.severity')}</th>
                  <th className="py-2 pr-3">{t('fields.title')}</th>
                  <th className="py-2 pr-3">{t('fields.vendor')}</th>
                  <th className="py-2 pr-3">{t('fields.owner')}</th>
                  <th className="py-2 pr-3">{t('fields.dueAt')}</th>
                  <th className="py-2">{t('fields.status')}</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {findings.map((finding) => (
                  <tr key={finding.id} data-testid="finding-row" data-severity={finding.severity} data-status={finding.status}>
                    <td className="py-2 pr-3 align-top">
                      <SeverityBadge severity={finding.severity} />
                    </td>
                    <td className="py-2 pr-3 align-top">
                      <Link to={`/findings/${finding.id}`} className="font-medium text-sky-800 underline">
                        {finding.title}
                      </Link>
                      <Link to={finding.incidentId ? `/incidents/${finding.incidentId}` : `/assessments/${finding.assessmentId}/review`} className="block text-xs text-slate-500 hover:underline">
                        {t('list.fromAssessment')}
                      </Link>
                    </td>
                    <td className="py-2 pr-3 align-top">
                      <Link to={`/vendors/${finding.vendorId}`} className="hover:underline">
                        {finding.vendorName}
                      </Link>
                    </td>
                    <td className="py-2 pr-3 align-top">
                      {t(`owner.${finding.owner}`)}
                      {finding.ownerName ? <span className="block text-xs text-slate-500">{finding.ownerName}</span> : null}
                    </td>
                    <td className={`py-2 pr-3 align-top whitespace-nowrap ${finding.overdue ? 'font-semibold text-red-700' : ''}`}>
                      {formatDate(finding.dueAt, i18n.language, timeZone)}
                      {finding.overdue ? <span className="block text-xs">{t('list.overdue')}</span> : null}
                    </td>
                    <td className="py-2 align-top">
                      <FindingStatusBadge status={finding.status} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
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
