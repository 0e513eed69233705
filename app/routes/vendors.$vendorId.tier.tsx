import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { Form, FormErrorBanner, SelectField, SubmitButton, TextAreaField, useValidatedForm } from '~/components/forms'
import { Card } from '~/components/ui'
import { listAuditEvents } from '~/modules/audit/audit.server'
import { redirectWithFlash, requireUser } from '~/modules/auth/session.server'
import { invalid } from '~/modules/forms/parse.server'
import { notFound } from '~/modules/http'
import { formatDateTime } from '~/modules/vendors/labels'
import { tierOverrideSchema } from '~/modules/vendors/schemas'
import { TIERS } from '~/modules/vendors/vocabulary'
import { overrideTier } from '~/modules/vendors/writes.server'
import { useVendorLayoutData } from './vendors.$vendorId'
import { readFormObject } from '~/modules/forms/read.server'
import { tierLabel } from '~/i18n/glossary'
import { GeneralErrorBoundary } from '~/components/general-error-boundary'

// Admins override the computed tier here; everyone who can see the vendor sees the history.
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireUser(request, 'portal:read')
  const events = await listAuditEvents({ kind: 'vendor', id: params.vendorId ?? '' }, 200)
  const history = events
    .filter((event) => event.action === 'vendor.tier_override' || event.action === 'vendor.tier_override_removed')
    .map((event) => ({
      id: String(event._id),
      removed: event.action === 'vendor.tier_override_removed',
      by: String(event.details?.byName ?? event.actor?.label ?? ''),
      at: event.createdAt instanceof Date ? event.createdAt.toISOString() : '',
      from: Number(event.details?.from),
      to: Number(event.details?.to),
      justification: String(event.details?.justification ?? ''),
    }))
  return { history }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request, 'vendor:override-tier')
  const result = await overrideTier(params.vendorId ?? '', await readFormObject(request), user)
  if (!result.ok) {
    if (result.status === 404) throw notFound()
    return invalid(result.fieldErrors, result.formError, result.status)
  }
  return redirectWithFlash(request, `/vendors/${result.vendorId}`, 'tierSaved')
}

export default function TierOverridePage() {
  const { t } = useTranslation('vendors')
  const { vendor, can, timeZone } = useVendorLayoutData()
  const { history } = useLoaderData<typeof loader>()
  const override = vendor.tier.override
  const { form, onSubmit, formError } = useValidatedForm(tierOverrideSchema, {
    defaultValues: { tier: String(override?.tier ?? vendor.tier.computed) as '1', justification: '', version: vendor.version },
  })
  const tierOptions = [
    ...(override ? [{ value: 'computed', label: t('override.useComputed', { tier: vendor.tier.computed }) }] : []),
    ...TIERS.map((tier) => ({ value: String(tier), label: tierLabel(t, tier) })),
  ]
  return (
    <div className="grid gap-6 lg:grid-cols-2">
      <Card title={t('override.title')}>
        <p className="mb-4 text-sm text-slate-600">{t('override.intro')}</p>
        <p className="mb-4 text-sm text-slate-700">
          {t('labelColon', { label: t('tier.computed') })} <strong>{tierLabel(t, vendor.tier.computed)}</strong>
        </p>
        {can.overrideTier ? (
          <>
            <FormErrorBanner message={formError} />
            <Form method="post" noValidate onSubmit={onSubmit} className="flex flex-col gap-4" key={vendor.version}>
              <input type="hidden" {...form.register('version')} />
              <SelectField form={form} name="tier" label={t('override.tier')} options={tierOptions} required />
              <TextAreaField form={form} name="justification" label={t('override.justification')} hint={t('override.justificationHint')} rows={5} required />
              <div>
                <SubmitButton>{t('override.submit')}</SubmitButton>
              </div>
            </Form>
          </>
        ) : (
          <p className="text-sm text-slate-500">{t('override.notAllowed')}</p>
        )}
      </Card>
      <Card title={t('override.history')}>
        {history.length === 0 ? (
          <p className="text-sm text-slate-500">{t('override.noHistory')}</p>
        ) : (
          <ol className="space-y-3" data-testid="tier-history">
            {history.map((entry) => (
              <li key={entry.id} className="text-sm">
                <p className="font-medium text-slate-800">
                  {t(entry.removed ? 'override.historyRemoved' : 'override.historyEntry', { name: entry.by, from: entry.from, to: entry.to })}
                </p>
                <p className="text-xs text-slate-500">{formatDateTime(entry.at, timeZone)}</p>
                <p className="mt-1 whitespace-pre-line text-slate-700">{entry.justification}</p>
              </li>
            ))}
          </ol>
        )}
      </Card>
    </div>
  )
}

// An error here keeps the parent page's header and tabs around it.
export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
