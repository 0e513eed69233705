import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { getLocale } from '~/i18n/i18n.server'
import { redirectWithFlash, requireUser } from '~/modules/auth/session.server'
import { ContractForm } from '~/modules/contracts/contract-form'
import { clauseChoices, contractFormValues, getContract, templateDefaults, updateContract, vendorForContracts } from '~/modules/contracts/contracts.server'
import { readContractForm } from '~/modules/contracts/form.server'
import { invalid } from '~/modules/forms/parse.server'
import { notFound } from '~/modules/http'

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireUser(request, 'vendor:write')
  const vendor = await vendorForContracts(String(params.vendorId))
  const contract = vendor ? await getContract(vendor.id, String(params.contractId)) : null
  if (!vendor || !contract) throw notFound('Contract not found')
  return {
    locale: await getLocale(request),
    vendorId: vendor.id,
    contractId: contract.id,
    signedCopy: contract.signedCopy?.filename ?? null,
    clauses: clauseChoices(),
    templateClauseIds: templateDefaults(contract.templateCategory ?? vendor.category).clauseIds,
    defaultValues: contractFormValues(contract),
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request, 'vendor:write')
  const form = await readContractForm(request)
  if (!form.ok) return invalid(form.fieldErrors)
  const result = await updateContract(user, String(params.vendorId), String(params.contractId), form.fields, form.signedCopy)
  if (!result.ok) {
    if (result.status === 404) throw notFound('Contract not found')
    return invalid(result.fieldErrors, result.formError, result.status)
  }
  return redirectWithFlash(request, `/vendors/${params.vendorId}/contracts/${result.contractId}`, 'contractSaved')
}

export default function EditContract() {
  const { t } = useTranslation('contracts')
  const { locale, vendorId, contractId, signedCopy, clauses, templateClauseIds, defaultValues } = useLoaderData<typeof loader>()
  const detail = `/vendors/${vendorId}/contracts/${contractId}`
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm" data-testid="edit-contract">
      <nav aria-label={t('form.breadcrumb')} className="mb-2 text-sm">
        <Link to={detail} className="text-sky-800 hover:underline">
          {t('actions.backToContract', { reference: defaultValues.reference })}
        </Link>
      </nav>
      <h2 className="mb-5 text-lg font-semibold text-slate-900">{t('form.editTitle', { reference: defaultValues.reference })}</h2>
      <ContractForm
        mode="edit"
        locale={locale}
        clauses={clauses}
        templateClauseIds={templateClauseIds}
        defaultValues={defaultValues}
        currentSignedCopy={signedCopy}
        cancelTo={detail}
      />
    </div>
  )
}
