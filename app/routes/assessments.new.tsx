import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { Form as RemixForm, Link, useLoaderData } from '@remix-run/react'
import { addDays } from 'date-fns'
import { useMemo } from 'react'
import { useTranslation } from 'react-i18next'
import { Form, FormErrorBanner, SubmitButton, TextAreaField, TextField, inputClass, useValidatedForm } from '~/components/forms'
import { Badge, Card, EmptyState, PageHeader, buttonClass } from '~/components/ui'
import { useLocale } from '~/root'
import { getEnv } from '~/env.server'
import { localized } from '~/i18n/locales'
import { redirectWithFlash, requireUser } from '~/modules/auth/session.server'
import { questionnaireChoices } from '~/modules/assessments/catalog.server'
import { dayIn } from '~/modules/dates/dates'
import { startAssessmentFromForm } from '~/modules/assessments/start.server'
import { startAssessmentSchema } from '~/modules/assessments/staff-schemas'
import { lastCompletedAssessmentDay } from '~/modules/assessments/history.server'
import { dateTimeFormat } from '~/modules/formatting/date-format'
import { invalid, parseForm } from '~/modules/forms/parse.server'
import { getVendor, listVendors } from '~/modules/vendors/vendors.server'
import { parseVendorListQuery } from '~/modules/vendors/schemas'
import { notFound } from '~/modules/http'

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request, 'assessment:manage')
  const url = new URL(request.url)
  const timeZone = getEnv().INSTITUTION_TIMEZONE
  const today = dayIn(new Date(), timeZone)
  const vendorId = url.searchParams.get('vendorId')
  if (!vendorId) {
    const q = url.searchParams.get('q') ?? ''
    const page = await listVendors(parseVendorListQuery(new URLSearchParams(q ? { q, size: '25' } : { size: '25' })))
    return { step: 'vendor' as const, q, vendors: page.rows.map((row) => ({ id: row.id, legalName: row.legalName, category: row.category, tier: row.effectiveTier })) }
  }
  const vendor = await getVendor(vendorId)
  if (!vendor) throw notFound()
  return {
    step: 'details' as const,
    today,
    defaultDue: dayIn(addDays(new Date(), 30), timeZone),
    vendor: { id: vendor.id, legalName: vendor.legalName, category: vendor.category, contacts: vendor.contacts.map((c) => ({ id: c.id, name: c.name, email: c.email, locale: c.locale, title: c.title })) },
    choices: questionnaireChoices(vendor.category),
    lastCompletedAt: (await lastCompletedAssessmentDay(vendor.id))?.toISOString() ?? null,
  }
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request, 'assessment:manage')
  const timeZone = getEnv().INSTITUTION_TIMEZONE
  const parsed = await parseForm(request, startAssessmentSchema(dayIn(new Date(), timeZone)))
  if (!parsed.ok) return invalid(parsed.fieldErrors)
  const result = await startAssessmentFromForm(parsed.value, { kind: 'user', id: user.id, name: user.name }, timeZone)
  if (!result.ok) return invalid(result.fieldErrors)
  return redirectWithFlash(request, `/assessments/${result.assessmentId}`, 'assessmentStarted')
}

export default function NewAssessmentPage() {
  const data = useLoaderData<typeof loader>()
  const { t } = useTranslation('assessments')
  const locale = useLocale()
  if (data.step === 'vendor') {
    return (
      <div className="max-w-3xl">
        <PageHeader title={t('new.title')} subtitle={t('new.pickVendor')} />
        <RemixForm method="get" className="mb-4 flex gap-2" role="search">
          <input type="search" name="q" defaultValue={data.q} className={inputClass} placeholder={t('list.vendorPlaceholder')} aria-label={t('list.filterVendor')} />
          <button type="submit" className={`${buttonClass.secondary} shrink-0 whitespace-nowrap`}>
            {t('common:actions.search')}
          </button>
        </RemixForm>
        {data.vendors.length === 0 ? (
          <EmptyState>{t('new.noVendors')}</EmptyState>
        ) : (
          <Card>
            <ul className="divide-y divide-slate-100">
              {data.vendors.map((vendor) => (
                <li key={vendor.id} className="flex items-center justify-between gap-3 py-2.5">
                  <span>
                    <span className="font-medium text-slate-900">{localized(vendor.legalName, locale)}</span>
                    <span className="ml-2 text-xs text-slate-500">{t(`vendors:category.${vendor.category}`, { defaultValue: vendor.category })}</span>
                  </span>
                  <Link to={`?vendorId=${vendor.id}`} className={buttonClass.secondary}>
                    {t('new.choose')}
                  </Link>
                </li>
              ))}
            </ul>
          </Card>
        )}
      </div>
    )
  }
  return <DetailsForm data={data} />
}

function DetailsForm({ data }: { data: Extract<ReturnType<typeof useLoaderData<typeof loader>>, { step: 'details' }> }) {
  const { t } = useTranslation('assessments')
  const locale = useLocale()
  const schema = useMemo(() => startAssessmentSchema(data.today), [data.today])
  const { form, onSubmit, formError } = useValidatedForm(schema, {
    defaultValues: {
      vendorId: data.vendor.id,
      questionnaires: data.choices.filter((choice) => choice.proposed).map((choice) => `${choice.id}@${choice.version}`),
      dueDate: data.defaultDue,
      contactIds: data.vendor.contacts.map((contact) => contact.id),
      note: '',
      carryOver: data.lastCompletedAt !== null,
    },
  })
  const errors = form.formState.errors as Record<string, { message?: string } | undefined>
  const { t: tc } = useTranslation()
  return (
    <div className="max-w-3xl">
      <PageHeader title={t('new.title')} subtitle={localized(data.vendor.legalName, locale)} />
      <FormErrorBanner message={formError} />
      <Form method="post" noValidate onSubmit={onSubmit} className="flex flex-col gap-5">
        <input type="hidden" {...form.register('vendorId')} />
        <Card title={t('new.questionnaires')}>
          <fieldset className="flex flex-col gap-2" aria-invalid={errors.questionnaires ? true : undefined}>
            <legend className="sr-only">{t('new.questionnaires')}</legend>
            {data.choices.map((choice) => (
              <label key={choice.id} className="flex items-start gap-3 rounded-md border border-slate-200 p-3 text-sm has-[:checked]:border-sky-600 has-[:checked]:bg-sky-50">
                <input type="checkbox" value={`${choice.id}@${choice.version}`} defaultChecked={choice.proposed} className="mt-0.5 h-4 w-4 accent-sky-700" {...form.register('questionnaires')} />
                <span className="flex-1">
                  <span className="font-medium text-slate-900">{localized(choice.title, locale)}</span>
                  <span className="ml-2 text-xs text-slate-500">
                    v{choice.version} · {t('new.questionCount', { count: choice.questionCount })}
                  </span>
                  {choice.kind === 'supplement' && choice.proposed ? (
                    <span className="ml-2">
                      <Badge tone="info">{t('new.proposed')}</Badge>
                    </span>
                  ) : null}
                </span>
              </label>
            ))}
            {errors.questionnaires?.message ? <p className="text-sm text-red-700" role="alert">{tc(String(errors.questionnaires.message).split('|')[0]!)}</p> : null}
          </fieldset>
        </Card>
        <Card title={t('new.contacts')}>
          {data.vendor.contacts.length === 0 ? (
            <p className="text-sm text-slate-600">
              {t('new.noContacts')}{' '}
              <Link to={`/vendors/${data.vendor.id}/edit`} className="text-sky-700 underline">
                {t('new.addContact')}
              </Link>
            </p>
          ) : (
            <fieldset className="flex flex-col gap-2">
              <legend className="sr-only">{t('new.contacts')}</legend>
              {data.vendor.contacts.map((contact) => (
                <label key={contact.id} className="flex items-center gap-3 text-sm">
                  <input type="checkbox" value={contact.id} defaultChecked className="h-4 w-4 accent-sky-700" {...form.register('contactIds')} />
                  <span className="font-medium text-slate-900">{contact.name}</span>
                  <span className="text-slate-500">{contact.email}</span>
                  <Badge>{contact.locale === 'en' ? 'English' : '中文'}</Badge>
                </label>
              ))}
            </fieldset>
          )}
          {errors.contactIds?.message ? <p className="mt-2 text-sm text-red-700" role="alert">{tc(String(errors.contactIds.message).split('|')[0]!)}</p> : null}
        </Card>
        {data.lastCompletedAt ? (
          <Card title={t('new.carryOver')}>
            <label className="flex items-start gap-3 text-sm">
              {/* Ticked in the served HTML too: a start before the page's script has run (or without it) keeps carry-over. */}
              <input type="checkbox" className="mt-0.5 h-4 w-4 accent-sky-700" defaultChecked {...form.register('carryOver')} data-testid="carry-over" />
              <span>
                <span className="font-medium text-slate-900">{t('new.carryOverLabel', { date: dateTimeFormat(locale, { dateStyle: 'medium' }).format(new Date(data.lastCompletedAt)) })}</span>
                <span className="block text-slate-600">{t('new.carryOverHint')}</span>
              </span>
            </label>
          </Card>
        ) : null}
        <Card title={t('new.schedule')}>
          <div className="grid gap-4 sm:grid-cols-2">
            <TextField form={form} name="dueDate" type="date" label={t('new.dueDate')} hint={t('new.dueHint')} required min={data.today} />
          </div>
          <div className="mt-4">
            <TextAreaField form={form} name="note" label={t('new.note')} hint={t('new.noteHint')} />
          </div>
        </Card>
        <div className="flex justify-end gap-3">
          <Link to="/assessments/new" className={buttonClass.secondary}>
            {tc('actions.back')}
          </Link>
          <SubmitButton data-testid="start-assessment">{t('new.submit')}</SubmitButton>
        </div>
      </Form>
    </div>
  )
}
