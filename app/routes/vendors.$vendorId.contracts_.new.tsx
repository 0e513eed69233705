import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { buttonClass } from '~/components/ui'
import { getLocale } from '~/i18n/i18n.server'
import { localized } from '~/i18n/locales'
import { redirectWithFlash, requireUser } from '~/modules/auth/session.server'
import { ContractForm } from '~/modules/contracts/contract-form'
import { clauseChoices, createContract, institutionToday, templateDefaults, vendorForContracts } from '~/modules/contracts/contracts.server'
import { readContractForm } from '~/modules/contracts/form.server'
import { invalid } from '~/modules/forms/parse.server'
import { notFound } from '~/modules/http'
import { VENDOR_CATEGORIES, type VendorCategory } from '~/modules/vendors/vocabulary'

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireUser(request, 'vendor:write')
  const vendor = await vendorForContracts(String(params.vendorId))
  if (!vendor) throw notFound('Vendor not found')
  const locale = await getLocale(request)
  // Another category's template may fit better (e.g. a cloud provider that also processes payments).
  const asked = new URL(request.url).searchParams.get('template')
  const category = (VENDOR_CATEGORIES as readonly string[]).includes(asked ?? '') ? (asked as VendorCategory) : vendor.category
  const template = templateDefaults(category)
  return {
    vendor,
    locale,
    category,
    templateTitle: template.title,
    clauses: clauseChoices(),
    defaultValues: {
      reference: '',
      title: localized(template.title, locale),
      effectiveAt: institutionToday(),
      expiresAt: '',
      status: 'active' as const,
      clauseIds: template.clauseIds,
      templateCategory: category,
    },
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request, 'vendor:write')
  const form = await readContractForm(request)
  if (!form.ok) return invalid(form.fieldErrors)
  const result = await createContract(user, String(params.vendorId), form.fields, form.signedCopy)
  if (!result.ok) {
    if (result.status === 404) throw notFound('Vendor not found')
    return invalid(result.fieldErrors, result.formError, result.status)
  }
  return redirectWithFlash(request, `/vendors/${params.vendorId}/contracts/${result.contractId}`, 'contractCreated')
}

export default function NewContract() {
  const { t } = useTranslation('contracts')
  const { vendor, locale, category, templateTitle, clauses, defaultValues } = useLoaderData<typeof loader>()
  const base = `/vendors/${vendor.id}/contracts`
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm" data-testid="new-contract">
      <nav aria-label={t('form.breadcrumb')} className="mb-2 text-sm">
        <Link to={base} className="text-sky-800 hover:underline">
          {t('actions.back')}
        </Link>
      </nav>
      <h2 className="text-lg font-semibold text-slate-900">{t('form.newTitle')}</h2>
      <p className="mt-1 text-sm text-slate-600">
        {t('form.newIntro', { template: localized(templateTitle, locale), category: t(`vendors:category.${category}`) })}
      </p>
      <Form method="get" className="mt-3 flex flex-wrap items-end gap-2 text-sm" data-testid="template-choice">
        <label className="flex flex-col gap-1">
          <span className="font-medium text-slate-700">{t('form.templateSelect')}</span>
          <select name="template" defaultValue={category} className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm">
            {VENDOR_CATEGORIES.map((option) => (
              <option key={option} value={option}>
                {t(`vendors:category.${option}`)}
                {option === vendor.category ? ` (${t('form.vendorCategory')})` : ''}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className={buttonClass.secondary}>
          {t('actions.applyTemplate')}
        </button>
      </Form>
      <hr className="my-5 border-slate-100" />
      <ContractForm key={category} mode="create" locale={locale} clauses={clauses} templateClauseIds={defaultValues.clauseIds} defaultValues={defaultValues} cancelTo={base} />
    </div>
  )
}
