import { Link } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { Badge } from '~/components/ui'
import { formatDateTime } from '~/modules/vendors/labels'
import type { IncidentRow } from '../incidents.server'
import { IncidentStatusBadge, SeverityBadge } from './badges'

export function IncidentTable({ incidents, timeZone, showVendor }: { incidents: IncidentRow[]; timeZone: string; showVendor?: boolean }) {
  const { t } = useTranslation('incidents')
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table className="min-w-full divide-y divide-slate-200 text-sm">
        <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
          <tr>
            <th className="px-3 py-2">{t('list.columns.reference')}</th>
            {showVendor ? <th className="px-3 py-2">{t('list.columns.vendor')}</th> : null}
            <th className="px-3 py-2">{t('list.columns.incident')}</th>
            <th className="px-3 py-2">{t('list.columns.severity')}</th>
            <th className="px-3 py-2">{t('list.columns.status')}</th>
            <th className="px-3 py-2">{t('list.columns.deadline')}</th>
            <th className="px-3 py-2">{t('list.columns.detected')}</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {incidents.map((incident) => (
            <tr key={incident.id} data-testid="incident-row">
              <td className="whitespace-nowrap px-3 py-2">
                <Link to={`/incidents/${incident.id}`} className="font-medium text-sky-800 hover:underline">
                  {incident.reference}
                </Link>
              </td>
              {showVendor ? (
                <td className="px-3 py-2">
                  <Link to={`/vendors/${incident.vendorId}/incidents`} className="text-slate-700 hover:underline">
                    {incident.vendorName}
                  </Link>
                </td>
              ) : null}
              <td className="px-3 py-2 text-slate-800">
                {incident.title}
                {incident.overdueTasks ? (
                  <span className="ml-2">
                    <Badge tone="bad">{t('list.overdueTasks', { count: incident.overdueTasks })}</Badge>
                  </span>
                ) : null}
              </td>
              <td className="px-3 py-2">
                <SeverityBadge severity={incident.severity} />
              </td>
              <td className="px-3 py-2">
                <IncidentStatusBadge status={incident.status} />
              </td>
              <td className="px-3 py-2">
                <Badge tone={incident.notification === 'met' ? 'good' : 'bad'}>{incident.notification === 'met' ? t('detail.met') : t('detail.missed', { duration: '' }).trim()}</Badge>
              </td>
              <td className="whitespace-nowrap px-3 py-2 text-slate-600">{formatDateTime(incident.detectedAt, timeZone)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
