import type { ReactNode } from 'react'
import { Link } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { Badge, EmptyState } from '~/components/ui'
import { DataTable, type Column } from '~/components/list-page/data-table'
import { formatDateTime } from '~/modules/vendors/labels'
import type { IncidentRow } from '../incidents.server'
import { IncidentStatusBadge, SeverityBadge } from './badges'

const CELL = 'px-3 py-2'

/** The incident register's table, on the staff list and on a vendor's incidents tab (without the vendor column). */
export function IncidentTable({ incidents, timeZone, showVendor, empty }: { incidents: IncidentRow[]; timeZone: string; showVendor?: boolean; empty: ReactNode }) {
  const { t } = useTranslation('incidents')
  const cells: Column<IncidentRow>[] = [
    {
      key: 'reference',
      header: t('list.columns.reference'),
      className: `whitespace-nowrap ${CELL}`,
      cell: (incident) => (
        <Link to={`/incidents/${incident.id}`} className="font-medium text-sky-800 hover:underline">
          {incident.reference}
        </Link>
      ),
    },
    ...(showVendor
      ? [
          {
            key: 'vendor',
            header: t('list.columns.vendor'),
            className: CELL,
            cell: (incident: IncidentRow) => (
              <Link to={`/vendors/${incident.vendorId}/incidents`} className="text-slate-700 hover:underline">
                {incident.vendorName}
              </Link>
            ),
          },
        ]
      : []),
    {
      key: 'incident',
      header: t('list.columns.incident'),
      className: `${CELL} text-slate-800`,
      cell: (incident) => (
        <>
          {incident.title}
          {incident.overdueTasks ? (
            <span className="ml-2">
              <Badge tone="bad">{t('list.overdueTasks', { count: incident.overdueTasks })}</Badge>
            </span>
          ) : null}
        </>
      ),
    },
    { key: 'severity', header: t('list.columns.severity'), className: CELL, cell: (incident) => <SeverityBadge severity={incident.severity} /> },
    { key: 'status', header: t('list.columns.status'), className: CELL, cell: (incident) => <IncidentStatusBadge status={incident.status} /> },
    {
      key: 'deadline',
      header: t('list.columns.deadline'),
      className: CELL,
      cell: (incident) => <Badge tone={incident.notification === 'met' ? 'good' : 'bad'}>{incident.notification === 'met' ? t('detail.met') : t('detail.missed', { duration: '' }).trim()}</Badge>,
    },
    { key: 'detected', header: t('list.columns.detected'), className: `whitespace-nowrap ${CELL} text-slate-600`, cell: (incident) => formatDateTime(incident.detectedAt, timeZone) },
  ]
  const columns = cells.map((column) => ({ headerClassName: CELL, ...column }))
  if (incidents.length === 0) return <EmptyState>{empty}</EmptyState>
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <DataTable
        columns={columns}
        rows={incidents}
        rowKey={(incident) => incident.id}
        row={() => ({ testId: 'incident-row' })}
        className="min-w-full divide-y divide-slate-200 text-sm"
        headClassName="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-500"
      />
    </div>
  )
}
