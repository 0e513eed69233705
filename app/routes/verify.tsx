// The public check of a printed report: no account needed. An auditor or regulator enters the
// short code from the footer or the full fingerprint from the cover, or scans the cover's QR
// code, and sees only what the report itself prints. Rate-limited per client.
import { data, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useLoaderData, useNavigation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { LanguageSwitch } from '~/components/app-shell'
import { FieldShell, inputClass } from '~/components/forms'
import { buttonClass } from '~/components/ui'
import { getEnv } from '~/env.server'
import { formatDateTime } from '~/modules/dates/dates'
import { verifyReportCode } from '~/modules/reports/issue.server'
import { formatFingerprint, formatShortCode } from '~/modules/reports/report-data'
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
  const navigation = useNavigation()
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
          <div>
            <button type="submit" className={buttonClass.primary} disabled={navigation.state !== 'idle'}>
              {t('verify.submit')}
            </button>
          </div>
        </Form>

        {result?.status === 'genuine' ? (
          <section className="mt-6 rounded-lg border border-emerald-300 bg-emerald-50 p-5" data-testid="verify-result" data-result="genuine" aria-live="polite">
            <h2 className="flex items-center gap-2 text-lg font-semibold text-emerald-900">
              <span aria-hidden="true">✓</span> {t('verify.valid')}
            </h2>
            <p className="mt-1 text-sm text-emerald-900">{t('publicVerify.validBody')}</p>
            <dl className="mt-4 grid gap-x-6 gap-y-2 text-sm sm:grid-cols-[max-content_1fr]">
              <dt className="font-medium text-slate-600">{t('verify.vendor')}</dt>
              <dd className="text-slate-900">
                {result.report.vendorName['zh-CN']}
                {result.report.vendorName.en && result.report.vendorName.en !== result.report.vendorName['zh-CN'] ? (
                  <span className="block text-slate-600">{result.report.vendorName.en}</span>
                ) : null}
              </dd>
              <dt className="font-medium text-slate-600">{t('verify.reportId')}</dt>
              <dd className="font-mono text-slate-900">{result.report.reportId}</dd>
              <dt className="font-medium text-slate-600">{t('verify.language')}</dt>
              <dd className="text-slate-900">{t(`common:language.${result.report.locale}`)}</dd>
              <dt className="font-medium text-slate-600">{t('verify.status')}</dt>
              <dd className="text-slate-900">{t(`pdf.assessmentStatus.${result.report.assessmentStatus}`, { defaultValue: result.report.assessmentStatus })}</dd>
              <dt className="font-medium text-slate-600">{t('publicVerify.signedOff')}</dt>
              <dd className="text-slate-900">{result.report.signedOffAt ? formatDateTime(result.report.signedOffAt, locale, timeZone) : t('pdf.draft')}</dd>
              <dt className="font-medium text-slate-600">{t('verify.controlScore')}</dt>
              <dd className="tabular-nums text-slate-900">{result.report.controlScore ?? t('pdf.summary.notScored')}</dd>
              <dt className="font-medium text-slate-600">{t('verify.residualRisk')}</dt>
              <dd className="text-slate-900">{result.report.residualRisk ? t(`pdf.residual.${result.report.residualRisk}`) : '—'}</dd>
              <dt className="font-medium text-slate-600">{t('verify.findings')}</dt>
              <dd className="tabular-nums text-slate-900">{result.report.findings}</dd>
              <dt className="font-medium text-slate-600">{t('publicVerify.issued')}</dt>
              <dd className="text-slate-900">{formatDateTime(result.report.issuedAt, locale, timeZone)}</dd>
              <dt className="font-medium text-slate-600">{t('publicVerify.shortCode')}</dt>
              <dd className="font-mono text-slate-900">{formatShortCode(result.report.fingerprint)}</dd>
              <dt className="font-medium text-slate-600">{t('verify.fingerprint')}</dt>
              <dd className="break-all font-mono text-xs text-slate-700">{formatFingerprint(result.report.fingerprint)}</dd>
            </dl>
          </section>
        ) : null}

        {result?.status === 'unknown' ? (
          <section className="mt-6 rounded-lg border border-red-300 bg-red-50 p-5" data-testid="verify-result" data-result="unknown" role="alert">
            <h2 className="flex items-center gap-2 text-lg font-semibold text-red-900">
              <span aria-hidden="true">✗</span> {t('publicVerify.notFound')}
            </h2>
            <p className="mt-1 text-sm text-red-900">{t('publicVerify.notFoundBody')}</p>
          </section>
        ) : null}

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
