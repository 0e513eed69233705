import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { localized } from '~/i18n/locales'
import { redirectWithFlash, requireUser } from '~/modules/auth/session.server'
import { invalid } from '~/modules/forms/parse.server'
import { notFound } from '~/modules/http'
import { vendorToFormValues } from '~/modules/vendors/form-values'
import { vendorEditSchema } from '~/modules/vendors/schemas'
import { VendorForm } from '~/modules/vendors/ui/vendor-form'
import { getVendor, listBusinessOwnerOptions } from '~/modules/vendors/vendors.server'
import { updateVendor } from '~/modules/vendors/writes.server'
import { useLocale } from '~/root'
import { readFormObject } from '~/modules/forms/read.server'
import { GeneralErrorBoundary } from '~/components/general-error-boundary'

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireUser(request, 'vendor:write')
  const [vendor, owners] = await Promise.all([getVendor(params.vendorId ?? ''), listBusinessOwnerOptions()])
  if (!vendor) throw notFound()
  return { values: vendorToFormValues(vendor), legalName: vendor.legalName, vendorId: vendor.id, owners }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request, 'vendor:write')
  const result = await updateVendor(params.vendorId ?? '', await readFormObject(request), user)
  if (!result.ok) {
    if (result.status === 404) throw notFound()
    return invalid(result.fieldErrors, result.formError, result.status)
  }
  return redirectWithFlash(request, `/vendors/${result.vendorId}`, 'vendorSaved')
}

export default function EditVendorPage() {
  const { t } = useTranslation('vendors')
  const { values, legalName, vendorId, owners } = useLoaderData<typeof loader>()
  const locale = useLocale()
  return (
    <div className="mx-auto max-w-5xl">
      <h2 className="mb-4 text-lg font-semibold text-slate-800">{t('edit.title', { name: localized(legalName, locale) })}</h2>
      {/* Keyed by version: after a save elsewhere the form starts again from the stored values. */}
      <VendorForm
        key={values.version}
        schema={vendorEditSchema}
        defaultValues={values}
        owners={owners}
        locale={locale}
        submitLabel={t('actions.save')}
        cancelTo={`/vendors/${vendorId}`}
      />
    </div>
  )
}

// An error here keeps the parent page's header and tabs around it.
export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
