// The sign-off's confirmation step: what is being approved (score, residual risk, knock-outs, open
// findings), then name, date, comment and an explicit confirmation. The write refuses a sign-off
// over any other state than the one summarised here (version and score hash).
import { readFormObject } from '~/modules/forms/read.server'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { redirect } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useId } from 'react'
import { useTranslation } from 'react-i18next'
import { Form, FormErrorBanner, SubmitButton, TextAreaField, TextField, useValidatedForm } from '~/components/forms'
import { Card } from '~/components/ui'
import { getLocale } from '~/i18n/i18n.server'
import { requireUser } from '~/modules/auth/session.server'
import { invalid } from '~/modules/forms/parse.server'
import { translateError } from '~/modules/forms/validation'
import { notFound } from '~/modules/http'
import { signOff } from '~/modules/review/review.server'
import { signOffSchema } from '~/modules/review/schemas'
import { RiskBadge, SeverityBadge } from '~/modules/review/ui/labels'
import { getReviewView } from '~/modules/review/view.server'
import { GeneralErrorBoundary } from '~/components/general-error-boundary'

export const meta: MetaFunction = () => [{ title: 'Sign-off · Clausewise' }]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, 'assessment:sign-off')
  const locale = await getLocale(request)
  const view = await getReviewView(params.assessmentId ?? '', locale, user)
  if (!view) throw notFound()
  if (view.assessment.status === 'completed') throw redirect(`/assessments/${view.assessment.id}/review`)
  const openFindings = view.findings.filter((finding) => finding.status === 'open' || finding.status === 'in_progress')
  return {
    assessment: view.assessment,
    score: view.score,
    overridden: view.clauses.filter((clause) => clause.override).map((clause) => ({ id: clause.id, title: clause.title, status: clause.status })),
    openFindings: openFindings.map((finding) => ({ id: finding.id, title: finding.title, severity: finding.severity })),
    readiness: view.signOffReadiness!,
    defaults: view.defaults,
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request, 'assessment:sign-off')
  const assessmentId = params.assessmentId ?? ''
  const result = await signOff(assessmentId, await readFormObject(request), user)
  if (!result.ok) return invalid(result.fieldErrors, result.formError, result.status)
  return redirect(`/assessments/${assessmentId}/review`)
}

export default function SignOffConfirmation() {
  const { t } = useTranslation('review')
  const { assessment, score, overridden, openFindings, readiness, defaults } = useLoaderData<typeof loader>()
  const { form, onSubmit, formError } = useValidatedForm(signOffSchema, {
    defaultValues: {
      intent: 'sign-off',
      version: String(assessment.version),
      scoreHash: readiness.scoreHash,
      name: defaults.signerName,
      date: defaults.today,
      comment: '',
    },
  })
  const confirmId = useId()
  const confirmError = form.formState.errors.confirm?.message as string | undefined
  const blockers = readiness.blockers
  return (
    <div className="mx-auto flex max-w-3xl flex-col gap-6" data-testid="sign-off-confirmation" data-ready={blockers.length === 0 ? 'yes' : 'no'}>
      <h2 className="text-lg font-semibold text-slate-900">{t('confirm.title', { vendor: assessment.vendorName })}</h2>
      <Card title={t('confirm.summary')}>
        <dl className="grid gap-3 text-sm sm:grid-cols-2" data-testid="sign-off-summary">
          <div>
            <dt className="text-slate-500">{t('score.control')}</dt>
            <dd className="text-lg font-semibold text-slate-900" data-testid="confirm-score">
              {score?.value === null || score?.value === undefined ? t('score.insufficient') : `${score.value} / 100`}
            </dd>
          </div>
          <div>
            <dt className="text-slate-500">{t('score.residual')}</dt>
            <dd data-testid="confirm-risk" data-risk={score?.residualRisk}>
              {score ? <RiskBadge risk={score.residualRisk} /> : '—'}
            </dd>
          </div>
          <div className="sm:col-span-2">
            <dt className="text-slate-500">{t('confirm.knockOuts')}</dt>
            <dd data-testid="confirm-knock-outs">
              {score && score.knockOutsFailed.length > 0
                ? score.knockOutsFailed.map((clause) => `${clause.id} ${clause.title}`).join('; ')
                : t('confirm.noKnockOuts')}
            </dd>
          </div>
          <div className="sm:col-span-2">
            <dt className="text-slate-500">{t('confirm.openFindings', { count: openFindings.length })}</dt>
            <dd>
              {openFindings.length === 0 ? (
                t('confirm.noOpenFindings')
              ) : (
                <ul className="mt-1 space-y-1" data-testid="confirm-findings">
                  {openFindings.map((finding) => (
                    <li key={finding.id} className="flex items-center gap-2">
                      <SeverityBadge severity={finding.severity} /> {finding.title}
                    </li>
                  ))}
                </ul>
              )}
            </dd>
          </div>
          <div className="sm:col-span-2">
            <dt className="text-slate-500">{t('confirm.overridden', { count: overridden.length })}</dt>
            <dd>{overridden.map((clause) => `${clause.id} → ${t(`clauseStatus.${clause.status}`)}`).join('; ') || '—'}</dd>
          </div>
        </dl>
      </Card>

      {blockers.length > 0 ? (
        <Card title={t('confirm.blocked')}>
          <ul className="ml-4 list-disc space-y-1 text-sm text-red-800" data-testid="sign-off-blockers">
            {blockers.map((blocker) => (
              <li key={blocker}>
                {blocker === 'undecidedClauses'
                  ? t('errors.undecidedClauses', { count: readiness.undecided.length })
                  : blocker === 'makerChecker'
                    ? t('errors.makerChecker', { tier: readiness.tier })
                    : t(`errors.${blocker}`)}
              </li>
            ))}
          </ul>
          <Link to={`/assessments/${assessment.id}/review`} className="mt-3 inline-block text-sm text-sky-800 underline">
            {t('confirm.back')}
          </Link>
        </Card>
      ) : (
        <Card title={t('signOff.title')}>
          <Form method="post" noValidate onSubmit={onSubmit} className="space-y-3" data-testid="sign-off-form">
            <FormErrorBanner message={formError} />
            <p className="text-sm text-slate-600">{t('signOff.intro')}</p>
            <input type="hidden" {...form.register('intent')} />
            <input type="hidden" {...form.register('version')} />
            <input type="hidden" {...form.register('scoreHash')} />
            <TextField form={form} name="name" defaultValue={defaults.signerName} label={t('signOff.name')} required autoComplete="name" />
            <TextField form={form} name="date" type="date" defaultValue={defaults.today} min={defaults.earliestSignOff} max={defaults.today} label={t('signOff.date')} required />
            <TextAreaField form={form} name="comment" label={t('signOff.comment')} required />
            <div>
              <label htmlFor={confirmId} className="flex items-start gap-2 text-sm font-medium text-slate-800">
                <input
                  id={confirmId}
                  type="checkbox"
                  value="on"
                  className="mt-0.5 h-4 w-4 rounded border-slate-300"
                  aria-invalid={confirmError ? true : undefined}
                  aria-describedby={confirmError ? `${confirmId}-error` : undefined}
                  {...form.register('confirm')}
                />
                {t('confirm.statement', { score: score?.value ?? '—', risk: score ? t(`risk.${score.residualRisk}`) : '—', findings: openFindings.length })}
              </label>
              {confirmError ? (
                <p id={`${confirmId}-error`} role="alert" className="mt-1 text-sm text-red-700">
                  {translateError(t, confirmError)}
                </p>
              ) : null}
            </div>
            <div className="flex items-center gap-3">
              <SubmitButton>{t('signOff.submit')}</SubmitButton>
              <Link to={`/assessments/${assessment.id}/review`} className="text-sm text-slate-600 underline">
                {t('confirm.back')}
              </Link>
            </div>
          </Form>
        </Card>
      )}
    </div>
  )
}

// An error here keeps the parent page's header and tabs around it.
export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
