import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, isRouteErrorResponse, useActionData, useLoaderData, useRouteError } from '@remix-run/react'
import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { LinkPageFrame } from '~/components/link-page-frame'
import { FormErrorBanner, SubmitButton, useValidatedForm } from '~/components/forms'
import { Card } from '~/components/ui'
import { getEnv } from '~/env.server'
import { localized } from '~/i18n/locales'
import { invalid } from '~/modules/forms/parse.server'
import { toLocalDateTime } from '~/modules/incidents/deadline'
import { linkVendorName, listLinkReports } from '~/modules/incidents/incidents.server'
import { checkIncidentLink, INCIDENT_LINK_STATUS, reportLimiter, type IncidentLinkProblem } from '~/modules/incidents/links.server'
import { readIncidentForm } from '~/modules/incidents/request.server'
import { incidentReportSchema } from '~/modules/incidents/schemas'
import { IncidentStatusBadge } from '~/modules/incidents/ui/badges'
import { IncidentFields } from '~/modules/incidents/ui/incident-fields'
import { reportIncident } from '~/modules/incidents/writes.server'
import { useLocale } from '~/root'

export const meta: MetaFunction = () => [{ title: 'Clausewise' }, { name: 'robots', content: 'noindex, nofollow' }, { name: 'referrer', content: 'same-origin' }]

// A vendor contact's standing incident-report link: the form, and the status of what was sent
// through this link. Nothing else about the institution or the vendor is shown.
const clientOf = (context: unknown) => String((context as { clientAddress?: string } | undefined)?.clientAddress ?? 'unknown')

function problemResponse(problem: IncidentLinkProblem, retryAfterSeconds?: number) {
  return data(
    { linkProblem: problem, institution: getEnv().INSTITUTION_NAME },
    { status: INCIDENT_LINK_STATUS[problem], headers: retryAfterSeconds ? { 'Retry-After': String(retryAfterSeconds) } : undefined },
  )
}

async function requireLink(token: unknown, context: unknown) {
  const checked = await checkIncidentLink(token, clientOf(context))
  if (!checked.ok) throw problemResponse(checked.problem, checked.retryAfterSeconds)
  return checked.access
}

export async function loader({ params, context }: LoaderFunctionArgs) {
  const access = await requireLink(params.token, context)
  const zone = getEnv().INSTITUTION_TIMEZONE
  return {
    institution: getEnv().INSTITUTION_NAME,
    vendorName: await linkVendorName(access),
    contactName: access.contactName,
    reports: await listLinkReports(access),
    now: toLocalDateTime(new Date(), zone),
    timeZone: zone,
  }
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const access = await requireLink(params.token, context)
  const limited = reportLimiter.hit(`report:${access.tokenHash}`)
  if (!limited.ok) return data({ ok: false as const, fieldErrors: {}, formError: 'incidents:errors.rateLimited' }, { status: 429, headers: { 'Retry-After': String(limited.retryAfterSeconds) } })
  const form = await readIncidentForm(request)
  if (!form.ok) return invalid(form.fieldErrors, undefined, form.status)
  const result = await reportIncident({ raw: form.raw, files: form.files, reporter: { kind: 'vendor', access } })
  if (!result.ok) return invalid(result.fieldErrors, result.formError, result.status === 404 ? 403 : result.status)
  return { ok: true as const, reference: result.reference, at: new Date().toISOString() }
}

function Frame({ institution, children }: { institution?: string; children: ReactNode }) {
  return <LinkPageFrame institution={institution}>{children}</LinkPageFrame>
}

export default function VendorIncidentReport() {
  const { t } = useTranslation('incidents')
  const loaded = useLoaderData<typeof loader>()
  const sent = useActionData<typeof action>() as { ok?: boolean; reference?: string; at?: string } | undefined
  const locale = useLocale()
  const { form, onSubmit, formError } = useValidatedForm(incidentReportSchema, {
    defaultValues: { occurredAt: loaded.now, detectedAt: loaded.now, notifiedAt: loaded.now, piCategories: [], recordCount: 0, customerCount: 0, cause: 'unknown', reporterName: loaded.contactName },
  })
  const when = (iso: string) => new Intl.DateTimeFormat(locale, { timeZone: loaded.timeZone, dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso))
  return (
    <Frame institution={loaded.institution}>
      <h1 className="text-2xl font-semibold text-slate-900">{t('portal.title')}</h1>
      <p className="mt-1 text-sm text-slate-600">{localized(loaded.vendorName, locale)}</p>
      <p className="mb-4 mt-2 text-sm text-slate-700">{t('portal.intro', { institution: loaded.institution })}</p>
      {sent?.ok && sent.reference ? (
        <p role="status" data-testid="incident-sent" className="mb-4 rounded-md border border-emerald-200 bg-emerald-50 px-4 py-3 text-sm text-emerald-900">
          {t('portal.sent', { reference: sent.reference, time: when(sent.at!), institution: loaded.institution })}
        </p>
      ) : (
        <Card>
          <FormErrorBanner message={formError} />
          <Form method="post" encType="multipart/form-data" noValidate onSubmit={onSubmit} className="flex flex-col gap-4">
            <IncidentFields form={form} timeZone={loaded.timeZone} />
            <div>
              <SubmitButton>{t('portal.submit')}</SubmitButton>
            </div>
          </Form>
        </Card>
      )}
      <section className="mt-6">
        <h2 className="mb-2 text-sm font-semibold text-slate-800">{t('portal.yourReports')}</h2>
        {loaded.reports.length === 0 ? (
          <p className="text-sm text-slate-500">{t('portal.noReports')}</p>
        ) : (
          <ul className="divide-y divide-slate-100 rounded-md border border-slate-200 bg-white text-sm">
            {loaded.reports.map((report) => (
              <li key={report.reference} className="flex items-center justify-between gap-2 px-3 py-2">
                <span>
                  <strong>{report.reference}</strong> {report.title} <span className="text-xs text-slate-500">{when(report.reportedAt)}</span>
                </span>
                <IncidentStatusBadge status={report.status} />
              </li>
            ))}
          </ul>
        )}
      </section>
    </Frame>
  )
}

export function ErrorBoundary() {
  const { t } = useTranslation('incidents')
  const error = useRouteError()
  const problem = isRouteErrorResponse(error) && error.data && typeof error.data === 'object' ? (error.data as { linkProblem?: IncidentLinkProblem; institution?: string }) : null
  const kind = problem?.linkProblem ?? 'invalid'
  return (
    <Frame institution={problem?.institution}>
      <div className="rounded-lg border border-slate-200 bg-white p-6" data-testid="incident-link-problem" data-problem={kind}>
        <h1 className="text-lg font-semibold text-slate-900">{t('portal.problemTitle')}</h1>
        <p className="mt-2 text-sm text-slate-700">{t(`portal.problem.${kind}`)}</p>
      </div>
    </Frame>
  )
}
