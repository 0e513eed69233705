import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { readFormData } from '~/modules/forms/read.server'
import { RateLimiter } from '~/modules/rate-limit'
import { isRouteErrorResponse, useLoaderData, useRouteError } from '@remix-run/react'
import { useMemo, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { LinkPageFrame } from '~/components/link-page-frame'
import { Form, FormErrorBanner, SelectField, SubmitButton, TextField, useValidatedForm } from '~/components/forms'
import { getEnv } from '~/env.server'
import { localized, type Locale } from '~/i18n/locales'
import { LINK_PROBLEM_STATUS, type LinkProblem } from '~/modules/assessments/access.server'
import { EVIDENCE_ACCEPT, EVIDENCE_MAX_BYTES } from '~/modules/evidence/policy'
import { invalid, parseFormData } from '~/modules/forms/parse.server'
import { translateError } from '~/modules/forms/validation'
import { checkOffboardingAccess } from '~/modules/offboarding/links.server'
import { submitVendorResponse } from '~/modules/offboarding/offboarding.server'
import { vendorResponseSchema } from '~/modules/offboarding/schemas'
import { vendorOffboardingView } from '~/modules/offboarding/view.server'
import type { PiCategory } from '~/modules/vendors/vocabulary'

export const meta: MetaFunction = () => [{ title: 'Clausewise' }, { name: 'robots', content: 'noindex, nofollow' }, { name: 'referrer', content: 'same-origin' }]

// The vendor's data-return/deletion page, opened from the e-mailed link. The token is checked on
// every request and maps to exactly one offboarding; nothing else is taken from the vendor.
function refuse(problem: LinkProblem) {
  return data({ linkProblem: problem, institution: getEnv().INSTITUTION_NAME }, { status: LINK_PROBLEM_STATUS[problem] })
}

// The same limits as the incident-report link: per client address, then per link.
const clientLimiter = new RateLimiter({ limit: 60, windowMs: 10 * 60_000 })
const linkLimiter = new RateLimiter({ limit: 30, windowMs: 10 * 60_000 })

async function checkLink(token: unknown, context: unknown) {
  const client = String((context as { clientAddress?: string } | undefined)?.clientAddress ?? 'unknown')
  const limited = [clientLimiter.hit(`client:${client}`), linkLimiter.hit(`link:${String(token).slice(0, 64)}`)].find((hit) => !hit.ok)
  if (limited && !limited.ok) {
    throw data({ linkProblem: 'rate_limited', institution: getEnv().INSTITUTION_NAME }, { status: 429, headers: { 'Retry-After': String(limited.retryAfterSeconds) } })
  }
  const checked = await checkOffboardingAccess(token)
  if (!checked.ok) throw refuse(checked.problem)
  return checked
}

export async function loader({ params, context }: LoaderFunctionArgs) {
  const checked = await checkLink(params.token, context)
  return vendorOffboardingView(checked.access)
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const checked = await checkLink(params.token, context)
  if (Number(request.headers.get('content-length') ?? 0) > EVIDENCE_MAX_BYTES + 64 * 1024) return invalid({ certificate: ['offboarding:errors.certificate_tooLarge'] }, undefined, 413)
  let formData: FormData
  try {
    formData = await readFormData(request, { maxBytes: EVIDENCE_MAX_BYTES + 64 * 1024 })
  } catch (error) {
    if (error instanceof Response && error.status === 413) return invalid({ certificate: ['offboarding:errors.certificate_tooLarge'] }, undefined, 413)
    if (error instanceof Response && error.status === 415) return invalid({}, 'errors:invalid', 415)
    return invalid({}, 'errors:invalid')
  }
  const certificate = formData.get('certificate')
  if (certificate instanceof File && certificate.size > EVIDENCE_MAX_BYTES) return invalid({ certificate: ['offboarding:errors.certificate_tooLarge'] }, undefined, 413)
  const parsed = parseFormData(formData, vendorResponseSchema(checked.access.offboarding.categories as PiCategory[]))
  if (!parsed.ok) return invalid(parsed.fieldErrors)
  const result = await submitVendorResponse(checked.access, parsed.value, formData.get('certificate'))
  if (!result.ok) return invalid(result.fieldErrors, result.formError, result.status)
  return redirect(`/o/${params.token}`)
}

function Frame({ institution, children }: { institution?: string; children: ReactNode }) {
  return (
    <LinkPageFrame institution={institution} mark>
      {children}
    </LinkPageFrame>
  )
}

export default function OffboardingRequestPage() {
  const { t, i18n } = useTranslation('offboarding')
  const { t: tv } = useTranslation('vendors')
  const locale = i18n.language as Locale
  const view = useLoaderData<typeof loader>()
  const categories = view.categories as PiCategory[]
  const schema = useMemo(() => vendorResponseSchema(categories), [categories])
  const defaults = { categories: Object.fromEntries(categories.map((category) => [category, { disposal: 'deleted', method: '', date: '' }])), attestationName: view.contactName, attestationTitle: '', confirm: false }
  const { form, onSubmit, formError } = useValidatedForm(schema, { defaultValues: defaults })
  const params = { institution: view.institution, vendor: localized(view.vendorName, locale), end: view.endDate, comment: view.sentBackComment ?? '' }
  const certificateError = (form.formState.errors as Record<string, { message?: string }>).certificate?.message
  const confirmError = (form.formState.errors as Record<string, { message?: string }>).confirm?.message

  if (view.status !== 'requested') {
    const kind = view.status === 'accepted' ? 'accepted' : 'submitted'
    return (
      <Frame institution={view.institution}>
        <div className="mx-auto max-w-xl rounded-xl border border-slate-200 bg-white p-6 shadow-sm" data-testid="offboarding-done" data-status={view.status}>
          <h1 className="text-xl font-semibold text-slate-900">{t(`portal.${kind}.title`)}</h1>
          <p className="mt-2 text-slate-700">{t(`portal.${kind}.body`, params)}</p>
        </div>
      </Frame>
    )
  }
  return (
    <Frame institution={view.institution}>
      <div className="flex flex-col gap-6" data-testid="offboarding-request">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight text-slate-900">{t('portal.title')}</h1>
          <p className="mt-2 text-sm text-slate-700">{t('portal.intro', params)}</p>
        </div>
        {view.sentBackComment ? <p className="rounded-md border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-900" data-testid="sent-back">{t('portal.sentBack', params)}</p> : null}
        {view.clause ? (
          <section className="rounded-lg border border-slate-200 bg-white p-4 text-sm text-slate-700">
            <h2 className="font-medium text-slate-900">
              {t('portal.clause')} · {localized(view.clause.title, locale)}
            </h2>
            <p className="mt-1">{localized(view.clause.text, locale)}</p>
          </section>
        ) : null}
        <FormErrorBanner message={formError} />
        <Form method="post" encType="multipart/form-data" noValidate onSubmit={onSubmit} className="flex flex-col gap-6" data-testid="offboarding-response-form">
          <section className="rounded-lg border border-slate-200 bg-white p-4">
            <h2 className="mb-3 font-medium text-slate-900">{t('portal.categories')}</h2>
            {categories.length === 0 ? <p className="text-sm text-slate-500">{t('portal.noCategories')}</p> : null}
            <div className="flex flex-col gap-4">
              {categories.map((category) => (
                <fieldset key={category} className="grid gap-3 border-t border-slate-100 pt-3 sm:grid-cols-3" data-testid={`category-${category}`}>
                  <legend className="mb-1 text-sm font-semibold text-slate-800">{tv(`piCategory.${category}`)}</legend>
                  <SelectField
                    form={form}
                    name={`categories.${category}.disposal`}
                    label={t('portal.disposal')}
                    options={[
                      { value: 'deleted', label: t('disposal.deleted') },
                      { value: 'returned', label: t('disposal.returned') },
                    ]}
                    required
                  />
                  <TextField form={form} name={`categories.${category}.method`} label={t('portal.method')} hint={t('portal.methodHint')} required />
                  <TextField form={form} name={`categories.${category}.date`} type="date" label={t('portal.date')} required />
                </fieldset>
              ))}
            </div>
          </section>
          <section className="rounded-lg border border-slate-200 bg-white p-4">
            <label htmlFor="certificate" className="text-sm font-medium text-slate-700">
              {t('portal.certificate')}
              <span className="ml-0.5 text-red-600" aria-hidden="true">*</span>
            </label>
            <input id="certificate" name="certificate" type="file" accept={EVIDENCE_ACCEPT} className="mt-1 block text-sm" aria-describedby="certificate-hint" aria-invalid={certificateError ? true : undefined} />
            <p id="certificate-hint" className="mt-1 text-xs text-slate-500">{t('portal.certificateHint')}</p>
            {certificateError ? <p className="text-sm text-red-700" role="alert">{translateError(t, certificateError)}</p> : null}
          </section>
          <section className="rounded-lg border border-slate-200 bg-white p-4">
            <h2 className="mb-3 font-medium text-slate-900">{t('portal.attestation')}</h2>
            <div className="grid gap-4 sm:grid-cols-2">
              <TextField form={form} name="attestationName" label={t('portal.name')} required />
              <TextField form={form} name="attestationTitle" label={t('portal.jobTitle')} required />
            </div>
            <label className="mt-4 flex items-start gap-2 text-sm text-slate-700">
              <input type="checkbox" className="mt-0.5 h-4 w-4 rounded border-slate-300" aria-invalid={confirmError ? true : undefined} {...form.register('confirm')} />
              {t('portal.confirm')}
            </label>
            {confirmError ? <p className="mt-1 text-sm text-red-700" role="alert">{translateError(t, confirmError)}</p> : null}
          </section>
          <div>
            <SubmitButton>{t('portal.submit')}</SubmitButton>
          </div>
        </Form>
      </div>
    </Frame>
  )
}

export function ErrorBoundary() {
  const { t } = useTranslation('offboarding')
  const error = useRouteError()
  const problem = isRouteErrorResponse(error) && error.data && typeof error.data === 'object' ? (error.data as { linkProblem?: string; institution?: string }) : null
  const kinds = ['invalid', 'revoked', 'superseded', 'expired', 'withdrawn', 'rate_limited']
  const kind = problem?.linkProblem && kinds.includes(problem.linkProblem) ? problem.linkProblem : isRouteErrorResponse(error) && error.status < 500 ? 'invalid' : 'error'
  const institution = problem?.institution ?? 'Clausewise'
  return (
    <Frame institution={problem?.institution}>
      <div className="mx-auto max-w-xl rounded-xl border border-slate-200 bg-white p-6 shadow-sm" data-testid="link-problem" data-problem={kind}>
        <h1 className="text-xl font-semibold text-slate-900">{t(`problem.${kind}.title`)}</h1>
        <p className="mt-2 text-slate-700">{t(`problem.${kind}.body`, { institution })}</p>
        <p className="mt-4 rounded-md bg-slate-50 p-4 text-sm text-slate-700">{t('problem.whatNow', { institution })}</p>
      </div>
    </Frame>
  )
}
