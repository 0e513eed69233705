// The public check of a printed report: no account needed. An auditor or regulator enters the
// short code from the footer or the full fingerprint from the cover, or scans the cover's QR
// code, and sees only what the report itself prints. Rate-limited per client.
import { data, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { LanguageSwitch } from '~/components/app-shell'
import { FieldShell, inputClass } from '~/components/forms'
import { GenuineVerifyResult, UnknownVerifyResult, VerifyField, VerifySubmit } from '~/components/verify-result'
import { getEnv } from '~/env.server'
import { formatDateTime } from '~/modules/dates/dates'
import { verifyReportCode } from '~/modules/reports/issue.server'
import { formatShortCode } from '~/modules/reports/report-data'
import { verifySchema } from '~/modules/reports/schemas'
import { clientAddressOf, takeVerifyToken } from '~/modules/reports/verify-rate-limit.server'
import { useLocale } from '~/root'

export const meta: MetaFunction = () => [{ title: 'Clausewise · Verify a report / 核验报告' }]

export async function loader({ request, context }: LoaderFunctionArgs) {
  const env = getEnv()
  const base = { institution: env.INSTITUTION_NAME, timeZone: env.INSTITUTION_TIMEZONE }
  const raw = new URL(request.url).searchParams.get('code')
  if (raw === null) return { ...base, input: '', result: null }
  const input = raw.slice(0, 200)
  const limited = takeVerifyToken(clientAddressOf(context))
  if (!limited.ok) {
    return data(
      { ...base, input, result: { status: 'limited' as const, retryAfterSeconds: limited.retryAfterSeconds } },
      { status: 429, headers: { 'Retry-After': String(limited.retryAfterSeconds) } },
    )
  }
  const parsed = verifySchema.safeParse({ fingerprint: raw })
  const result = parsed.success ? await verifyReportCode(parsed.data.fingerprint) : ({ status: 'malformed' } as const)
  const status = result.status === 'malformed' ? 400 : result.status === 'unknown' ? 404 : 200
  return data({ ...base, input, result }, { status })
}

export default function PublicVerifyPage() {
  const { t } = useTranslation('reports')
  const { input, result, timeZone, institution } = useLoaderData<typeof loader>()
  const locale = useLocale()
  const error = result?.status === 'malformed' ? t('publicVerify.malformed') : undefined
  return (
    <div className="min-h-screen bg-slate-50 px-4 py-10">
      <div className="absolute right-4 top-4">
        <LanguageSwitch locale={locale} />
      </div>
      <main className="mx-auto max-w-2xl" data-testid="public-verify">
        <h1 className="text-2xl font-semibold text-slate-900">{t('publicVerify.title')}</h1>
        <p className="mt-1 text-sm text-slate-600">{t('publicVerify.subtitle', { institution })}</p>
        <Form method="get" className="mt-6 flex flex-col gap-3 rounded-xl border border-slate-200 bg-white p-5 shadow-sm" data-testid="verify-form">
          <FieldShell id="code" label={t('publicVerify.label')} hint={t('publicVerify.hint')} error={error} required>
            <input
              id="code"
              name="code"
              defaultValue={input}
              spellCheck={false}
              autoComplete="off"
              className={`${inputClass} font-mono`}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? 'code-hint code-error' : 'code-hint'}
              required
            />
          </FieldShell>
          <VerifySubmit />
        </Form>

        {result?.status === 'genuine' ? (
          <GenuineVerifyResult
            report={result.report}
            body={t('publicVerify.validBody')}
            residualRisk={result.report.residualRisk ? t(`pdf.residual.${result.report.residualRisk}`) : '—'}
            afterStatus={
              <VerifyField label={t('publicVerify.signedOff')} valueClassName="text-slate-900">
                {result.report.signedOffAt ? formatDateTime(result.report.signedOffAt, locale, timeZone) : t('pdf.draft')}
              </VerifyField>
            }
            beforeFingerprint={
              <>
                <VerifyField label={t('publicVerify.issued')} valueClassName="text-slate-900">
                  {formatDateTime(result.report.issuedAt, locale, timeZone)}
                </VerifyField>
                <VerifyField label={t('publicVerify.shortCode')} valueClassName="font-mono text-slate-900">
                  {formatShortCode(result.report.fingerprint)}
                </VerifyField>
              </>
            }
          />
        ) : null}

        {result?.status === 'unknown' ? <UnknownVerifyResult title={t('publicVerify.notFound')} body={t('publicVerify.notFoundBody')} /> : null}

        {result?.status === 'limited' ? (
          <section className="mt-6 rounded-lg border border-amber-300 bg-amber-50 p-5" data-testid="verify-result" data-result="limited" role="alert">
            <h2 className="text-lg font-semibold text-amber-900">{t('publicVerify.limited')}</h2>
            <p className="mt-1 text-sm text-amber-900">{t('publicVerify.limitedBody', { seconds: result.retryAfterSeconds })}</p>
          </section>
        ) : null}
      </main>
    </div>
  )
}
