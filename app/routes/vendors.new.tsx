import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { PageHeader } from '~/components/ui'
import { redirectWithFlash, requireUser } from '~/modules/auth/session.server'
import { invalid } from '~/modules/forms/parse.server'
import { emptyVendorFormValues } from '~/modules/vendors/form-values'
import { vendorInputSchema } from '~/modules/vendors/schemas'
import { VendorForm } from '~/modules/vendors/ui/vendor-form'
import { listBusinessOwnerOptions } from '~/modules/vendors/vendors.server'
import { createVendor } from '~/modules/vendors/writes.server'
import { useLocale } from '~/root'
import { readFormObject } from '~/modules/forms/read.server'

export const meta: MetaFunction = () => [{ title: 'Clausewise · New vendor / 新增合作机构' }]

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request, 'vendor:write')
  return { owners: await listBusinessOwnerOptions() }
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request, 'vendor:write')
  const result = await createVendor(await readFormObject(request), user)
  if (!result.ok) return invalid(result.fieldErrors, result.formError, result.status)
  return redirectWithFlash(request, `/vendors/${result.vendorId}`, 'vendorCreated')
}

export default function NewVendorPage() {
  const { t } = useTranslation('vendors')
  const { owners } = useLoaderData<typeof loader>()
  const locale = useLocale()
  return (
    <div className="mx-auto max-w-5xl">
      <PageHeader title={t('new.title')} subtitle={t('new.subtitle')} />
      <VendorForm
        schema={vendorInputSchema}
        defaultValues={emptyVendorFormValues()}
        owners={owners}
        locale={locale}
        submitLabel={t('actions.create')}
        cancelTo="/vendors"
      />
    </div>
  )
}
