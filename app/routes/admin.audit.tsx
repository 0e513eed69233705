import type { LoaderFunctionArgs } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, Link, useLoaderData, useSearchParams } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { Card, EmptyState, PageHeader } from '~/components/ui'
import { getEnv } from '~/env.server'
import { formatDateTime } from '~/modules/assessments/dates'
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

export default function AuditTrailPage() {
  const { t } = useTranslation('admin')
  const { events, nextBefore, timeZone, fieldErrors } = useLoaderData<typeof loader>()
  const [searchParams] = useSearchParams()
  const locale = useLocale()
    const value = (name: string) => searchParams.get(name) ?? ''
  const withParams = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(searchParams)
    for (const [key, change] of Object.entries(changes)) {
      if (change === null) next.delete(key)
      else next.set(key, change)
    }
    return `?${next}`
  }
  const exportParams = new URLSearchParams(searchParams)
  exportParams.delete('before')
  const fieldError = (name: string) => (fieldErrors[name]?.[0] ? <p className="mt-1 text-xs text-red-700" id={`audit-${name}-error`}>{t(fieldErrors[name][0]!.replace(/^admin:/, ''))}</p> : null)
  const input = 'mt-1 block w-full rounded-md border border-slate-300 px-2 py-1.5 text-sm'
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
        <Form method="get" className="grid gap-3 sm:grid-cols-6" data-testid="audit-filters">
          <label className="text-sm text-slate-700 sm:col-span-2">
            {t('audit.filters.actor')}
            <input name="actor" defaultValue={value('actor')} className={input} placeholder="name@bank.example" />
          </label>
          <label className="text-sm text-slate-700">
            {t('audit.filters.kind')}
            <select name="kind" defaultValue={value('kind')} className={input}>
              <option value="">{t('audit.filters.anyKind')}</option>
              {AUDIT_KINDS.map((kind) => (
                <option key={kind} value={kind}>
                  {t(`audit.kinds.${kind}`)}
                </option>
              ))}
            </select>
          </label>
          <label className="text-sm text-slate-700 sm:col-span-1">
            {t('audit.filters.object')}
            <input name="object" defaultValue={value('object')} className={input} placeholder="vendor:…" />
          </label>
          <label className="text-sm text-slate-700">
            {t('audit.filters.from')}
            <input type="date" name="from" defaultValue={value('from')} className={input} aria-invalid={fieldErrors.from ? true : undefined} aria-describedby={fieldErrors.from ? 'audit-from-error' : undefined} />
            {fieldError('from')}
          </label>
          <label className="text-sm text-slate-700">
            {t('audit.filters.to')}
            <input type="date" name="to" defaultValue={value('to')} className={input} aria-invalid={fieldErrors.to ? true : undefined} aria-describedby={fieldErrors.to ? 'audit-to-error' : undefined} />
            {fieldError('to')}
          </label>
          <div className="flex items-end gap-2 sm:col-span-6">
            <button type="submit" className="rounded-md bg-sky-700 px-3 py-2 text-sm font-semibold text-white hover:bg-sky-800">
              {t('audit.filters.apply')}
            </button>
            <Link to="/admin/audit" className="rounded-md px-3 py-2 text-sm font-semibold text-slate-700 ring-1 ring-slate-300">
              {t('audit.filters.clear')}
            </Link>
          </div>
        </Form>
      </Card>
      <div className="mt-4">
        {events.length === 0 ? (
          <EmptyState>{t('audit.empty')}</EmptyState>
        ) : (
          <Card>
            <div className="overflow-x-auto">
              <table className="w-full text-left text-sm" data-testid="audit-table">
                <thead className="text-xs uppercase text-slate-500">
                  <tr>
                    <th className="px-2 py-2">{t('audit.columns.at')}</th>
                    <th className="px-2 py-2">{t('audit.columns.actor')}</th>
                    <th className="px-2 py-2">{t('audit.columns.action')}</th>
                    <th className="px-2 py-2">{t('audit.columns.objectId')}</th>
                    <th className="px-2 py-2">{t('audit.columns.clientAddress')}</th>
                    <th className="px-2 py-2">{t('audit.columns.details')}</th>
                  </tr>
                </thead>
                <tbody>
                  {events.map((event) => (
                    <tr key={event.id} className="border-t border-slate-100 align-top" data-testid="audit-row" data-action={event.action}>
                      <td className="whitespace-nowrap px-2 py-2 text-slate-600">
                        <time dateTime={event.at}>{formatDateTime(event.at, locale, timeZone)}</time>
                      </td>
                      <td className="px-2 py-2">{event.actor.label ?? t(`audit.actorKinds.${event.actor.kind}`)}</td>
                      <td className="px-2 py-2">
                        {/* Readable name first; the stable code (what filters and the CSV use) beneath it. */}
                        {t(`audit.actions.${event.action.replace(/\./g, '_')}`, { defaultValue: '' }) ? (
                          <span className="block">{t(`audit.actions.${event.action.replace(/\./g, '_')}`)}</span>
                        ) : null}
                        <span className="block font-mono text-xs text-slate-500">{event.action}</span>
                      </td>
                      <td className="px-2 py-2 font-mono text-xs">
                        {event.subject.kind}:{event.subject.id}
                      </td>
                      <td className="px-2 py-2 font-mono text-xs">{event.clientAddress ?? '—'}</td>
                      <td className="px-2 py-2">
                        <DetailsCell details={event.details} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </Card>
        )}
        <nav className="mt-4 flex gap-3" aria-label={t('audit.paging')}>
          {searchParams.get('before') ? (
            <Link to={withParams({ before: null })} className="text-sm font-semibold text-sky-700">
              {t('audit.newest')}
            </Link>
          ) : null}
          {nextBefore ? (
            <Link to={withParams({ before: nextBefore })} className="text-sm font-semibold text-sky-700" data-testid="audit-older">
              {t('audit.older')}
            </Link>
          ) : null}
        </nav>
      </div>
    </div>
  )
}
