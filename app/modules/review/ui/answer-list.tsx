// The submitted answers, side by side with their evidence and the clauses they bear on, with the
// reviewer's decision per answer: accept, or request clarification with a comment.
import { useSearchParams } from '@remix-run/react'
import type { TFunction } from 'i18next'
import { useState, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { FormErrorBanner, SubmitButton, TextAreaField } from '~/components/forms'
import { Badge, Card } from '~/components/ui'
import { translateError } from '~/modules/forms/validation'
import { decideAnswerSchema } from '../schemas'
import type { ReviewPageView } from '../view.server'
import { useFetcherForm } from './fetcher-form'
import { ClauseStatusBadgeView, formatDate, usePageTranslation } from './labels'
import { OpenWithoutScript, useOpenHref } from './open-without-script'

type QuestionView = ReviewPageView['questionnaires'][number]['sections'][number]['questions'][number]

const FILTERS = ['all', 'undecided', 'clarification', 'gaps', 'changed'] as const
type Filter = (typeof FILTERS)[number]
type SinceLast = ReviewPageView['sinceLast']

/** Changed, new or no longer given since the last completed assessment ("unchanged" is not). */
function changedSinceLast(question: QuestionView, sinceLast: SinceLast) {
  const change = sinceLast?.answers[question.id]?.change
  return change !== undefined && change !== 'unchanged'
}

function matches(question: QuestionView, filter: Filter, sinceLast: SinceLast) {
  if (filter === 'changed') return changedSinceLast(question, sinceLast)
  if (filter === 'undecided') return question.decisionState === 'undecided' || question.decisionState === 'changed_since'
  if (filter === 'clarification') return question.decisionState === 'clarification_draft' || question.decisionState === 'clarification_sent' || question.reopened
  if (filter === 'gaps') return question.gaps.length > 0
  return true
}

const DECISION_TONE = {
  undecided: 'neutral',
  accepted: 'good',
  clarification_draft: 'warn',
  clarification_sent: 'warn',
  changed_since: 'info',
} as const

export function AnswerList({ view }: { view: ReviewPageView }) {
  const { t, locale } = usePageTranslation()
  const open = useOpenHref()
  // ?show=changed opens the page on the answers that changed since last time (a link can say so).
  const [searchParams] = useSearchParams()
  const filters = FILTERS.filter((f) => f !== 'changed' || view.sinceLast)
  const requested = searchParams.get('show') as Filter | null
  const [filter, setFilter] = useState<Filter>(requested && filters.includes(requested) ? requested : 'all')
  const all = view.questionnaires.flatMap((questionnaire) => questionnaire.sections.flatMap((section) => section.questions.filter((q) => q.visible)))
  const counts = Object.fromEntries(FILTERS.map((f) => [f, all.filter((q) => matches(q, f, view.sinceLast)).length])) as Record<Filter, number>
  return (
    <Card
      title={t('answers.title', { count: all.length })}
      actions={
        <label className="flex items-center gap-2 text-sm text-slate-600">
          {t('answers.show')}
          <select className="rounded-md border border-slate-300 px-2 py-1 text-sm" value={filter} onChange={(event) => setFilter(event.target.value as Filter)} data-testid="answer-filter">
            {filters.map((f) => (
              <option key={f} value={f}>
                {t(`answers.filter.${f}`, { count: counts[f] })}
              </option>
            ))}
          </select>
        </label>
      }
    >
      <div className="space-y-6" data-testid="answers">
        {view.questionnaires.map((questionnaire) => (
          <section key={questionnaire.id}>
            <h3 className="text-base font-semibold text-slate-900">
              {questionnaire.title} <span className="text-xs font-normal text-slate-500">v{questionnaire.version}</span>
            </h3>
            {questionnaire.sections.map((section) => {
              const questions = section.questions.filter((question) => question.visible && matches(question, filter, view.sinceLast))
              if (questions.length === 0) return null
              return (
                <div key={section.id} className="mt-3">
                  <h4 className="text-sm font-semibold uppercase tracking-wide text-slate-500">{section.title}</h4>
                  <ul className="mt-2 divide-y divide-slate-100 rounded-md border border-slate-200">
                    {questions.map((question) => (
                      <AnswerRow
                        key={question.id}
                        question={question}
                        view={view}
                        t={t}
                        locale={locale}
                        opened={open.opened === `q-${question.id}`}
                        openHref={open.href}
                      />
                    ))}
                  </ul>
                </div>
              )
            })}
          </section>
        ))}
      </div>
    </Card>
  )
}

type RowProps = { question: QuestionView; view: ReviewPageView; t: TFunction; locale: string }

/** Plain markup, translated by the list's page translator: one per answer. */
function AnswerRow({ question, view, t, locale, opened, openHref }: RowProps & { opened: boolean; openHref: (id: string) => string }) {
  return (
    <li id={`q-${question.id}`} className="grid gap-4 p-4 lg:grid-cols-12" data-testid={`answer-${question.id}`} data-decision={question.decisionState}>
      <div className="lg:col-span-5">
        <p className="text-sm text-slate-900">
          <span className="mr-2 font-mono text-xs text-slate-500">{question.id}</span>
          {question.text}
          {question.required ? <span className="ml-0.5 text-red-600" title={t('answers.required')}>*</span> : null}
        </p>
        <div className="mt-2 text-sm">
          {question.answered ? (
            question.answer.length > 0 ? (
              <p className="flex flex-wrap gap-1">
                {question.answer.map((value, i) => (
                  <span key={i} className="rounded bg-slate-100 px-2 py-0.5 font-medium text-slate-900">
                    {value}
                  </span>
                ))}
              </p>
            ) : null
          ) : (
            <p className="italic text-slate-500">{t('answers.unanswered')}</p>
          )}
          {question.comment ? <p className="mt-1 whitespace-pre-wrap text-slate-600">“{question.comment}”</p> : null}
          <LastTime question={question} view={view} t={t} locale={locale} />
          {question.updatedAt ? (
            <p className="mt-1 text-xs text-slate-500">
              {t('answers.by', { name: question.updatedBy ?? '—', date: formatDate(question.updatedAt, locale, view.timeZone, true) })}
            </p>
          ) : null}
        </div>
      </div>

      <div className="space-y-2 text-sm lg:col-span-3">
        <p className="text-xs font-semibold uppercase tracking-wide text-slate-500">{t('answers.evidence')}</p>
        {question.evidence.length === 0 ? (
          <p className="text-slate-500">{question.gaps.includes('missing_evidence') ? <Badge tone="bad">{t('answers.evidenceMissing')}</Badge> : t('answers.noEvidence')}</p>
        ) : (
          <ul className="space-y-1" data-testid="evidence">
            {question.evidence.map((file) => (
              <li key={file.fileId}>
                <a href={file.url} className="break-all text-sky-800 underline" download>
                  {file.filename}
                </a>{' '}
                <span className="text-xs text-slate-500">({Math.max(1, Math.round(file.size / 1024))} KB)</span>
                {file.expiresOn ? (
                  <span className="ml-1 text-xs text-slate-500" data-testid="evidence-expiry">
                    {file.expired ? <Badge tone="bad">{t('answers.evidenceExpired', { date: file.expiresOn })}</Badge> : t('answers.evidenceValidUntil', { date: file.expiresOn })}
                  </span>
                ) : null}
              </li>
            ))}
          </ul>
        )}
        {question.evidence.length > 0 && question.gaps.includes('missing_evidence') ? <Badge tone="bad">{t('answers.evidenceMissing')}</Badge> : null}
        <p className="pt-1 text-xs font-semibold uppercase tracking-wide text-slate-500">{t('answers.clauses')}</p>
        {question.effects.length > 0 ? (
          <ul className="space-y-1">
            {question.effects.map((effect) => (
              <li key={effect.clauseId} className={`flex flex-wrap items-center gap-1 ${effect.inContract ? '' : 'opacity-60'}`}>
                <a href={`#clause-${effect.clauseId}`} className="font-mono text-xs text-sky-800 underline" title={effect.title}>
                  {effect.clauseId}
                </a>
                <ClauseStatusBadgeView status={effect.effect} t={t} />
                {effect.inContract ? null : <span className="text-xs text-slate-500">{t('answers.notInContract')}</span>}
              </li>
            ))}
          </ul>
        ) : question.bearsOn.length > 0 ? (
          <p className="text-slate-600">{question.bearsOn.join(', ')}</p>
        ) : (
          <p className="text-slate-500">{t('answers.noClause')}</p>
        )}
      </div>

      <div className="space-y-2 lg:col-span-4">
        <div className="flex flex-wrap items-center gap-2">
          <Badge tone={DECISION_TONE[question.decisionState]}>{t(`decision.${question.decisionState}`)}</Badge>
          {question.reopened ? <Badge tone="warn">{t('answers.reopened')}</Badge> : null}
          {question.gaps.includes('missing_answer') ? <Badge tone="bad">{t('answers.missing')}</Badge> : null}
        </div>
        {question.decision ? (
          <p className="text-xs text-slate-600">
            {t('answers.decidedBy', { name: question.decision.byName, date: formatDate(question.decision.at, locale, view.timeZone, true) })}
            {question.decision.comment ? <span className="mt-0.5 block whitespace-pre-wrap text-sm text-slate-700">{question.decision.comment}</span> : null}
          </p>
        ) : null}
        {view.permissions.review ? <DecisionForm question={question} t={t} initiallyOpen={opened} openHref={openHref(`q-${question.id}`)} /> : null}
      </div>
    </li>
  )
}

/** Under an answer that differs from the last completed assessment: what was answered then. */
function LastTime({ question, view, t, locale }: RowProps) {
  const change = view.sinceLast?.answers[question.id]
  if (!change || change.change === 'unchanged') return null
  const date = formatDate(view.sinceLast!.previous.completedAt, locale, view.timeZone)
  return (
    <p className="mt-1 rounded border-l-2 border-amber-400 bg-amber-50 px-2 py-1 text-xs text-slate-700" data-testid="last-time" data-change={change.change}>
      <span className="font-semibold">{t(`sinceLast.${change.change}`)}</span>{' '}
      {change.change === 'new' ? t('sinceLast.notAnswered', { date }) : t('sinceLast.lastTime', { date, answer: change.previous.join(', ') || '—' })}
    </p>
  )
}

/**
 * One per answer, so it must be cheap: closed, it has no form at all (without JavaScript, a link
 * to the page with this form open); the validated form with its fetcher is mounted only once the
 * reviewer opens it.
 */
function DecisionForm({ question, t, initiallyOpen, openHref }: { question: QuestionView; t: TFunction; initiallyOpen: boolean; openHref: string }) {
  const [open, setOpen] = useState(initiallyOpen)
  return (
    <details open={open} onToggle={(event) => setOpen((event.target as HTMLDetailsElement).open)} className="text-sm" data-testid="decision">
      <summary className="cursor-pointer font-medium text-sky-800">{t('answers.decide')}</summary>
      {open ? <OpenDecisionForm question={question} onDone={() => setOpen(false)} /> : <OpenWithoutScript href={openHref} label={t('answers.openWithoutScript')} />}
    </details>
  )
}

function DecisionFields({ question, radios, comment }: { question: QuestionView; radios: (value: 'accepted' | 'clarification') => object; comment: ReactNode }) {
  const { t } = useTranslation('review')
  return (
    <>
      {/* The revision the reviewer is looking at: a decision on an answer changed since is refused. */}
      <input type="hidden" name="answerRev" value={String(question.rev)} />
      <fieldset>
        <legend className="sr-only">{t('answers.decision')}</legend>
        <div className="flex flex-wrap gap-4">
          <label className="flex items-center gap-2">
            <input type="radio" value="accepted" {...radios('accepted')} /> {t('answers.accept')}
          </label>
          <label className="flex items-center gap-2">
            <input type="radio" value="clarification" {...radios('clarification')} /> {t('answers.clarify')}
          </label>
        </div>
      </fieldset>
      {comment}
    </>
  )
}

function OpenDecisionForm({ question, onDone }: { question: QuestionView; onDone: () => void }) {
  const { t } = useTranslation('review')
  const { form, fetcher, onSubmit, formError } = useFetcherForm(decideAnswerSchema, {
    defaultValues: { intent: 'decide', questionId: question.id, answerRev: String(question.rev), decision: 'accepted', comment: '' },
    onDone,
  })
  const decisionError = form.formState.errors.decision?.message as string | undefined
  return (
    <fetcher.Form method="post" noValidate onSubmit={onSubmit} className="mt-2 space-y-2">
      <FormErrorBanner message={formError} />
      <input type="hidden" {...form.register('intent')} />
      <input type="hidden" {...form.register('questionId')} />
      <DecisionFields
        question={question}
        radios={() => form.register('decision')}
        comment={
          <>
            {decisionError ? <p className="text-sm text-red-700">{translateError(t, decisionError)}</p> : null}
            <TextAreaField form={form} name="comment" label={t('answers.comment')} hint={t('answers.commentHint')} />
          </>
        }
      />
      <SubmitButton>{t('answers.save')}</SubmitButton>
    </fetcher.Form>
  )
}
