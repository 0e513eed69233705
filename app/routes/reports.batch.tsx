import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation, useRevalidator } from '@remix-run/react'
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { FieldShell, FormErrorBanner, inputClass } from '~/components/forms'
import { Badge, Card, EmptyState, PageHeader, buttonClass } from '~/components/ui'
import { getEnv } from '~/env.server'
import { getLocale } from '~/i18n/i18n.server'
import { LOCALES } from '~/i18n/locales'
import { useLocale } from '~/root'
import { formatDateTime, formatDay } from '~/modules/dates/dates'
import { STATUS_TONE } from '~/modules/assessments/status'
import type { AssessmentStatus } from '~/modules/assessments/vocabulary'
import { requireUser } from '~/modules/auth/session.server'
import { invalid, parseForm } from '~/modules/forms/parse.server'
import { fieldErrorsOf, translateError } from '~/modules/forms/validation'
import { batchStatus, previewBatch, recentBatches, startBatch, type BatchView } from '~/modules/reports/batch.server'
import { BATCH_MAX_REPORTS, BATCH_STATUS_SETS, batchFilterSchema, type BatchFilter } from '~/modules/reports/schemas'
import { TIERS, VENDOR_CATEGORIES } from '~/modules/vendors/vocabulary'
import { tierLabel } from '~/i18n/glossary'

export const meta: MetaFunction = () => [{ title: 'Clausewise · Batch download of reports' }]

function filterParams(filter: BatchFilter): URLSearchParams {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(filter)) if (value !== undefined && value !== '') params.set(key, String(value))
  return params
}

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request, 'report:download')
  const locale = await getLocale(request)
  const url = new URL(request.url)
  const raw = Object.fromEntries(url.searchParams)
  const parsed = batchFilterSchema.safeParse({ ...raw, lang: raw.lang ?? locale })
  const filter: BatchFilter = parsed.success ? parsed.data : { status: 'all', lang: locale }
  const [preview, batch, recent] = await Promise.all([
    parsed.success ? previewBatch(filter, locale) : Promise.resolve({ total: 0, rows: [] }),
    url.searchParams.get('batch') ? batchStatus(url.searchParams.get('batch')!, user.id) : Promise.resolve(null),
    recentBatches(user.id),
  ])
  return data(
    { filter, fieldErrors: parsed.success ? null : fieldErrorsOf(parsed.error), preview, batch, recent, timeZone: getEnv().INSTITUTION_TIMEZONE, max: BATCH_MAX_REPORTS },
    { status: parsed.success ? 200 : 400 },
  )
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request, 'report:download')
  const parsed = await parseForm(request, batchFilterSchema)
  if (!parsed.ok) return invalid(parsed.fieldErrors)
  const started = await startBatch(parsed.value, { id: user.id, name: user.name })
  if (!started.ok) {
    return invalid({}, started.reason === 'none' ? 'reports:batch.noneMatching' : `reports:batch.tooMany|${JSON.stringify({ max: BATCH_MAX_REPORTS })}`)
  }
  const params = filterParams(parsed.value)
  params.set('batch', started.batchId)
  return redirect(`/reports/batch?${params}`)
}

export default function BatchReportsPage() {
  const { t } = useTranslation('reports')
  const { filter, fieldErrors, preview, batch, recent, timeZone, max } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const navigation = useNavigation()
  const locale = useLocale()
  const errorOf = (name: string) => translateError(t, fieldErrors?.[name]?.[0])
  const busy = navigation.state !== 'idle'
  return (
    <div>
      <PageHeader title={t('batch.title')} subtitle={t('batch.subtitle')} />
      {batch ? <BatchProgress key={batch.id} initial={batch} /> : null}
      <Card title={t('batch.filters')}>
        <Form method="get" className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3" data-testid="batch-filters">
          <FieldShell id="batch-status" label={t('batch.status')} error={errorOf('status')}>
            <select id="batch-status" name="status" defaultValue={filter.status} className={inputClass}>
              {BATCH_STATUS_SETS.map((set) => (
                <option key={set} value={set}>
                  {t(`batch.status${set === 'all' ? 'All' : set === 'completed' ? 'Completed' : 'Open'}`)}
                </option>
              ))}
            </select>
          </FieldShell>
          <FieldShell id="batch-tier" label={t('batch.tier')} error={errorOf('tier')}>
            <select id="batch-tier" name="tier" defaultValue={filter.tier ?? ''} className={inputClass}>
              <option value="">{t('batch.anyTier')}</option>
              {TIERS.map((tier) => (
                <option key={tier} value={tier}>
                  {tierLabel(t, tier)}
                </option>
              ))}
            </select>
          </FieldShell>
          <FieldShell id="batch-category" label={t('batch.category')} error={errorOf('category')}>
            <select id="batch-category" name="category" defaultValue={filter.category ?? ''} className={inputClass}>
              <option value="">{t('batch.anyCategory')}</option>
              {VENDOR_CATEGORIES.map((category) => (
                <option key={category} value={category}>
                  {t(`pdf.category.${category}`)}
                </option>
              ))}
            </select>
          </FieldShell>
          <FieldShell id="batch-from" label={t('batch.from')} error={errorOf('from')}>
            <input id="batch-from" type="date" name="from" defaultValue={filter.from ?? ''} className={inputClass} aria-invalid={errorOf('from') ? true : undefined} />
          </FieldShell>
          <FieldShell id="batch-to" label={t('batch.to')} error={errorOf('to')}>
            <input id="batch-to" type="date" name="to" defaultValue={filter.to ?? ''} className={inputClass} aria-invalid={errorOf('to') ? true : undefined} />
          </FieldShell>
          <FieldShell id="batch-lang" label={t('batch.language')} error={errorOf('lang')}>
            <select id="batch-lang" name="lang" defaultValue={filter.lang} className={inputClass}>
              {LOCALES.map((each) => (
                <option key={each} value={each}>
                  {t(`common:language.${each}`)}
                </option>
              ))}
            </select>
          </FieldShell>
          <div className="sm:col-span-2 lg:col-span-3">
            <button type="submit" className={buttonClass.secondary} disabled={busy}>
              {t('batch.preview')}
            </button>
          </div>
        </Form>
      </Card>

      <section className="mt-6" aria-labelledby="batch-matching">
        <div className="mb-3 flex flex-wrap items-center justify-between gap-3">
          <p id="batch-matching" className="text-sm font-medium text-slate-700" data-testid="batch-count" data-count={preview.total}>
            {preview.total === 0 ? t('batch.noneMatching') : preview.total === 1 ? t('batch.matchingOne') : t('batch.matching', { count: preview.total })}
          </p>
          <Form method="post" className="flex items-center gap-2" data-testid="batch-create">
            {Object.entries(filter).map(([key, value]) => (value === undefined ? null : <input key={key} type="hidden" name={key} value={String(value)} />))}
            <button type="submit" className={buttonClass.primary} disabled={busy || preview.total === 0 || preview.total > max}>
              {t('batch.create')}
            </button>
          </Form>
        </div>
        <FormErrorBanner message={actionData && !actionData.ok ? actionData.formError : undefined} />
        {preview.total > max ? <p className="mb-3 text-sm text-amber-800">{t('batch.tooMany', { max })}</p> : null}
        {preview.rows.length === 0 ? (
          <EmptyState>{t('batch.noneMatching')}</EmptyState>
        ) : (
          <Card className="overflow-x-auto">
            <table className="w-full min-w-[560px] text-left text-sm">
              <thead className="text-xs uppercase text-slate-500">
                <tr>
                  <th className="py-2">{t('batch.vendor')}</th>
                  <th>{t('batch.assessmentStatus')}</th>
                  <th>{t('batch.submittedAt')}</th>
                  <th className="text-right">PDF</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {preview.rows.map((row) => (
                  <tr key={row.id}>
                    <td className="py-2 pr-3">
                      <Link to={`/assessments/${row.id}`} className="font-medium text-sky-800 hover:underline">
                        {row.vendorName}
                      </Link>
                    </td>
                    <td className="pr-3">
                      <Badge tone={STATUS_TONE[row.status as AssessmentStatus] ?? 'neutral'}>{t(`pdf.assessmentStatus.${row.status}`)}</Badge>
                    </td>
                    <td className="pr-3 tabular-nums text-slate-700">{row.submittedAt ? formatDay(row.submittedAt, locale, timeZone) : '—'}</td>
                    <td className="whitespace-nowrap text-right">
                      {LOCALES.map((each) => (
                        <a key={each} href={`/assessments/${row.id}/report?lang=${each}`} className="ml-3 text-sky-800 underline" lang={each} download>
                          {each === 'zh-CN' ? '中文' : 'English'}
                        </a>
                      ))}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            {preview.total > preview.rows.length ? <p className="mt-3 text-xs text-slate-500">{t('batch.showingFirst', { shown: preview.rows.length, count: preview.total })}</p> : null}
          </Card>
        )}
      </section>

      {recent.length ? (
        <Card title={t('batch.recent')} className="mt-6">
          <ul className="divide-y divide-slate-100 text-sm">
            {recent.map((item) => (
              <li key={item.id} className="flex flex-wrap items-center justify-between gap-2 py-2">
                <span className="text-slate-700">
                  {formatDateTime(item.createdAt, locale, timeZone)} · {t(`common:language.${item.locale}`)} · {t('batch.reportCount', { count: item.total })}
                </span>
                <span className="flex items-center gap-3">
                  <Badge tone={item.state === 'done' ? 'good' : item.state === 'failed' ? 'bad' : item.state === 'expired' ? 'neutral' : 'info'}>{t(`batch.state.${item.state}`)}</Badge>
                  {item.state === 'done' ? (
                    <a href={`/reports/batch/${item.id}/download`} className="text-sky-800 underline">
                      {t('batch.download')}
                    </a>
                  ) : null}
                </span>
              </li>
            ))}
          </ul>
        </Card>
      ) : null}
    </div>
  )
}

const FINAL_STATES: readonly BatchView['state'][] = ['done', 'failed', 'expired']

/** The job's progress, polled from /reports/batch/:id/status until it is finished. */
function BatchProgress({ initial }: { initial: BatchView }) {
  const { t } = useTranslation('reports')
  const [batch, setBatch] = useState(initial)
  const [tick, setTick] = useState(0)
  const revalidator = useRevalidator()
  const finished = FINAL_STATES.includes(batch.state)
  useEffect(() => {
    // Refresh the page's other data (the list of recent batches) once the job has finished.
    if (finished && !FINAL_STATES.includes(initial.state)) revalidator.revalidate()
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [finished])
  useEffect(() => {
    if (FINAL_STATES.includes(batch.state)) return
    let cancelled = false
    const timer = setTimeout(async () => {
      try {
        const response = await fetch(`/reports/batch/${batch.id}/status`, { headers: { Accept: 'application/json' } })
        if (!cancelled && response.ok) setBatch((await response.json()) as BatchView)
      } finally {
        if (!cancelled) setTick((value) => value + 1) // poll again even after a failed request
      }
    }, 600)
    return () => {
      cancelled = true
      clearTimeout(timer)
    }
  }, [batch, tick])
  const percent = batch.total ? Math.round((batch.done / batch.total) * 100) : 0
  return (
    <section className="mb-6 rounded-lg border border-sky-200 bg-sky-50 p-5" data-testid="batch-progress" data-state={batch.state} aria-live="polite">
      <h2 className="text-base font-semibold text-sky-900">{batch.state === 'done' ? t('batch.ready', { total: batch.total }) : t('batch.progressTitle')}</h2>
      {batch.state === 'failed' ? <p className="mt-2 text-sm text-red-800">{t('batch.failed')}</p> : null}
      {batch.state === 'expired' ? <p className="mt-2 text-sm text-slate-700">{t('batch.expired')}</p> : null}
      {batch.state === 'queued' || batch.state === 'running' || batch.state === 'done' ? (
        <div className="mt-3">
          <div
            role="progressbar"
            aria-valuemin={0}
            aria-valuemax={batch.total}
            aria-valuenow={batch.done}
            aria-label={t('batch.progressTitle')}
            className="h-2.5 w-full overflow-hidden rounded-full bg-white ring-1 ring-inset ring-sky-200"
          >
            <div className="h-full bg-sky-600 transition-[width] duration-300" style={{ width: `${percent}%` }} />
          </div>
          <p className="mt-2 text-sm tabular-nums text-sky-900" data-testid="batch-progress-text">
            {t('batch.progress', { done: batch.done, total: batch.total })}
          </p>
        </div>
      ) : null}
      {batch.state === 'done' ? (
        <a href={`/reports/batch/${batch.id}/download`} className={`${buttonClass.primary} mt-4`} data-testid="batch-download">
          {t('batch.download')}
        </a>
      ) : null}
    </section>
  )
}
