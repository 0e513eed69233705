import type { LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { Card, PageHeader } from '~/components/ui'
import { requireUser } from '~/modules/auth/session.server'
import { bucketHref } from '~/modules/schedule/buckets'
import { dashboardData } from '~/modules/schedule/dashboard.server'
import { listIssueFailures } from '~/modules/schedule/issue-failure.server'
import { RiskChart } from '~/modules/schedule/risk-chart'
import { localized, type Locale } from '~/i18n/locales'
import { dateTimeFormat } from '~/modules/formatting/date-format'
import { getLocale } from '~/i18n/i18n.server'
import { incidentDashboard } from '~/modules/incidents/incidents.server'
import { IncidentsCard } from '~/modules/incidents/ui/dashboard-card'
import { noonIn } from '~/modules/dates/dates'

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request, 'portal:read')
  const [data, issueFailures, incidents] = await Promise.all([dashboardData(new Date()), listIssueFailures(), incidentDashboard(await getLocale(request))])
  return { name: user.name, ...data, issueFailures, incidents }
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>

export default function Dashboard() {
  const { t, i18n } = useTranslation('schedule')
  const data = useLoaderData<typeof loader>()
  const locale = i18n.language as Locale
  return (
    <div data-testid="dashboard">
      <PageHeader title={t('common:dashboard.title')} subtitle={t('common:dashboard.welcome', { name: data.name })} />
      <IssueFailures failures={data.issueFailures} locale={locale} timeZone={data.timeZone} />
      <Figures counts={data.counts} />
      <div className="mt-6 grid gap-6 lg:grid-cols-3">
        <Coverage coverage={data.coverage} locale={locale} timeZone={data.timeZone} />
        <Card title={t('dashboard.risk')} className="lg:col-span-2">
          <p className="mb-3 text-xs text-slate-500">{t('dashboard.riskHint')}</p>
          <RiskChart rows={data.risk} />
        </Card>
      </div>
      <div className="mt-6 grid gap-6 lg:grid-cols-3">
        <Timeline timeline={data.timeline} locale={locale} timeZone={data.timeZone} />
        <Contracts contracts={data.contracts} locale={locale} timeZone={data.timeZone} />
      </div>
      <div className="mt-6">
        <IncidentsCard incidents={data.incidents} timeZone={data.timeZone} />
      </div>
    </div>
  )
}

const FIGURES = [
  { key: 'overdue', href: bucketHref({ kind: 'overdue' }), tone: 'border-red-200 bg-red-50 text-red-800', hint: 'overdueHint' },
  { key: 'due30', href: bucketHref({ kind: 'due30' }), tone: 'border-amber-200 bg-amber-50 text-amber-900', hint: 'vendorsHint' },
  { key: 'due60', href: bucketHref({ kind: 'due60' }), tone: 'border-slate-200 bg-white text-slate-900', hint: 'vendorsHint' },
  { key: 'due90', href: bucketHref({ kind: 'due90' }), tone: 'border-slate-200 bg-white text-slate-900', hint: 'vendorsHint' },
  { key: 'inProgress', href: bucketHref({ kind: 'inProgress' }), tone: 'border-sky-200 bg-sky-50 text-sky-900', hint: 'inProgressHint' },
  { key: 'awaitingReview', href: bucketHref({ kind: 'awaitingReview' }), tone: 'border-violet-200 bg-violet-50 text-violet-900', hint: 'awaitingReviewHint' },
] as const

function Figures({ counts }: { counts: Data['counts'] }) {
  const { t } = useTranslation('schedule')
  return (
    <section aria-label={t('dashboard.figures')} className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-6">
      {FIGURES.map((figure) => (
        <Link
          key={figure.key}
          to={figure.href}
          data-testid={`figure-${figure.key}`}
          className={`rounded-lg border px-4 py-3 shadow-sm transition hover:shadow focus:outline-none focus:ring-2 focus:ring-sky-600 ${figure.tone}`}
        >
          <span className="block text-xs font-medium opacity-80">{t(`dashboard.${figure.key}`)}</span>
          <span className="mt-1 block text-3xl font-semibold tabular-nums">{counts[figure.key]}</span>
          <span className="block text-xs opacity-70">{t(`dashboard.${figure.hint}`)}</span>
        </Link>
      ))}
    </section>
  )
}

/** Reassessments the scheduler could not issue: never only in a log, always here with the reason. */
function IssueFailures({ failures, locale, timeZone }: { failures: Data['issueFailures']; locale: Locale; timeZone: string }) {
  const { t } = useTranslation('schedule')
  if (failures.total === 0) return null
  return (
    <section role="alert" className="mb-6 rounded-lg border border-red-300 bg-red-50 px-4 py-3 text-sm text-red-900" data-testid="issue-failures">
      <h2 className="font-semibold">{t('issueFailure.title', { count: failures.total })}</h2>
      <p className="mt-1 text-xs">{t('issueFailure.hint')}</p>
      <ul className="mt-2 space-y-1">
        {failures.rows.map((row) => (
          <li key={row.vendorId} data-testid="issue-failure" data-reason={row.reason}>
            <Link to={`/vendors/${row.vendorId}`} className="font-medium underline">
              {localized(row.legalName, locale)}
            </Link>{' '}
            · {t(`issueFailure.reason.${row.reason}`)}
            {row.nextDueAt ? ` · ${t('issueFailure.due', { date: formatDay(row.nextDueAt, locale, timeZone) })}` : ''}
          </li>
        ))}
      </ul>
      <Link to={bucketHref({ kind: 'notIssued' })} className="mt-2 inline-block text-xs font-medium underline">
        {t('dashboard.seeAll', { count: failures.total })}
      </Link>
    </section>
  )
}

const formatDay = (iso: string, locale: Locale, timeZone: string) =>
  dateTimeFormat(locale, { timeZone, year: 'numeric', month: 'short', day: 'numeric' }).format(new Date(iso))

function Coverage({ coverage, locale, timeZone }: { coverage: Data['coverage']; locale: Locale; timeZone: string }) {
  const { t } = useTranslation('schedule')
  const good = coverage.percent >= 100
  return (
    <Card title={t('dashboard.coverage')}>
      <div className="flex items-baseline justify-between gap-2">
        <Link to={bucketHref({ kind: 'uncovered' })} className={`text-4xl font-semibold tabular-nums ${good ? 'text-emerald-700' : 'text-amber-700'}`} data-testid="coverage-percent">
          {coverage.percent}%
        </Link>
        <span className="text-xs text-slate-500">{t('dashboard.coverageTarget')}</span>
      </div>
      <div className="mt-2 h-2 w-full overflow-hidden rounded bg-slate-100" role="presentation">
        <div className={`h-full ${good ? 'bg-emerald-500' : 'bg-amber-500'}`} style={{ width: `${Math.min(100, coverage.percent)}%` }} />
      </div>
      <p className="mt-2 text-sm text-slate-600">{t('dashboard.coverageFigure', { covered: coverage.covered, active: coverage.active })}</p>
      {coverage.uncoveredTotal === 0 ? (
        <p className="mt-3 text-sm text-emerald-700">{t('dashboard.coverageMet')}</p>
      ) : (
        <>
          <h3 className="mt-4 text-xs font-semibold uppercase tracking-wide text-slate-500">{t('dashboard.coverageBreaking')}</h3>
          <ul className="mt-2 divide-y divide-slate-100 text-sm" data-testid="uncovered">
            {coverage.uncovered.map((vendor) => (
              <li key={vendor.id} className="flex items-center justify-between gap-2 py-1.5">
                <Link to={`/vendors/${vendor.id}`} className="truncate font-medium text-sky-800 hover:underline">
                  {localized(vendor.legalName, locale)}
                </Link>
                <span className="shrink-0 text-xs text-slate-500">
                  {vendor.lastAssessedAt ? t('dashboard.lastAssessed', { date: formatDay(vendor.lastAssessedAt, locale, timeZone) }) : t('dashboard.neverAssessed')}
                </span>
              </li>
            ))}
          </ul>
          <Link to={bucketHref({ kind: 'uncovered' })} className="mt-2 inline-block text-sm font-medium text-sky-800 hover:underline">
            {t('dashboard.seeAll', { count: coverage.uncoveredTotal })}
          </Link>
        </>
      )}
    </Card>
  )
}

function Timeline({ timeline, locale, timeZone }: { timeline: Data['timeline']; locale: Locale; timeZone: string }) {
  const { t } = useTranslation('schedule')
  const max = Math.max(1, ...timeline.map((month) => month.count))
  const monthLabel = (key: string) =>
    dateTimeFormat(locale, { year: 'numeric', month: 'short', timeZone: 'UTC' }).format(new Date(`${key}-15T00:00:00Z`))
  const dayLabel = (day: string) => dateTimeFormat(locale, { month: 'numeric', day: 'numeric', timeZone: 'UTC' }).format(noonIn(day, 'UTC'))
  return (
    <Card title={t('dashboard.timeline')} className="lg:col-span-2">
      <p className="mb-3 text-xs text-slate-500">{t('dashboard.timelineHint', { zone: timeZone })}</p>
      <ol className="grid grid-cols-2 gap-2 sm:grid-cols-3 xl:grid-cols-4" data-testid="timeline">
        {timeline.map((month) => (
          <li key={month.month} className="rounded-md border border-slate-200 p-2">
            <div className="flex items-baseline justify-between">
              <span className="text-xs font-semibold text-slate-600">{monthLabel(month.month)}</span>
              {month.count > 0 ? (
                <Link to={bucketHref({ kind: 'month', month: month.month })} className="text-lg font-semibold tabular-nums text-sky-800 hover:underline">
                  {month.count}
                </Link>
              ) : (
                <span className="text-lg font-semibold tabular-nums text-slate-300">0</span>
              )}
            </div>
            <div className="mt-1 h-1.5 rounded bg-slate-100">
              <div className="h-full rounded bg-sky-500" style={{ width: `${(month.count / max) * 100}%` }} />
            </div>
            {month.count === 0 ? (
              <p className="mt-1 text-xs text-slate-400">{t('dashboard.noneDue')}</p>
            ) : (
              <ul className="mt-1 space-y-0.5 text-xs">
                {month.vendors.map((vendor) => (
                  <li key={vendor.id} className="flex gap-1">
                    <span className="shrink-0 tabular-nums text-slate-500">{dayLabel(vendor.day)}</span>
                    <Link to={`/vendors/${vendor.id}`} className="truncate text-slate-700 hover:text-sky-800 hover:underline">
                      {localized(vendor.legalName, locale)}
                    </Link>
                  </li>
                ))}
                {month.count > month.vendors.length ? (
                  <li>
                    <Link to={bucketHref({ kind: 'month', month: month.month })} className="text-sky-800 hover:underline">
                      {t('dashboard.more', { count: month.count - month.vendors.length })}
                    </Link>
                  </li>
                ) : null}
              </ul>
            )}
          </li>
        ))}
      </ol>
    </Card>
  )
}

function Contracts({ contracts, locale, timeZone }: { contracts: Data['contracts']; locale: Locale; timeZone: string }) {
  const { t } = useTranslation('schedule')
  return (
    <Card
      title={t('dashboard.contracts', { days: contracts.withinDays })}
      actions={
        <Link to={bucketHref({ kind: 'contracts' })} className="text-2xl font-semibold tabular-nums text-sky-800 hover:underline" data-testid="figure-contracts">
          {contracts.total}
        </Link>
      }
    >
      {contracts.list.length === 0 ? (
        <p className="text-sm text-slate-500">{t('dashboard.contractsNone')}</p>
      ) : (
        <ul className="divide-y divide-slate-100 text-sm">
          {contracts.list.map((contract) => (
            <li key={contract.id} className="py-2">
              <Link to={`/vendors/${contract.vendorId}/contracts`} className="font-medium text-sky-800 hover:underline">
                {localized(contract.vendor, locale)}
              </Link>
              <span className="block text-xs text-slate-500">
                {contract.reference} · {t('dashboard.expires', { date: formatDay(contract.expiresAt, locale, timeZone) })}
              </span>
            </li>
          ))}
        </ul>
      )}
    </Card>
  )
}
