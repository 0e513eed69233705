import { data, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData, useNavigation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { FieldShell, inputClass } from '~/components/forms'
import { ButtonLink, Card, PageHeader, buttonClass } from '~/components/ui'
import { getEnv } from '~/env.server'
import { useLocale } from '~/root'
import { formatDateTime } from '~/modules/dates/dates'
import { can } from '~/modules/auth/roles'
import { requireUser } from '~/modules/auth/session.server'
import { verifyFingerprint } from '~/modules/reports/issue.server'
import { formatFingerprint } from '~/modules/reports/report-data'
import { verifySchema } from '~/modules/reports/schemas'

export const meta: MetaFunction = () => [{ title: 'Clausewise · Verify a report' }]

// Anyone signed in may check a fingerprint: it tells whether a printed copy is one this system issued.
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request, 'portal:read')
  const timeZone = getEnv().INSTITUTION_TIMEZONE
  const canDownload = can(user.role, 'report:download')
  const raw = new URL(request.url).searchParams.get('fingerprint')
  if (raw === null) return { input: '', result: null, timeZone, canDownload }
  const parsed = verifySchema.safeParse({ fingerprint: raw })
  const result = parsed.success ? await verifyFingerprint(parsed.data.fingerprint) : ({ status: 'malformed' } as const)
  return data({ input: raw.slice(0, 200), result, timeZone, canDownload }, { status: result.status === 'malformed' ? 400 : 200 })
}

export default function VerifyReportPage() {
  const { t } = useTranslation('reports')
  const { input, result, timeZone, canDownload } = useLoaderData<typeof loader>()
  const locale = useLocale()
  const navigation = useNavigation()
  const error = result?.status === 'malformed' ? t('verify.malformed') : undefined
  return (
    <div className="max-w-3xl">
      <PageHeader
        title={t('verify.title')}
        subtitle={t('verify.subtitle')}
        actions={
          canDownload ? (
            <ButtonLink to="/reports/batch" variant="secondary">
              {t('verify.batchLink')}
            </ButtonLink>
          ) : null
        }
      />
      <Card>
        <Form method="get" className="flex flex-col gap-3" data-testid="verify-form">
          <FieldShell id="fingerprint" label={t('verify.label')} hint={t('verify.hint')} error={error} required>
            <textarea
              id="fingerprint"
              name="fingerprint"
              rows={2}
              defaultValue={input}
              spellCheck={false}
              autoComplete="off"
              className={`${inputClass} font-mono`}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? 'fingerprint-hint fingerprint-error' : 'fingerprint-hint'}
              required
            />
          </FieldShell>
          <div>
            <button type="submit" className={buttonClass.primary} disabled={navigation.state !== 'idle'}>
              {t('verify.submit')}
            </button>
          </div>
        </Form>
      </Card>

      {result?.status === 'genuine' ? (
        <section className="mt-6 rounded-lg border border-emerald-300 bg-emerald-50 p-5" data-testid="verify-result" data-result="genuine" aria-live="polite">
          <h2 className="flex items-center gap-2 text-lg font-semibold text-emerald-900">
            <span aria-hidden="true">✓</span> {t('verify.valid')}
          </h2>
          <p className="mt-1 text-sm text-emerald-900">{t('verify.validBody')}</p>
          <dl className="mt-4 grid gap-x-6 gap-y-2 text-sm sm:grid-cols-[max-content_1fr]">
            <dt className="font-medium text-slate-600">{t('verify.vendor')}</dt>
            <dd className="text-slate-900">
              {result.report.vendorName['zh-CN']}
              {result.report.vendorName.en && result.report.vendorName.en !== result.report.vendorName['zh-CN'] ? (
                <span className="block text-slate-600">{result.report.vendorName.en}</span>
              ) : null}
            </dd>
            <dt className="font-medium text-slate-600">{t('verify.assessment')}</dt>
            <dd>
              <Link to={result.report.subjectPath} className="text-sky-800 underline">
                {t('verify.openAssessment')}
              </Link>{' '}
              <span className="font-mono text-xs text-slate-500">{result.report.assessmentId}</span>
            </dd>
            <dt className="font-medium text-slate-600">{t('verify.reportId')}</dt>
            <dd className="font-mono text-slate-900">{result.report.reportId}</dd>
            <dt className="font-medium text-slate-600">{t('verify.language')}</dt>
            <dd className="text-slate-900">{t(`common:language.${result.report.locale}`)}</dd>
            <dt className="font-medium text-slate-600">{t('verify.status')}</dt>
            <dd className="text-slate-900">{t(`pdf.assessmentStatus.${result.report.assessmentStatus}`, { defaultValue: result.report.assessmentStatus })}</dd>
            <dt className="font-medium text-slate-600">{t('verify.controlScore')}</dt>
            <dd className="tabular-nums text-slate-900">{result.report.controlScore ?? t('pdf.summary.notScored')}</dd>
            <dt className="font-medium text-slate-600">{t('verify.residualRisk')}</dt>
            <dd className="text-slate-900">{result.report.residualRisk ? t(`glossary:risk.${result.report.residualRisk}`) : '—'}</dd>
            <dt className="font-medium text-slate-600">{t('verify.findings')}</dt>
            <dd className="tabular-nums text-slate-900">{result.report.findings}</dd>
            <dt className="font-medium text-slate-600">{t('verify.firstIssued')}</dt>
            <dd className="text-slate-900">
              {formatDateTime(result.report.firstIssuedAt, locale, timeZone)} · {t('verify.issuedBy')} {result.report.firstIssuedBy}
            </dd>
            <dt className="font-medium text-slate-600">{t('verify.lastIssued')}</dt>
            <dd className="text-slate-900">
              {formatDateTime(result.report.lastIssuedAt, locale, timeZone)} · {t('verify.issuedBy')} {result.report.lastIssuedBy}
            </dd>
            <dt className="font-medium text-slate-600">{t('verify.downloads')}</dt>
            <dd className="tabular-nums text-slate-900">{result.report.downloads}</dd>
            <dt className="font-medium text-slate-600">{t('verify.fingerprint')}</dt>
            <dd className="break-all font-mono text-xs text-slate-700">{formatFingerprint(result.report.fingerprint)}</dd>
          </dl>
        </section>
      ) : null}

      {result?.status === 'unknown' ? (
        <section className="mt-6 rounded-lg border border-red-300 bg-red-50 p-5" data-testid="verify-result" data-result="unknown" role="alert">
          <h2 className="flex items-center gap-2 text-lg font-semibold text-red-900">
            <span aria-hidden="true">✗</span> {t('verify.invalid')}
          </h2>
          <p className="mt-1 text-sm text-red-900">{t('verify.invalidBody')}</p>
          <p className="mt-3 break-all font-mono text-xs text-red-800">{formatFingerprint(result.fingerprint)}</p>
        </section>
      ) : null}
    </div>
  )
}
