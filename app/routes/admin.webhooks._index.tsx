import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { Badge, buttonClass, Card, EmptyState, PageHeader } from '~/components/ui'
import { getEnv } from '~/env.server'
import { formatDateTime } from '~/modules/dates/dates'
import { requireUser } from '~/modules/auth/session.server'
import { EVENT_KINDS } from '~/modules/events/catalogue.server'
import { readFormData } from '~/modules/forms/read.server'
import { listEndpoints } from '~/modules/webhooks/admin.server'
import { endpointFormSchema } from '~/modules/webhooks/endpoint-form.server'
import { createEndpoint } from '~/modules/webhooks/endpoints.server'
import { useLocale } from '~/root'

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request, 'admin:webhooks')
  return { endpoints: await listEndpoints(), eventKinds: [...EVENT_KINDS], timeZone: getEnv().INSTITUTION_TIMEZONE }
}

type ActionResult = { ok: true; endpointId: string; name: string; secret: string } | { ok: false; problem: string; detail?: string }

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request, 'admin:webhooks')
  const form = await readFormData(request)
  const parsed = endpointFormSchema.safeParse({ name: form.get('name') ?? '', url: form.get('url') ?? '', events: form.getAll('events'), secret: form.get('secret') ?? '' })
  if (!parsed.success) return Response.json({ ok: false, problem: 'invalid' } satisfies ActionResult, { status: 400 })
  const created = await createEndpoint(parsed.data, user)
  if (!created.ok) {
    const known = created.problem === 'noEvents' || created.problem === 'weakSecret'
    return Response.json({ ok: false, problem: known ? created.problem : 'target', detail: created.problem } satisfies ActionResult, { status: 400 })
  }
  // The secret leaves the server this once, in this answer; afterwards only its sealed form exists.
  return { ok: true, endpointId: created.endpointId, name: parsed.data.name, secret: created.secret } satisfies ActionResult
}

const statusTone = { delivered: 'good', queued: 'warn', sending: 'warn', failed: 'bad', skipped: 'neutral' } as const
const inputClass = 'mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 text-sm'

export default function WebhooksPage() {
  const { t } = useTranslation('webhooks')
  const { endpoints, eventKinds, timeZone } = useLoaderData<typeof loader>()
  const result = useActionData<ActionResult>()
  const locale = useLocale()
  const busy = useNavigation().state === 'submitting'
  return (
    <div className="flex flex-col gap-4">
      <PageHeader title={t('title')} subtitle={t('subtitle')} />
      {result?.ok ? (
        <div role="status" className="rounded-md border border-emerald-200 bg-emerald-50 px-4 py-3 text-sm text-emerald-900" data-testid="webhook-created">
          <p className="font-medium">{t('created.title')}: {result.name}</p>
          <p className="mt-1">{t('created.secret')}</p>
          <code className="mt-1 block break-all font-mono text-xs" data-testid="webhook-secret">{result.secret}</code>
        </div>
      ) : null}
      {endpoints.length === 0 ? (
        <EmptyState>{t('empty')}</EmptyState>
      ) : (
        <Card>
          <table className="w-full text-left text-sm" data-testid="webhook-endpoints">
            <thead className="text-xs uppercase text-slate-500">
              <tr>
                <th className="py-2">{t('columns.endpoint')}</th>
                <th>{t('columns.events')}</th>
                <th>{t('columns.state')}</th>
                <th>{t('columns.lastDelivery')}</th>
              </tr>
            </thead>
            <tbody>
              {endpoints.map((endpoint) => (
                <tr key={endpoint.id} className="border-t border-slate-100 align-top">
                  <td className="py-2">
                    <Link to={`/admin/webhooks/${endpoint.id}`} className="font-medium text-sky-700 hover:underline">{endpoint.name}</Link>
                    <span className="block break-all font-mono text-xs text-slate-500">{endpoint.url}</span>
                  </td>
                  <td className="text-xs text-slate-600">{endpoint.events.map((kind) => t(`events.${kind.replace(/\./g, '_')}`)).join(', ')}</td>
                  <td>
                    {endpoint.enabled ? (
                      <Badge tone="good">{t('state.enabled')}</Badge>
                    ) : (
                      <Badge tone="bad">{endpoint.disabledReason === 'failures' ? t('state.disabledByFailures', { count: endpoint.consecutiveFailures }) : t('state.disabledByAdmin')}</Badge>
                    )}
                  </td>
                  <td className="text-xs">
                    {endpoint.lastDelivery ? (
                      <>
                        <Badge tone={statusTone[endpoint.lastDelivery.status as keyof typeof statusTone] ?? 'neutral'}>{t(`status.${endpoint.lastDelivery.status}`)}</Badge>
                        {endpoint.lastDelivery.statusCode ? <span className="ml-1 font-mono">{endpoint.lastDelivery.statusCode}</span> : null}
                        <span className="block text-slate-500">{formatDateTime(endpoint.lastDelivery.at, locale, timeZone)}</span>
                      </>
                    ) : (
                      <span className="text-slate-500">{t('never')}</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </Card>
      )}
      <Card title={t('create.title')}>
        {/* A fresh, empty form after each registration, so a second click does not register the same endpoint again. */}
        <Form key={result?.ok ? result.endpointId : 'new'} method="post" className="flex flex-col gap-3" data-testid="webhook-create">
          {result && !result.ok ? (
            <p role="alert" className="text-sm text-red-700">{result.problem === 'target' ? t('problems.target', { problem: result.detail }) : t(`problems.${result.problem}`)}</p>
          ) : null}
          <label className="text-sm font-medium text-slate-700">
            {t('create.name')}
            <input name="name" required maxLength={120} className={inputClass} />
          </label>
          <label className="text-sm font-medium text-slate-700">
            {t('create.url')}
            <input name="url" type="url" required maxLength={2000} placeholder="https://" className={inputClass} />
          </label>
          <fieldset>
            <legend className="text-sm font-medium text-slate-700">{t('create.events')}</legend>
            <div className="mt-1 grid grid-cols-1 gap-1 sm:grid-cols-2">
              {eventKinds.map((kind) => (
                <label key={kind} className="flex items-center gap-2 text-sm text-slate-700">
                  <input type="checkbox" name="events" value={kind} />
                  {t(`events.${kind.replace(/\./g, '_')}`)} <code className="text-xs text-slate-500">{kind}</code>
                </label>
              ))}
            </div>
          </fieldset>
          <label className="text-sm font-medium text-slate-700">
            {t('create.secret')}
            <input name="secret" minLength={24} maxLength={200} autoComplete="off" className={inputClass} />
            <span className="mt-1 block text-xs font-normal text-slate-500">{t('create.secretHint')}</span>
          </label>
          <div>
            <button type="submit" className={buttonClass.primary} disabled={busy}>{t('create.submit')}</button>
          </div>
        </Form>
      </Card>
    </div>
  )
}
