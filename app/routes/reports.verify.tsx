import { data, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { FieldShell, inputClass } from '~/components/forms'
import { ButtonLink, Card, PageHeader } from '~/components/ui'
import { GenuineVerifyResult, UnknownVerifyResult, VerifyField, VerifySubmit } from '~/components/verify-result'
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
          <VerifySubmit />
        </Form>
      </Card>

      {result?.status === 'genuine' ? (
        <GenuineVerifyResult
          report={result.report}
          body={t('verify.validBody')}
          residualRisk={result.report.residualRisk ? t(`glossary:risk.${result.report.residualRisk}`) : '—'}
          afterVendor={
            <VerifyField label={t('verify.assessment')}>
              <Link to={result.report.subjectPath} className="text-sky-800 underline">
                {t('verify.openAssessment')}
              </Link>{' '}
              <span className="font-mono text-xs text-slate-500">{result.report.assessmentId}</span>
            </VerifyField>
          }
          beforeFingerprint={
            <>
              <VerifyField label={t('verify.firstIssued')} valueClassName="text-slate-900">
                {formatDateTime(result.report.firstIssuedAt, locale, timeZone)} · {t('verify.issuedBy')} {result.report.firstIssuedBy}
              </VerifyField>
              <VerifyField label={t('verify.lastIssued')} valueClassName="text-slate-900">
                {formatDateTime(result.report.lastIssuedAt, locale, timeZone)} · {t('verify.issuedBy')} {result.report.lastIssuedBy}
              </VerifyField>
              <VerifyField label={t('verify.downloads')} valueClassName="tabular-nums text-slate-900">
                {result.report.downloads}
              </VerifyField>
            </>
          }
        />
      ) : null}

      {result?.status === 'unknown' ? (
        <UnknownVerifyResult title={t('verify.invalid')} body={t('verify.invalidBody')}>
          <p className="mt-3 break-all font-mono text-xs text-red-800">{formatFingerprint(result.fingerprint)}</p>
        </UnknownVerifyResult>
      ) : null}
    </div>
  )
}
