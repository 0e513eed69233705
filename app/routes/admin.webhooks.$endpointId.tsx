import { type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { Badge, buttonClass, Card, EmptyState, PageHeader } from '~/components/ui'
import { getEnv } from '~/env.server'
import { notFound } from '~/modules/http'
import { formatDateTime } from '~/modules/dates/dates'
import { redirectWithFlash, requireUser } from '~/modules/auth/session.server'
import { readFormData } from '~/modules/forms/read.server'
import { fieldErrorsOf, translateError } from '~/modules/forms/validation'
import { deleteEndpoint, disableEndpoint, endpointWithLog, redeliver, rotateSecret } from '~/modules/webhooks/admin.server'
import { endpointActionSchema } from '~/modules/webhooks/endpoint-form.server'
import { enableEndpoint } from '~/modules/webhooks/endpoints.server'
import { useLocale } from '~/root'
import { GeneralErrorBoundary, notFoundHandler } from '~/components/general-error-boundary'

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireUser(request, 'admin:webhooks')
  const found = await endpointWithLog(params.endpointId ?? '')
  if (!found) throw notFound()
  return { ...found, timeZone: getEnv().INSTITUTION_TIMEZONE }
}

type ActionResult = { ok: boolean; intent: string; secret?: string; fieldErrors?: Record<string, string[]> }

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request, 'admin:webhooks')
  const endpointId = params.endpointId ?? ''
  const form = await readFormData(request)
  const parsed = endpointActionSchema.safeParse(Object.fromEntries(form))
  if (!parsed.success) {
    const intent = String(form.get('intent') ?? '')
    return Response.json({ ok: false, intent: intent === 'delete' ? intent : 'unknown', fieldErrors: fieldErrorsOf(parsed.error) } satisfies ActionResult, { status: 400 })
  }
  const { intent } = parsed.data
  let ok = false
  if (parsed.data.intent === 'redeliver') ok = await redeliver(endpointId, parsed.data.deliveryId, user)
  else if (intent === 'disable') ok = await disableEndpoint(endpointId, user)
  else if (intent === 'enable') ok = /^[0-9a-f]{24}$/i.test(endpointId) && (await enableEndpoint(endpointId, user))
  else if (intent === 'rotate-secret') {
    const rotated = await rotateSecret(endpointId, user)
    // Shown once, in this answer only; afterwards only its sealed form exists.
    if (rotated) return { ok: true, intent, secret: rotated.secret } satisfies ActionResult
  } else if (await deleteEndpoint(endpointId, user)) return redirectWithFlash(request, '/admin/webhooks', 'webhookDeleted')
  // The job runner sends what was queued within its next round (webhooks:deliver, every 30 s).
  return ok ? ({ ok, intent } satisfies ActionResult) : Response.json({ ok, intent } satisfies ActionResult, { status: 409 })
}

const statusTone = { delivered: 'good', queued: 'warn', sending: 'warn', failed: 'bad', skipped: 'neutral' } as const

export default function WebhookEndpointPage() {
  const { t } = useTranslation('webhooks')
  const { endpoint, deliveries, timeZone } = useLoaderData<typeof loader>()
  const result = useActionData<ActionResult>()
  const locale = useLocale()
  const confirmError = result?.intent === 'delete' ? translateError(t, result.fieldErrors?.confirm?.[0]) : undefined
  return (
    <div className="flex flex-col gap-4">
      <Link to="/admin/webhooks" className="text-sm text-sky-700 hover:underline">← {t('log.back')}</Link>
      <PageHeader
        title={endpoint.name}
        subtitle={<span className="break-all font-mono text-xs">{endpoint.url}</span>}
        actions={
          <Form method="post" className="flex items-center gap-2">
            {endpoint.enabled ? <Badge tone="good">{t('state.enabled')}</Badge> : <Badge tone="bad">{endpoint.disabledReason === 'failures' ? t('state.disabledByFailures', { count: endpoint.consecutiveFailures }) : t('state.disabledByAdmin')}</Badge>}
            <button type="submit" name="intent" value={endpoint.enabled ? 'disable' : 'enable'} className={endpoint.enabled ? buttonClass.secondary : buttonClass.primary}>
              {endpoint.enabled ? t('log.disable') : t('log.enable')}
            </button>
          </Form>
        }
      />
      {result?.secret ? (
        <div role="status" className="rounded-md border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-900" data-testid="webhook-new-secret">
          <p className="font-medium">{t('rotate.done')}</p>
          <p className="mt-1">{t('created.secret')}</p>
          <code className="mt-1 block select-all break-all rounded bg-white px-2 py-1 font-mono text-xs">{result.secret}</code>
        </div>
      ) : result && result.intent !== 'delete' ? (
        <p role="status" className={`rounded-md border px-4 py-3 text-sm ${result.ok ? 'border-emerald-200 bg-emerald-50 text-emerald-800' : 'border-amber-200 bg-amber-50 text-amber-900'}`}>
          {result.ok ? (result.intent === 'redeliver' ? t('log.redelivered') : result.intent === 'rotate-secret' ? t('rotate.done') : endpoint.enabled ? t('state.enabled') : t('state.disabledByAdmin')) : t('log.notChanged')}
        </p>
      ) : null}
      {deliveries.length === 0 ? (
        <EmptyState>{t('log.empty')}</EmptyState>
      ) : (
        <Card>
          <table className="w-full text-left text-sm" data-testid="webhook-deliveries">
            <thead className="text-xs uppercase text-slate-500">
              <tr>
                <th className="py-2">{t('log.event')}</th>
                <th>{t('log.eventId')}</th>
                <th>{t('log.attempts')}</th>
                <th>{t('log.responses')}</th>
                <th>{t('log.nextAttempt')}</th>
                <th>{t('log.status')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {deliveries.map((delivery) => (
                <tr key={delivery.id} className="border-t border-slate-100 align-top" data-event-id={delivery.eventId}>
                  <td className="py-2">
                    {t(`events.${delivery.kind.replace(/\./g, '_')}`)}
                    <span className="block text-xs text-slate-500">{formatDateTime(delivery.createdAt, locale, timeZone)}</span>
                  </td>
                  <td className="font-mono text-xs">{delivery.eventId}</td>
                  <td>{delivery.attempts}</td>
                  <td className="text-xs">
                    {delivery.log.map((attempt, index) => (
                      <span key={index} className="mr-1 inline-block font-mono" title={attempt.error ?? undefined}>
                        {attempt.statusCode ?? t('log.noResponse')}
                        {attempt.manual ? ` (${t('log.manual')})` : ''}
                      </span>
                    ))}
                  </td>
                  <td className="text-xs">{delivery.nextAttemptAt ? formatDateTime(delivery.nextAttemptAt, locale, timeZone) : '—'}</td>
                  <td><Badge tone={statusTone[delivery.status as keyof typeof statusTone] ?? 'neutral'}>{t(`status.${delivery.status}`)}</Badge></td>
                  <td>
                    <Form method="post">
                      <input type="hidden" name="deliveryId" value={delivery.id} />
                      <button type="submit" name="intent" value="redeliver" className={buttonClass.secondary}>{t('log.redeliver')}</button>
                    </Form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </Card>
      )}
      <div className="grid gap-4 md:grid-cols-2">
        <Card title={t('rotate.title')}>
          <p className="text-sm text-slate-600">{t('rotate.explain')}</p>
          <Form method="post" className="mt-3">
            <button type="submit" name="intent" value="rotate-secret" className={buttonClass.secondary} data-testid="rotate-secret">{t('rotate.submit')}</button>
          </Form>
        </Card>
        <Card title={t('delete.title')}>
          <p className="text-sm text-slate-600">{t('delete.explain')}</p>
          <Form method="post" className="mt-3 flex flex-col gap-3">
            <label className="flex items-start gap-2 text-sm text-slate-700">
              <input type="checkbox" name="confirm" value="yes" className="mt-0.5" aria-invalid={confirmError ? true : undefined} aria-describedby={confirmError ? 'delete-confirm-error' : undefined} />
              <span>{t('delete.confirm', { name: endpoint.name })}</span>
            </label>
            {confirmError ? <p id="delete-confirm-error" className="text-sm text-red-700">{confirmError}</p> : null}
            <div>
              <button type="submit" name="intent" value="delete" className={buttonClass.danger} data-testid="delete-endpoint">{t('delete.submit')}</button>
            </div>
          </Form>
        </Card>
      </div>
    </div>
  )
}

// Rendered inside the staff shell, so the navigation stays; a missing webhook endpoint is named as such.
export function ErrorBoundary() {
  return <GeneralErrorBoundary statusHandlers={{ 404: notFoundHandler('errorPage.notFound.webhookEndpoint') }} />
}
