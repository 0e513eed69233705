import type { LoaderFunctionArgs } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Link, useLoaderData, useSearchParams } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { DataTable, type Column } from '~/components/list-page/data-table'
import { FilterBar, optionsOf } from '~/components/list-page/filter-bar'
import { withSearchParams } from '~/components/list-page/search-params'
import { Card, EmptyState, PageHeader } from '~/components/ui'
import { getEnv } from '~/env.server'
import { formatDateTime } from '~/modules/dates/dates'
import { auditPage } from '~/modules/audit/audit.server'
import { AUDIT_KINDS, parseAuditFilters } from '~/modules/audit/filters'
import { requireUser } from '~/modules/auth/session.server'
import { useLocale } from '~/root'

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request, 'audit:read')
  const timeZone = getEnv().INSTITUTION_TIMEZONE
  const parsed = parseAuditFilters(new URL(request.url).searchParams)
  // A malformed filter is the reader's slip: a 400 with the field's message, not a 5xx.
  if (!parsed.ok) return data({ timeZone, events: [], nextBefore: null, fieldErrors: parsed.fieldErrors }, { status: 400 })
  const page = await auditPage(parsed.filters, timeZone)
  return { timeZone, ...page, fieldErrors: {} as Record<string, string[]> }
}

function DetailsCell({ details }: { details: Record<string, unknown> | null }) {
  if (!details) return null
  return (
    <dl className="grid grid-cols-[auto_1fr] gap-x-2 text-xs">
      {Object.entries(details).map(([key, value]) => (
        <div key={key} className="contents">
          <dt className="font-medium text-slate-500">{key}</dt>
          <dd className="break-all text-slate-700">{typeof value === 'string' ? value : JSON.stringify(value)}</dd>
        </div>
      ))}
    </dl>
  )
}

type AuditRow = ReturnType<typeof useLoaderData<typeof loader>>['events'][number]

function useAuditColumns(timeZone: string): Column<AuditRow>[] {
  const { t } = useTranslation('admin')
  const locale = useLocale()
  const cell = 'px-2 py-2'
  const actionName = (action: string) => t(`audit.actions.${action.replace(/\./g, '_')}`, { defaultValue: '' })
  return [
    {
      key: 'at',
      header: t('audit.columns.at'),
      headerClassName: cell,
      className: 'whitespace-nowrap px-2 py-2 text-slate-600',
      cell: (event) => <time dateTime={event.at}>{formatDateTime(event.at, locale, timeZone)}</time>,
    },
    { key: 'actor', header: t('audit.columns.actor'), headerClassName: cell, className: cell, cell: (event) => event.actor.label ?? t(`audit.actorKinds.${event.actor.kind}`) },
    {
      key: 'action',
      header: t('audit.columns.action'),
      headerClassName: cell,
      className: cell,
      // Readable name first; the stable code (what filters and the CSV use) beneath it.
      cell: (event) => (
        <>
          {actionName(event.action) ? <span className="block">{actionName(event.action)}</span> : null}
          <span className="block font-mono text-xs text-slate-500">{event.action}</span>
        </>
      ),
    },
    {
      key: 'objectId',
      header: t('audit.columns.objectId'),
      headerClassName: cell,
      className: 'px-2 py-2 font-mono text-xs',
      cell: (event) => (
        <>
          {event.subject.kind}:{event.subject.id}
        </>
      ),
    },
    { key: 'clientAddress', header: t('audit.columns.clientAddress'), headerClassName: cell, className: 'px-2 py-2 font-mono text-xs', cell: (event) => event.clientAddress ?? '—' },
    { key: 'details', header: t('audit.columns.details'), headerClassName: cell, className: cell, cell: (event) => <DetailsCell details={event.details} /> },
  ]
}

export default function AuditTrailPage() {
  const { t } = useTranslation('admin')
  const { events, nextBefore, timeZone, fieldErrors } = useLoaderData<typeof loader>()
  const [searchParams] = useSearchParams()
  const columns = useAuditColumns(timeZone)
  const value = (name: string) => searchParams.get(name) ?? ''
  const exportParams = new URLSearchParams(searchParams)
  exportParams.delete('before')
  const fieldError = (name: string) => {
    const message = fieldErrors[name]?.[0]
    return message ? t(message.replace(/^admin:/, '')) : undefined
  }
  const label = 'text-sm text-slate-700'
  return (
    <div>
      <PageHeader
        title={t('audit.title')}
        subtitle={t('audit.subtitle')}
        actions={
          <a href={`/admin/audit.csv?${exportParams}`} className="rounded-md bg-white px-3 py-2 text-sm font-semibold text-slate-700 ring-1 ring-slate-300 hover:bg-slate-50" data-testid="audit-export" download>
            {t('audit.export')}
          </a>
        }
      />
      <Card>
        <FilterBar
          testId="audit-filters"
          idPrefix="audit"
          className="grid gap-3 sm:grid-cols-6"
          labelClassName={label}
          inputClassName="mt-1 block w-full rounded-md border border-slate-300 px-2 py-1.5 text-sm"
          fields={[
            { kind: 'search', inputType: 'text', name: 'actor', label: t('audit.filters.actor'), defaultValue: value('actor'), placeholder: 'name@bank.example', className: `${label} sm:col-span-2` },
            { kind: 'select', name: 'kind', label: t('audit.filters.kind'), defaultValue: value('kind'), options: optionsOf(AUDIT_KINDS, (kind) => t(`audit.kinds.${kind}`), t('audit.filters.anyKind')) },
            { kind: 'search', inputType: 'text', name: 'object', label: t('audit.filters.object'), defaultValue: value('object'), placeholder: 'vendor:…', className: `${label} sm:col-span-1` },
            { kind: 'search', inputType: 'date', name: 'from', label: t('audit.filters.from'), defaultValue: value('from'), error: fieldError('from') },
            { kind: 'search', inputType: 'date', name: 'to', label: t('audit.filters.to'), defaultValue: value('to'), error: fieldError('to') },
          ]}
          actionsClassName="flex items-end gap-2 sm:col-span-6"
          submitLabel={t('audit.filters.apply')}
          submitClassName="rounded-md bg-sky-700 px-3 py-2 text-sm font-semibold text-white hover:bg-sky-800"
          reset={{ to: '/admin/audit', label: t('audit.filters.clear') }}
          resetClassName="rounded-md px-3 py-2 text-sm font-semibold text-slate-700 ring-1 ring-slate-300"
        />
      </Card>
      <div className="mt-4">
        {events.length === 0 ? (
          <EmptyState>{t('audit.empty')}</EmptyState>
        ) : (
          <Card>
            <div className="overflow-x-auto">
              <DataTable
                testId="audit-table"
                columns={columns}
                rows={events}
                rowKey={(event) => event.id}
                row={(event) => ({ testId: 'audit-row', className: 'border-t border-slate-100 align-top', data: { action: event.action } })}
                bodyClassName=""
              />
            </div>
          </Card>
        )}
        <nav className="mt-4 flex gap-3" aria-label={t('audit.paging')}>
          {searchParams.get('before') ? (
            <Link to={withSearchParams(searchParams, { before: null })} className="text-sm font-semibold text-sky-700">
              {t('audit.newest')}
            </Link>
          ) : null}
          {nextBefore ? (
            <Link to={withSearchParams(searchParams, { before: nextBefore })} className="text-sm font-semibold text-sky-700" data-testid="audit-older">
              {t('audit.older')}
            </Link>
          ) : null}
        </nav>
      </div>
    </div>
  )
}
