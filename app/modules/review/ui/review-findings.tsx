// The findings this assessment produced, linked to their own pages.
import { Link } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { Card, EmptyState } from '~/components/ui'
import type { ReviewPageView } from '../view.server'
import { FindingStatusBadge, SeverityBadge, formatDate } from './labels'

export function ReviewFindings({ view }: { view: ReviewPageView }) {
  const { t, i18n } = useTranslation('review')
  const { findings } = view
  return (
    <Card title={t('findings.title', { count: findings.length })}>
      {findings.length === 0 ? (
        <EmptyState>{view.assessment.reviewStartedAt ? t('findings.none') : t('findings.notStarted')}</EmptyState>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm" data-testid="assessment-findings">
            <thead className="text-xs uppercase text-slate-500">
              <tr>
                <th className="py-2 pr-3">{t('findings.severity')}</th>
                <th className="py-2 pr-3">{t('findings.finding')}</th>
                <th className="py-2 pr-3">{t('findings.owner')}</th>
                <th className="py-2 pr-3">{t('findings.due')}</th>
                <th className="py-2">{t('findings.status')}</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {findings.map((finding) => (
                <tr key={finding.id}>
                  <td className="py-2 pr-3 align-top">
                    <SeverityBadge severity={finding.severity} />
                  </td>
                  <td className="py-2 pr-3 align-top">
                    <Link to={`/findings/${finding.id}`} className="font-medium text-sky-800 underline">
                      {finding.title}
                    </Link>
                  </td>
                  <td className="py-2 pr-3 align-top">{t(`findings.ownerKind.${finding.owner}`)}</td>
                  <td className={`py-2 pr-3 align-top ${finding.overdue ? 'font-medium text-red-700' : ''}`}>{formatDate(finding.dueAt, i18n.language, view.timeZone)}</td>
                  <td className="py-2 align-top">
                    <FindingStatusBadge status={finding.status} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  )
}
