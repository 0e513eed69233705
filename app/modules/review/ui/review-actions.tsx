// Where the review stands, the clarification requests to send, and the sign-off.
import { Link } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { FormErrorBanner, SubmitButton, TextAreaField, TextField } from '~/components/forms'
import { Card } from '~/components/ui'
import { sendClarificationSchema, startReviewSchema } from '../schemas'
import type { ReviewPageView } from '../view.server'
import { useFetcherForm } from './fetcher-form'
import { formatDate } from './labels'

const BANNER_STYLE: Record<string, string> = {
  invited: 'border-slate-200 bg-slate-50 text-slate-700',
  in_progress: 'border-slate-200 bg-slate-50 text-slate-700',
  submitted: 'border-sky-200 bg-sky-50 text-sky-900',
  under_review: 'border-sky-200 bg-sky-50 text-sky-900',
  clarification_requested: 'border-amber-200 bg-amber-50 text-amber-900',
  completed: 'border-emerald-200 bg-emerald-50 text-emerald-900',
  cancelled: 'border-slate-200 bg-slate-50 text-slate-700',
}

export function ReviewStatusBanner({ view }: { view: ReviewPageView }) {
  const { t, i18n } = useTranslation('review')
  const { assessment } = view
  const date = (value: string | null | undefined, withTime = false) => formatDate(value, i18n.language, view.timeZone, withTime)
  const reopened = view.questionnaires.flatMap((q) => q.sections.flatMap((s) => s.questions.filter((question) => question.reopened)))
  let message: string
  switch (assessment.status) {
    case 'submitted':
      message = t('banner.submitted', { name: assessment.submission?.name ?? '', title: assessment.submission?.title ?? '', date: date(assessment.submission?.at, true), count: assessment.submission?.count ?? 1 })
      break
    case 'under_review':
      message = t('banner.under_review', { name: assessment.reviewStartedBy ?? '', date: date(assessment.reviewStartedAt, true) })
      break
    case 'clarification_requested':
      message = t('banner.clarification_requested', { count: reopened.length, date: date(assessment.dueAt) })
      break
    case 'completed':
      message = t('banner.completed', { name: assessment.signOff?.byName ?? '', date: date(assessment.signOff?.at) })
      break
    default:
      message = t(`banner.${assessment.status === 'cancelled' ? 'cancelled' : 'notSubmitted'}`)
  }
  return (
    <div className={`rounded-lg border px-4 py-3 ${BANNER_STYLE[assessment.status] ?? BANNER_STYLE.invited}`} role="status" data-testid="review-banner">
      <div className="flex flex-wrap items-center gap-3">
        <p className="text-sm font-medium">{message}</p>
        {assessment.status === 'submitted' && view.permissions.review ? <StartReviewButton /> : null}
      </div>
      {assessment.status === 'completed' && assessment.signOff?.comment ? (
        <p className="mt-1 whitespace-pre-wrap text-sm" data-testid="sign-off-comment">
          {assessment.signOff.comment}
        </p>
      ) : null}
      {assessment.status === 'completed' ? <p className="mt-1 text-xs">{t('banner.immutable')}</p> : null}
    </div>
  )
}

function StartReviewButton() {
  const { t } = useTranslation('review')
  const { form, fetcher, onSubmit, formError } = useFetcherForm(startReviewSchema, { defaultValues: { intent: 'start' } })
  return (
    <fetcher.Form method="post" onSubmit={onSubmit} className="ml-auto">
      <FormErrorBanner message={formError} />
      <input type="hidden" {...form.register('intent')} />
      <SubmitButton>{t('banner.start')}</SubmitButton>
    </fetcher.Form>
  )
}

export function ClarificationPanel({ view }: { view: ReviewPageView }) {
  const { t, i18n } = useTranslation('review')
  const rounds = view.clarifications
  if (!view.permissions.review && rounds.length === 0) return null
  return (
    <Card title={t('clarify.title')}>
      {view.permissions.review ? <ClarificationForm view={view} /> : null}
      {rounds.length > 0 ? (
        <div className={view.permissions.review ? 'mt-4 border-t border-slate-100 pt-3' : ''}>
          <h3 className="text-xs font-semibold uppercase tracking-wide text-slate-500">{t('clarify.rounds')}</h3>
          <ul className="mt-2 space-y-2 text-sm" data-testid="clarification-rounds">
            {[...rounds].reverse().map((round) => (
              <li key={round.round}>
                <p className="font-medium text-slate-800">
                  {t('clarify.round', { round: round.round, date: formatDate(round.at, i18n.language, view.timeZone, true), name: round.byName })}
                </p>
                <ul className="ml-4 list-disc text-slate-700">
                  {round.questions.map((question) => (
                    <li key={question.questionId}>
                      <a href={`#q-${question.questionId}`} className="font-mono text-xs text-sky-800 underline">
                        {question.questionId}
                      </a>{' '}
                      {question.comment}
                    </li>
                  ))}
                </ul>
                <p className="text-xs text-slate-500">{t('clarify.notified', { emails: round.notified.join(', ') || '—' })}</p>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </Card>
  )
}

function ClarificationForm({ view }: { view: ReviewPageView }) {
  const { t } = useTranslation('review')
  const { form, fetcher, onSubmit, formError } = useFetcherForm(sendClarificationSchema, {
    defaultValues: { intent: 'send-clarification', respondBy: view.defaults.respondBy, message: '' },
  })
  if (view.drafts.length === 0) return <p className="text-sm text-slate-600">{t('clarify.noDrafts')}</p>
  return (
    <fetcher.Form method="post" noValidate onSubmit={onSubmit} className="space-y-3" data-testid="clarification-form">
      <FormErrorBanner message={formError} />
      <p className="text-sm text-slate-700">{t('clarify.drafts', { count: view.drafts.length })}</p>
      <ul className="ml-4 list-disc text-sm text-slate-700">
        {view.drafts.map((draft) => (
          <li key={draft.questionId}>
            <a href={`#q-${draft.questionId}`} className="font-mono text-xs text-sky-800 underline">
              {draft.questionId}
            </a>{' '}
            {draft.comment}
          </li>
        ))}
      </ul>
      <input type="hidden" {...form.register('intent')} />
      <TextField form={form} name="respondBy" type="date" min={view.defaults.today} defaultValue={view.defaults.respondBy} label={t('clarify.respondBy')} required />
      <TextAreaField form={form} name="message" label={t('clarify.message')} hint={t('clarify.messageHint')} />
      <SubmitButton>{t('clarify.send', { count: view.drafts.length })}</SubmitButton>
    </fetcher.Form>
  )
}

export function SignOffPanel({ view }: { view: ReviewPageView }) {
  const { t, i18n } = useTranslation('review')
  const { assessment } = view
  if (assessment.status === 'completed' && assessment.signOff) {
    return (
      <Card title={t('signOff.title')}>
        <dl className="space-y-1 text-sm" data-testid="sign-off-record">
          <div>
            <dt className="inline text-slate-500">{t('signOff.by')}: </dt>
            <dd className="inline font-medium text-slate-900">{assessment.signOff.byName}</dd>
          </div>
          <div>
            <dt className="inline text-slate-500">{t('signOff.date')}: </dt>
            <dd className="inline">{formatDate(assessment.signOff.at, i18n.language, view.timeZone)}</dd>
          </div>
          <div>
            <dt className="text-slate-500">{t('signOff.comment')}:</dt>
            <dd className="whitespace-pre-wrap">{assessment.signOff.comment}</dd>
          </div>
        </dl>
      </Card>
    )
  }
  if (!view.permissions.signOff && !(assessment.status === 'submitted' && view.signOffReadiness)) {
    if (assessment.status !== 'clarification_requested' || !view.permissions.review) return null
    return (
      <Card title={t('signOff.title')}>
        <p className="text-sm text-slate-600">{t('signOff.waiting')}</p>
      </Card>
    )
  }
  return <SignOffForm view={view} />
}

/** Where the sign-off stands; the sign-off itself is on its own confirmation page. */
function SignOffForm({ view }: { view: ReviewPageView }) {
  const { t } = useTranslation('review')
  const readiness = view.signOffReadiness
  const blockers = readiness?.blockers ?? []
  const unresolved = view.findings.filter((finding) => finding.status === 'open' || finding.status === 'in_progress').length
  return (
    <Card title={t('signOff.title')}>
      <div className="space-y-3" data-testid="sign-off-readiness" data-ready={blockers.length === 0 ? 'yes' : 'no'}>
        <p className="text-sm text-slate-600">{t('signOff.intro')}</p>
        {unresolved > 0 ? <p className="text-sm text-amber-800">{t('signOff.openFindings', { count: unresolved })}</p> : null}
        {blockers.length > 0 ? (
          <ul className="ml-4 list-disc space-y-1 text-sm text-red-800" data-testid="sign-off-blockers">
            {blockers.map((blocker) => (
              <li key={blocker}>
                {blocker === 'undecidedClauses'
                  ? t('errors.undecidedClauses', { count: readiness?.undecided.length ?? 0 })
                  : blocker === 'makerChecker'
                    ? t('errors.makerChecker', { tier: readiness?.tier ?? '' })
                    : t(`errors.${blocker}`)}
              </li>
            ))}
          </ul>
        ) : null}
        {readiness && readiness.undecided.length > 0 ? (
          <p className="text-xs text-slate-600">
            {readiness.undecided.map((clauseId) => (
              <a key={clauseId} href={`#clause-${clauseId}`} className="mr-2 font-mono text-sky-800 underline">
                {clauseId}
              </a>
            ))}
          </p>
        ) : null}
        {blockers.length === 0 ? (
          <Link to={`/assessments/${view.assessment.id}/sign-off`} className="inline-flex w-full justify-center rounded-md bg-sky-700 px-4 py-2 text-sm font-semibold text-white hover:bg-sky-800" data-testid="sign-off-continue">
            {t('signOff.continue')}
          </Link>
        ) : null}
      </div>
    </Card>
  )
}
