import { Link } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { Card } from '~/components/ui'
import { formatDateTime } from '~/modules/vendors/labels'
import type { IncidentDashboard } from '../incidents.server'
import { IncidentStatusBadge, SeverityBadge } from './badges'

// The dashboard's incident figures: open incidents and overdue incident tasks.
export function IncidentsCard({ incidents, timeZone }: { incidents: IncidentDashboard; timeZone: string }) {
  const { t } = useTranslation('incidents')
  return (
    <Card
      title={t('dashboard.title')}
      actions={
        <Link to="/incidents?open=1" className="text-2xl font-semibold tabular-nums text-sky-800 hover:underline" data-testid="figure-incidents">
          {incidents.open}
        </Link>
      }
    >
      <div className="grid gap-6 md:grid-cols-2">
        <div>
          <h3 className="text-xs font-semibold uppercase tracking-wide text-slate-500">{t('dashboard.open')}</h3>
          {incidents.openList.length === 0 ? (
            <p className="mt-2 text-sm text-slate-500">{t('dashboard.none')}</p>
          ) : (
            <ul className="mt-2 divide-y divide-slate-100 text-sm" data-testid="open-incidents">
              {incidents.openList.map((incident) => (
                <li key={incident.id} className="flex flex-wrap items-center justify-between gap-2 py-1.5">
                  <Link to={`/incidents/${incident.id}`} className="font-medium text-sky-800 hover:underline">
                    {incident.reference} · {incident.vendorName}
                  </Link>
                  <span className="flex gap-1">
                    <SeverityBadge severity={incident.severity} />
                    <IncidentStatusBadge status={incident.status} />
                  </span>
                </li>
              ))}
            </ul>
          )}
        </div>
        <div>
          <h3 className="text-xs font-semibold uppercase tracking-wide text-slate-500">{t('dashboard.overdueTasks')}</h3>
          {incidents.overdueTasks.length === 0 ? (
            <p className="mt-2 text-sm text-slate-500">{t('dashboard.noOverdue')}</p>
          ) : (
            <ul className="mt-2 divide-y divide-slate-100 text-sm" data-testid="overdue-incident-tasks">
              {incidents.overdueTasks.map((task) => (
                <li key={`${task.incidentId}-${task.kind}`} className="py-1.5">
                  <Link to={`/incidents/${task.incidentId}`} className="font-medium text-red-800 hover:underline">
                    {t(`task.kind.${task.kind}`)} · {task.reference}
                  </Link>
                  <span className="block text-xs text-slate-500">
                    {task.vendorName} · {task.ownerName} · {t('dashboard.due', { date: formatDateTime(task.dueAt, timeZone) })}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </div>
      </div>
    </Card>
  )
}
