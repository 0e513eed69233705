import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { Form, FormErrorBanner, SelectField, SubmitButton, useValidatedForm } from '~/components/forms'
import { Card, PageHeader } from '~/components/ui'
import { getEnv } from '~/env.server'
import { getLocale } from '~/i18n/i18n.server'
import { redirectWithFlash, requireUser } from '~/modules/auth/session.server'
import { invalid } from '~/modules/forms/parse.server'
import { toLocalDateTime } from '~/modules/incidents/deadline'
import { readIncidentForm, vendorOptions } from '~/modules/incidents/request.server'
import { staffIncidentSchema } from '~/modules/incidents/schemas'
import { IncidentFields } from '~/modules/incidents/ui/incident-fields'
import { reportIncident } from '~/modules/incidents/writes.server'

export const meta: MetaFunction = () => [{ title: 'Clausewise · Report an incident' }]

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request, 'incident:report')
  const zone = getEnv().INSTITUTION_TIMEZONE
  return {
    vendors: await vendorOptions(await getLocale(request)),
    vendorId: new URL(request.url).searchParams.get('vendorId') ?? '',
    now: toLocalDateTime(new Date(), zone),
    timeZone: zone,
    reporterName: user.name,
  }
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request, 'incident:report')
  const form = await readIncidentForm(request)
  if (!form.ok) return invalid(form.fieldErrors, undefined, form.status)
  const result = await reportIncident({ raw: form.raw, files: form.files, reporter: { kind: 'staff', user } })
  if (!result.ok) return invalid(result.fieldErrors, result.formError, result.status)
  return redirectWithFlash(request, `/incidents/${result.incidentId}`, 'incidentReported')
}

export default function NewIncident() {
  const { t } = useTranslation('incidents')
  const data = useLoaderData<typeof loader>()
  const { form, onSubmit, formError } = useValidatedForm(staffIncidentSchema, {
    defaultValues: { vendorId: data.vendorId, occurredAt: data.now, detectedAt: data.now, notifiedAt: data.now, piCategories: [], recordCount: 0, customerCount: 0, cause: 'unknown', reporterName: data.reporterName },
  })
  return (
    <div data-testid="incident-new">
      <PageHeader title={t('new.title')} subtitle={t('new.intro')} />
      <Card>
        <FormErrorBanner message={formError} />
        <Form method="post" encType="multipart/form-data" noValidate onSubmit={onSubmit} className="flex max-w-3xl flex-col gap-4">
          <SelectField form={form} name="vendorId" label={t('fields.vendor')} required placeholder={t('new.chooseVendor')} options={data.vendors.map((vendor) => ({ value: vendor.id, label: vendor.name }))} />
          <IncidentFields form={form} timeZone={data.timeZone} />
          <div>
            <SubmitButton>{t('new.submit')}</SubmitButton>
          </div>
        </Form>
      </Card>
    </div>
  )
}
