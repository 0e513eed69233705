import type { LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { Badge, Card, EmptyState, PageHeader } from '~/components/ui'
import { notFound } from '~/modules/http'
import { requireUser } from '~/modules/auth/session.server'
import { parseBucket } from '~/modules/schedule/buckets'
import { bucketVendors } from '~/modules/schedule/dashboard.server'
import { institutionTimeZone } from '~/modules/schedule/settings.server'
import { localized, type Locale } from '~/i18n/locales'

// The vendors behind one number of the dashboard.
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireUser(request, 'portal:read')
  const bucket = parseBucket(params.bucket, new URL(request.url).searchParams)
  if (!bucket) throw notFound()
  const list = await bucketVendors(bucket, new Date())
  return { bucket, ...list, timeZone: institutionTimeZone() }
}

const riskTone = { low: 'good', medium: 'warn', high: 'bad', critical: 'critical' } as const

export default function BucketPage() {
  const { t, i18n } = useTranslation('schedule')
  const { bucket, rows, total, limit, timeZone } = useLoaderData<typeof loader>()
  const locale = i18n.language as Locale
  const day = (iso: string | null) => (iso ? new Intl.DateTimeFormat(locale, { timeZone, year: 'numeric', month: 'short', day: 'numeric' }).format(new Date(iso)) : '—')
  const titleParams =
    bucket.kind === 'month'
      ? { month: new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'long', timeZone: 'UTC' }).format(new Date(`${bucket.month}-15T00:00:00Z`)) }
      : bucket.kind === 'risk'
        ? { tier: bucket.tier, risk: t(`glossary:risk.${bucket.risk}`) }
        : {}
  return (
    <div data-testid="schedule-bucket">
      <Link to="/" className="text-sm text-sky-800 hover:underline">
        {t('bucket.back')}
      </Link>
      <PageHeader title={t(`bucket.title.${bucket.kind}`, titleParams)} subtitle={t('bucket.count', { count: total })} />
      {rows.length === 0 ? (
        <EmptyState>{t('bucket.empty')}</EmptyState>
      ) : (
        <Card>
          <div className="overflow-x-auto">
            <table className="w-full min-w-[640px] text-left text-sm">
              <thead className="text-xs uppercase text-slate-500">
                <tr>
                  <th className="py-2">{t('bucket.vendor')}</th>
                  <th>{t('bucket.tier')}</th>
                  <th>{bucket.kind === 'contracts' ? t('bucket.contract') : t('bucket.nextDue')}</th>
                  <th>{t('bucket.lastAssessed')}</th>
                  <th>{t('bucket.residualRisk')}</th>
                  <th>{t('bucket.assessment')}</th>
                  {rows.some((row) => row.issueFailure) ? <th>{t('issueFailure.column')}</th> : null}
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {rows.map((row) => (
                  <tr key={row.id} data-testid="bucket-row">
                    <td className="py-2 pr-2">
                      <Link to={`/vendors/${row.id}`} className="font-medium text-sky-800 hover:underline">
                        {localized(row.legalName, locale)}
                      </Link>
                    </td>
                    <td>
                      <Badge tone={row.tier === 1 ? 'bad' : row.tier === 2 ? 'warn' : 'neutral'}>{t('dashboard.tier', { tier: row.tier })}</Badge>
                    </td>
                    <td className="tabular-nums">
                      {bucket.kind === 'contracts' && row.contract ? (
                        <Link to={`/vendors/${row.id}/contracts`} className="hover:underline">
                          {row.contract.reference} · {t('dashboard.expires', { date: day(row.contract.expiresAt) })}
                        </Link>
                      ) : (
                        day(row.nextDueAt)
                      )}
                    </td>
                    <td className="tabular-nums text-slate-600">{row.lastAssessedAt ? day(row.lastAssessedAt) : t('bucket.never')}</td>
                    <td>{row.residualRisk ? <Badge tone={riskTone[row.residualRisk as keyof typeof riskTone] ?? 'neutral'}>{t(`glossary:risk.${row.residualRisk}`)}</Badge> : '—'}</td>
                    <td>
                      {row.assessment ? (
                        <Link to={`/assessments/${row.assessment.id}`} className="text-sky-800 hover:underline">
                          {t(`assessmentStatus.${row.assessment.status}`)} · {t('bucket.dueOn', { date: day(row.assessment.dueAt) })}
                        </Link>
                      ) : (
                        '—'
                      )}
                    </td>
                    {rows.some((candidate) => candidate.issueFailure) ? (
                      <td className="text-red-800" data-testid="bucket-issue-failure">
                        {row.issueFailure ? t(`issueFailure.reason.${row.issueFailure.reason}`) : ''}
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {total > rows.length ? <p className="mt-3 text-xs text-slate-500">{t('bucket.truncated', { shown: Math.min(limit, rows.length), total })}</p> : null}
        </Card>
      )}
    </div>
  )
}
