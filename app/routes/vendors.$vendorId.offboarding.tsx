import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { readFormData } from '~/modules/forms/read.server'
import { useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { Form, FormErrorBanner, SelectField, SubmitButton, TextAreaField, TextField, useValidatedForm } from '~/components/forms'
import { Badge, Card } from '~/components/ui'
import { localized, type Locale } from '~/i18n/locales'
import { can } from '~/modules/auth/roles'
import { redirectWithFlash, requireUser } from '~/modules/auth/session.server'
import { invalid, parseFormData } from '~/modules/forms/parse.server'
import { notFound } from '~/modules/http'
import { reviewOffboarding, startOffboarding } from '~/modules/offboarding/offboarding.server'
import { reviewOffboardingSchema, startOffboardingSchema } from '~/modules/offboarding/schemas'
import { staffOffboardingView } from '~/modules/offboarding/view.server'
import { institutionTimeZone } from '~/modules/schedule/settings.server'
import { formatDateTime, formatDay } from '~/modules/vendors/labels'
import { useVendorLayoutData } from './vendors.$vendorId'
import { GeneralErrorBoundary } from '~/components/general-error-boundary'

// A vendor's offboarding: the start form (procurement), the request and the vendor's answer,
// and compliance's review. The writes live in app/modules/offboarding.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, 'portal:read')
  const offboarding = await staffOffboardingView(params.vendorId ?? '')
  return {
    offboarding,
    timeZone: institutionTimeZone(),
    can: { start: can(user.role, 'vendor:offboard'), review: can(user.role, 'offboarding:accept') },
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const formData = await readFormData(request)
  const intent = formData.get('intent')
  const vendorId = params.vendorId ?? ''
  if (intent === 'review') {
    const user = await requireUser(request, 'offboarding:accept')
    const parsed = parseFormData(formData, reviewOffboardingSchema)
    if (!parsed.ok) return invalid(parsed.fieldErrors)
    const result = await reviewOffboarding(vendorId, parsed.value, { id: user.id, name: user.name })
    if (!result.ok) {
      if (result.status === 404) throw notFound()
      return invalid({}, result.formError, result.status)
    }
    return redirectWithFlash(request, `/vendors/${vendorId}/offboarding`, result.status === 'accepted' ? 'offboardingAccepted' : 'offboardingSentBack')
  }
  const user = await requireUser(request, 'vendor:offboard')
  const parsed = parseFormData(formData, startOffboardingSchema)
  if (!parsed.ok) return invalid(parsed.fieldErrors)
  const result = await startOffboarding(vendorId, parsed.value, { id: user.id, name: user.name })
  if (!result.ok) {
    if (result.status === 404) throw notFound()
    return invalid({}, result.formError, result.status)
  }
  return redirectWithFlash(request, `/vendors/${vendorId}/offboarding`, 'offboardingStarted')
}

const TONE = { requested: 'warn', submitted: 'info', accepted: 'neutral' } as const

export default function VendorOffboardingPage() {
  const { t, i18n } = useTranslation('offboarding')
  const { t: tv } = useTranslation('vendors')
  const locale = i18n.language as Locale
  const { vendor } = useVendorLayoutData()
  const { offboarding, timeZone, can } = useLoaderData<typeof loader>()
  const start = useValidatedForm(startOffboardingSchema, { defaultValues: { intent: 'start', reason: '', endDate: '' } })
  const review = useValidatedForm(reviewOffboardingSchema, { defaultValues: { intent: 'review', decision: 'accept', comment: '' } })
  const label = 'text-xs font-medium uppercase tracking-wide text-slate-500'

  if (!offboarding) {
    return (
      <Card title={t('start.title')}>
        <p className="mb-2 text-sm text-slate-700">{t('start.intro')}</p>
        <p className="mb-4 text-sm text-slate-600">{t('start.effects')}</p>
        {vendor.status === 'offboarded' ? (
          <p className="text-sm text-slate-500">{t('errors.readOnly')}</p>
        ) : !can.start ? (
          <p className="text-sm text-slate-500">{t('start.notAllowed')}</p>
        ) : (
          <>
            {vendor.contacts.length === 0 ? <p className="mb-4 rounded-md bg-amber-50 px-4 py-2 text-sm text-amber-800">{t('start.noContacts')}</p> : null}
            <FormErrorBanner message={start.formError} />
            <Form method="post" noValidate onSubmit={start.onSubmit} className="flex max-w-xl flex-col gap-4" data-testid="offboarding-start-form">
              <input type="hidden" {...start.form.register('intent')} />
              <TextAreaField form={start.form} name="reason" label={t('start.reason')} hint={t('start.reasonHint')} rows={3} required />
              <TextField form={start.form} name="endDate" type="date" label={t('start.endDate')} hint={t('start.endDateHint')} required />
              <div>
                <SubmitButton>{t('start.submit')}</SubmitButton>
              </div>
            </Form>
          </>
        )}
      </Card>
    )
  }

  return (
    <div className="flex flex-col gap-6" data-testid="offboarding-page" data-status={offboarding.status}>
      <Card title={t('details.title')} actions={<Badge tone={TONE[offboarding.status]}>{t(`status.${offboarding.status}`)}</Badge>}>
        {offboarding.status === 'accepted' ? (
          <p className="mb-4 rounded-md bg-slate-100 px-4 py-2 text-sm text-slate-800" data-testid="offboarding-accepted">
            {t('accepted.body', { date: formatDay(offboarding.acceptedAt, timeZone), until: formatDay(offboarding.retainUntil, timeZone), years: offboarding.retentionYears })}
          </p>
        ) : null}
        <dl className="grid gap-4 sm:grid-cols-3">
          <div>
            <dt className={label}>{t('details.reason')}</dt>
            <dd className="mt-1 whitespace-pre-line text-sm text-slate-900">{offboarding.reason}</dd>
          </div>
          <div>
            <dt className={label}>{t('details.endDate')}</dt>
            <dd className="mt-1 text-sm text-slate-900" data-testid="offboarding-end-date">{offboarding.endDate}</dd>
          </div>
          <div>
            <dt className={label}>{t('details.startedBy')}</dt>
            <dd className="mt-1 text-sm text-slate-900">
              {offboarding.startedBy} · {formatDateTime(offboarding.startedAt, timeZone)}
            </dd>
          </div>
          <div>
            <dt className={label}>{t('details.categories')}</dt>
            <dd className="mt-1 text-sm text-slate-900">
              {offboarding.categories.length ? offboarding.categories.map((category) => tv(`piCategory.${category}`)).join(locale === 'en' ? ', ' : '、') : t('details.noCategories')}
            </dd>
          </div>
          <div>
            <dt className={label}>{t('details.cancelled')}</dt>
            <dd className="mt-1 text-sm text-slate-900" data-testid="offboarding-cancelled">{offboarding.cancelledAssessmentIds.length}</dd>
          </div>
          <div>
            <dt className={label}>{t('details.links')}</dt>
            <dd className="mt-1 text-sm text-slate-900">{offboarding.recipients.join(', ') || t('details.none')}</dd>
          </div>
        </dl>
        {offboarding.clause ? (
          <div className="mt-4 rounded-md bg-slate-50 p-4 text-sm text-slate-700">
            <p className="font-medium text-slate-900">
              {t('details.clause')} · {offboarding.clause.id} {localized(offboarding.clause.title, locale)}
            </p>
            <p className="mt-1">{localized(offboarding.clause.text, locale)}</p>
          </div>
        ) : null}
        {offboarding.reminders.length ? <p className="mt-3 text-xs text-slate-500">{t('details.reminders')}: {offboarding.reminders.join(', ')}</p> : null}
      </Card>

      <Card title={t('response.title')}>
        {!offboarding.response ? (
          <p className="text-sm text-slate-500">{t('response.waiting')}</p>
        ) : (
          <div data-testid="offboarding-response">
            <table className="min-w-full text-left text-sm">
              <thead className="border-b border-slate-200 text-xs uppercase tracking-wide text-slate-500">
                <tr>
                  <th className="py-2 pr-4">{t('response.category')}</th>
                  <th className="py-2 pr-4">{t('response.disposal')}</th>
                  <th className="py-2 pr-4">{t('response.method')}</th>
                  <th className="py-2">{t('response.date')}</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {offboarding.response.categories.map((entry) => (
                  <tr key={entry.category}>
                    <td className="py-2 pr-4">{tv(`piCategory.${entry.category}`)}</td>
                    <td className="py-2 pr-4">{t(`disposal.${entry.disposal}`)}</td>
                    <td className="py-2 pr-4">{entry.method}</td>
                    <td className="py-2">{entry.date}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <dl className="mt-4 grid gap-4 sm:grid-cols-3">
              <div>
                <dt className={label}>{t('response.certificate')}</dt>
                <dd className="mt-1 text-sm">
                  {offboarding.response.certificate ? (
                    <a href={`/vendors/${vendor.id}/offboarding/certificate`} className="text-sky-800 hover:underline" data-testid="certificate-link">
                      {offboarding.response.certificate.filename} · {t('response.download')}
                    </a>
                  ) : null}
                </dd>
              </div>
              <div>
                <dt className={label}>{t('response.attestation')}</dt>
                <dd className="mt-1 text-sm text-slate-900">
                  {offboarding.response.attestation.name}, {offboarding.response.attestation.title} ({offboarding.response.attestation.email})
                </dd>
              </div>
              <div>
                <dt className={label}>{t('response.submittedAt')}</dt>
                <dd className="mt-1 text-sm text-slate-900">{formatDateTime(offboarding.response.submittedAt, timeZone)}</dd>
              </div>
            </dl>
          </div>
        )}
      </Card>

      {offboarding.reviews.length || offboarding.status === 'submitted' ? (
      <Card title={t('review.title')}>
        {offboarding.reviews.length ? (
          <ul className="mb-4 flex flex-col gap-1 text-sm text-slate-700" data-testid="offboarding-reviews">
            {offboarding.reviews.map((entry) => (
              <li key={entry.at}>
                <span className="font-medium">{t(`review.${entry.decision === 'accepted' ? 'accepted' : 'sent_back'}`)}</span> · {entry.byName} · {formatDateTime(entry.at, timeZone)}
                {entry.comment ? ` — ${entry.comment}` : ''}
              </li>
            ))}
          </ul>
        ) : null}
        {offboarding.status !== 'submitted' ? null : can.review ? (
          <>
            <FormErrorBanner message={review.formError} />
            <Form method="post" noValidate onSubmit={review.onSubmit} className="flex max-w-xl flex-col gap-4" data-testid="offboarding-review-form">
              <input type="hidden" {...review.form.register('intent')} />
              <SelectField
                form={review.form}
                name="decision"
                label={t('review.decision')}
                options={[
                  { value: 'accept', label: t('review.accept') },
                  { value: 'send_back', label: t('review.sendBack') },
                ]}
                required
              />
              <TextAreaField form={review.form} name="comment" label={t('review.comment')} hint={t('review.commentHint')} rows={3} />
              <div>
                <SubmitButton>{t('review.submit')}</SubmitButton>
              </div>
            </Form>
          </>
        ) : (
          <p className="text-sm text-slate-500">{t('review.notAllowed')}</p>
        )}
      </Card>
      ) : null}
    </div>
  )
}

// An error here keeps the parent page's header and tabs around it.
export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
