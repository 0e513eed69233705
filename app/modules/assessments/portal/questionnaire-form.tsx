// The vendor questionnaire: sections with a side navigation, a progress bar, live conditional
// questions, and every change autosaved (see ../autosave.ts for the guarantees).
import { zodResolver } from '@hookform/resolvers/zod'
import { Link } from '@remix-run/react'
import { useCallback, useEffect, useMemo, useState } from 'react'
import { useForm, useWatch } from 'react-hook-form'
import { useTranslation } from 'react-i18next'
import { buttonClass } from '~/components/ui'
import { localized, type Locale } from '~/i18n/locales'
import type { Question } from '~/modules/library/content-schema'
import { indexAssessment } from '~/modules/scoring/question-index'
import { answerValueSchema, commentSchema, questionnaireFormSchema } from '../answer-schema'
import type { PortalView } from '../portal.server'
import { needsEvidence, progressOf, sectionsOf, visibleQuestionIds } from '../questions'
import type { AnswerValue } from '../vocabulary'
import { QuestionField, type EvidenceView, type QuestionnaireFormInput, type QuestionnaireFormOutput } from './question-field'
import type { ReusableDocumentView, UploadOutcome } from './document-upload'
import type { DocumentFields } from '~/modules/documents/documents'
import { SaveStatus } from './save-status'
import { portalState } from './state'
import { PortalStateBanner } from './state-banner'
import { useAutosave } from './use-autosave'
import { dateTimeFormat } from '~/modules/formatting/date-format'

type FormValue = string | string[]

/** What an input shows for a stored value (inputs hold text; checkbox groups hold arrays). */
function toInput(question: Question, value: AnswerValue | undefined): FormValue {
  if (question.kind === 'multi_choice') return Array.isArray(value) ? value : []
  if (value === null || value === undefined) return ''
  return Array.isArray(value) ? value.join(',') : String(value)
}

export function QuestionnaireForm({ view, token, locale }: { view: Jsonify<PortalView> & { reusableDocuments?: ReusableDocumentView[] }; token: string; locale: Locale }) {
  const { t } = useTranslation('vendorPortal')
  const questionnaires: PortalView['questionnaires'] = view.questionnaires
  const sections = useMemo(() => sectionsOf(questionnaires), [questionnaires])
  const entries = useMemo(() => indexAssessment(questionnaires), [questionnaires])
  const schema = useMemo(() => questionnaireFormSchema(questionnaires), [questionnaires])
  const valueSchemas = useMemo(() => new Map(entries.questions.map((entry) => [entry.question.id, answerValueSchema(entry.question)])), [entries])
  const revs = useMemo(() => Object.fromEntries(Object.entries(view.answers).map(([id, answer]) => [id, answer.rev])), [view.answers])
  const { queue, snapshot } = useAutosave(token, revs)

  // Answers are keyed by question id, known only at run time: the form is addressed by field name.
  const form = useForm<QuestionnaireFormInput, unknown, QuestionnaireFormOutput>({
    resolver: zodResolver(schema),
    mode: 'onChange',
    defaultValues: {
      answers: Object.fromEntries(
        entries.questions.map(({ question }) => [question.id, { value: toInput(question, view.answers[question.id]?.value as AnswerValue), comment: view.answers[question.id]?.comment ?? '' }]),
      ),
    },
  })
  const [evidence, setEvidence] = useState<Record<string, EvidenceView[]>>(() => Object.fromEntries(Object.entries(view.answers).map(([id, answer]) => [id, answer.evidence])))
  // Answers pre-filled from the last assessment and not yet confirmed or edited: question id → when.
  const [carried, setCarried] = useState<Record<string, string>>(() =>
    Object.fromEntries(Object.entries(view.answers).flatMap(([id, answer]) => (answer.carriedFrom ? [[id, answer.carriedFrom.at]] : []))),
  )
  const [confirming, setConfirming] = useState<'idle' | 'busy' | 'failed'>('idle')
  // The section just confirmed ("questionnaire/section"), so the page says it was done.
  const [confirmedSection, setConfirmedSection] = useState<string | null>(null)

  // The answers as the rules see them: the typed text parsed exactly as the server will parse it.
  const raw = useWatch({ control: form.control, name: 'answers' })
  const lookup = useMemo(() => {
    const result: Record<string, { value: AnswerValue; evidence: EvidenceView[] }> = {}
    for (const [id, schemaOf] of valueSchemas) {
      const parsed = schemaOf.safeParse(raw?.[id]?.value)
      result[id] = { value: parsed.success ? parsed.data : null, evidence: evidence[id] ?? [], ...(carried[id] ? { carriedFrom: { at: carried[id] } } : {}) }
    }
    return result
  }, [raw, evidence, valueSchemas, carried])
  const visible = useMemo(() => visibleQuestionIds(questionnaires, lookup), [questionnaires, lookup])
  const progress = useMemo(() => progressOf(questionnaires, lookup), [questionnaires, lookup])

  // Every edit the vendor makes (not values set by the page itself) is validated, then queued.
  useEffect(() => {
    const subscription = form.watch((values, { name, type }) => {
      if (type !== 'change' || !name) return
      const questionId = name.split('.')[1]
      if (!questionId) return
      // An edited carried answer is the vendor's own from now on (the save clears the mark too).
      setCarried((current) => {
        if (!(questionId in current)) return current
        const { [questionId]: _edited, ...rest } = current
        return rest
      })
      void form.trigger(`answers.${questionId}`).then((valid) => {
        if (!valid) return
        const current = form.getValues('answers')[questionId]
        const value = valueSchemas.get(questionId)?.safeParse(current?.value)
        const comment = commentSchema.safeParse(current?.comment)
        if (value?.success && comment.success) queue.edit(questionId, { value: value.data, comment: comment.data as string | null })
      })
    })
    return () => subscription.unsubscribe()
  }, [form, queue, valueSchemas])

  const resolveConflict = useCallback(
    (questionId: string, choice: 'theirs' | 'mine') => {
      const chosen = queue.resolveConflict(questionId, choice)
      const entry = entries.questions[entries.byId.get(questionId)!]
      if (chosen && entry) {
        form.setValue(`answers.${questionId}.value`, toInput(entry.question, chosen.value), { shouldValidate: true })
        form.setValue(`answers.${questionId}.comment`, chosen.comment ?? '')
      }
    },
    [entries, form, queue],
  )

  // Documents of earlier assessments still offered for reuse (one leaves the list once attached).
  const [reusable, setReusable] = useState<ReusableDocumentView[]>(() => (view.reusableDocuments ?? []) as ReusableDocumentView[])

  const sendEvidence = useCallback(
    async (questionId: string, init: RequestInit): Promise<UploadOutcome> => {
      try {
        const response = await fetch(`/v/${token}/evidence`, { method: 'POST', ...init, headers: { Accept: 'application/json', ...(init.headers ?? {}) } })
        const result = (await response.json().catch(() => null)) as { ok?: boolean; evidence?: EvidenceView[]; fieldErrors?: Record<string, string[]>; linkProblem?: string; locked?: boolean } | null
        if (response.ok && result?.evidence) {
          setEvidence((current) => ({ ...current, [questionId]: result.evidence! }))
          const attached = new Set(result.evidence.map((file) => file.fileId))
          setReusable((current) => current.filter((document) => !attached.has(document.fileId)))
          return null
        }
        if (result?.fieldErrors) return { fieldErrors: result.fieldErrors }
        if (result?.linkProblem || result?.locked) return { error: 'vendorPortal:errors.locked' }
        return { error: 'vendorPortal:errors.uploadFailed' }
      } catch {
        return { error: 'vendorPortal:errors.uploadFailed' }
      }
    },
    [token],
  )

  const upload = useCallback(
    (questionId: string, file: File, fields: DocumentFields) => {
      const body = new FormData()
      body.set('questionId', questionId)
      body.set('kind', fields.kind)
      if (fields.issuedOn) body.set('issuedOn', fields.issuedOn)
      if (fields.expiresOn) body.set('expiresOn', fields.expiresOn)
      body.set('file', file)
      return sendEvidence(questionId, { body })
    },
    [sendEvidence],
  )

  const reuse = useCallback(
    (questionId: string, fileId: string) =>
      sendEvidence(questionId, { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ intent: 'reuse', questionId, fileId }) }),
    [sendEvidence],
  )

  const removeEvidence = useCallback(
    async (questionId: string, fileId: string) => {
      const response = await fetch(`/v/${token}/evidence`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({ intent: 'remove', questionId, fileId }),
      }).catch(() => null)
      const result = (await response?.json().catch(() => null)) as { evidence?: EvidenceView[] } | null
      if (response?.ok && result?.evidence) setEvidence((current) => ({ ...current, [questionId]: result.evidence! }))
    },
    [token],
  )

  /** "Nothing changed in this section": waits for pending saves, then confirms the rest at once. */
  const confirmSection = useCallback(
    async (questionnaireId: string, sectionId: string) => {
      setConfirming('busy')
      await queue.flush()
      const response = await fetch(`/v/${token}/confirm`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({ questionnaireId, sectionId }),
      }).catch(() => null)
      const result = (await response?.json().catch(() => null)) as { ok?: boolean; confirmed?: string[]; revs?: Record<string, number> } | null
      if (!response?.ok || !result?.ok) return setConfirming('failed')
      for (const [questionId, rev] of Object.entries(result.revs ?? {})) queue.acknowledge(questionId, rev)
      setCarried((current) => Object.fromEntries(Object.entries(current).filter(([questionId]) => !result.confirmed?.includes(questionId))))
      setConfirmedSection(`${questionnaireId}/${sectionId}`)
      setConfirming('idle')
    },
    [queue, token],
  )

  // One section at a time; the address keeps it (#section) so a reload returns to the same place.
  const [current, setCurrent] = useState(0)
  useEffect(() => {
    const fromHash = sections.findIndex(({ section }) => `#${section.id}` === window.location.hash)
    // In a clarification round, open where the first reopened question is.
    const reopened = Array.isArray(view.editable) ? view.editable : []
    const firstReopened = sections.findIndex(({ section }) => section.questions.some((question) => reopened.includes(question.id)))
    if (fromHash >= 0) setCurrent(fromHash)
    else if (firstReopened >= 0) setCurrent(firstReopened)
  }, [sections, view.editable])
  const go = (index: number) => {
    setCurrent(index)
    window.history.replaceState(null, '', `#${sections[index].section.id}`)
    window.scrollTo({ top: 0 })
  }

  const editableSet = view.editable === 'all' ? null : new Set(view.editable)
  const canEdit = (id: string) => editableSet === null || editableSet.has(id)
  const state = portalState({ editable: view.editable, submitted: view.submission !== null })
  const readOnly = state.kind === 'submitted' || state.kind === 'closed'
  let numbering = 0
  const numbers = new Map<string, string>()
  sections.forEach(({ section }, sectionIndex) => {
    numbering = 0
    for (const question of section.questions) if (visible.has(question.id)) numbers.set(question.id, `${sectionIndex + 1}.${++numbering}`)
  })
  // Per section from the same pure count as the total, so a ✓ means answers AND evidence are there.
  const sectionStats = sections.map(
    ({ questionnaire, section }) =>
      progress.sections.find((entry) => entry.questionnaireId === questionnaire.id && entry.sectionId === section.id) ?? { done: 0, total: 0, missing: [], missingEvidence: [], mayAppear: 0, toConfirm: [] as string[] },
  )
  const active = sections[current]
  const activeStat = sectionStats[current]

  return (
    <div className="lg:grid lg:grid-cols-[16rem_1fr] lg:gap-8">
      <aside className="mb-4 lg:mb-0">
        <div className="lg:sticky lg:top-4">
          <ProgressSummary percent={progress.percent} answered={progress.answered} required={progress.required} mayAppear={progress.mayAppear} evidenceMissing={progress.missingEvidence.length} toConfirm={progress.toConfirm} />
          <nav aria-label={t('questionnaire.sections')} className="mt-4">
            <ol className="flex gap-2 overflow-x-auto pb-2 lg:flex-col lg:gap-1 lg:overflow-visible lg:pb-0" data-testid="section-nav">
              {sections.map(({ questionnaire, section }, index) => {
                const stat = sectionStats[index]
                const complete = stat.total > 0 && stat.done === stat.total
                const startsQuestionnaire = sections.length > 0 && (index === 0 || sections[index - 1].questionnaire.id !== questionnaire.id)
                return (
                  <li key={`${questionnaire.id}-${section.id}`} className="shrink-0">
                    {startsQuestionnaire && questionnaires.length > 1 ? (
                      <p className={`hidden px-3 pb-1 text-xs font-semibold uppercase tracking-wide text-slate-500 lg:block ${index > 0 ? 'pt-3' : ''}`}>{localized(questionnaire.title, locale)}</p>
                    ) : null}
                    <button
                      type="button"
                      onClick={() => go(index)}
                      aria-current={index === current ? 'step' : undefined}
                      className={`flex w-full items-center justify-between gap-3 rounded-md px-3 py-2 text-left text-sm ${index === current ? 'bg-sky-700 text-white' : 'bg-white text-slate-700 ring-1 ring-inset ring-slate-200 hover:bg-slate-50 lg:bg-transparent lg:ring-0'}`}
                    >
                      <span className="whitespace-nowrap lg:whitespace-normal">
                        {index + 1}. {localized(section.title, locale)}
                      </span>
                      <span className={`whitespace-nowrap text-xs ${index === current ? 'text-sky-100' : complete ? 'text-emerald-700' : 'text-slate-500'}`}>
                        {editableSet && editableSet.size > 0 && section.questions.some((question) => editableSet.has(question.id)) ? (
                          <span className={`mr-1.5 inline-block h-2 w-2 rounded-full ${index === current ? 'bg-white' : 'bg-sky-600'}`} aria-label={t('question.reopened')} />
                        ) : null}
                        <span aria-label={t('progress.sectionStatus', { done: stat.done, total: stat.total })} data-testid="section-status">
                          {complete ? '✓' : `${stat.done}/${stat.total}`}
                          {stat.missingEvidence.length > 0 ? <span className="ml-1" aria-hidden="true">📎{stat.missingEvidence.length}</span> : null}
                        </span>
                      </span>
                    </button>
                  </li>
                )
              })}
            </ol>
          </nav>
        </div>
      </aside>

      <div>
        <div className="sticky top-0 z-10 -mx-4 mb-4 flex items-center justify-between gap-3 border-b border-slate-200 bg-slate-50/95 px-4 py-2 backdrop-blur sm:mx-0 sm:rounded-md sm:border">
          <p className="truncate text-sm font-semibold text-slate-700">{localized(active.questionnaire.title, locale)}</p>
          <SaveStatus snapshot={snapshot} readOnly={readOnly} onRetry={() => void queue.retryNow()} />
        </div>
        {state.kind === 'open' ? null : (
          <div className="mb-4">
            <PortalStateBanner state={state} submission={view.submission} clarification={view.clarification} institution={view.institution} locale={locale} timeZone={view.timeZone} />
          </div>
        )}

        <section aria-labelledby="section-title">
          <h2 id="section-title" className="text-xl font-semibold text-slate-900">
            {current + 1}. {localized(active.section.title, locale)}
          </h2>
          {active.section.description ? <p className="mt-1 text-sm text-slate-600">{localized(active.section.description, locale)}</p> : null}
          {!readOnly && activeStat.total > 0 ? (
            <p className={`mt-2 text-sm ${activeStat.done === activeStat.total ? 'text-emerald-700' : 'text-slate-600'}`} data-testid="section-remaining">
              {activeStat.done === activeStat.total
                ? t('progress.sectionDone')
                : t('progress.sectionRemaining', {
                    list: [
                      activeStat.missing.length ? t('progress.remainingAnswers', { count: activeStat.missing.length }) : null,
                      activeStat.missingEvidence.length ? t('progress.remainingEvidence', { count: activeStat.missingEvidence.length }) : null,
                    ]
                      .filter(Boolean)
                      .join(t('progress.separator')),
                  })}
            </p>
          ) : null}
          {!readOnly && activeStat.toConfirm.length > 0 ? (
            <div className="mt-3 flex flex-wrap items-center justify-between gap-3 rounded-md border border-amber-300 bg-amber-50 px-4 py-3" data-testid="carry-over-notice">
              <p className="max-w-prose text-sm text-amber-900">
                {t('carryOver.sectionNotice', { count: activeStat.toConfirm.length, date: formatDay(carried[activeStat.toConfirm[0]], locale, view.timeZone) })}
                {confirming === 'failed' ? <span className="ml-1 font-medium text-red-700">{t('carryOver.confirmFailed')}</span> : null}
              </p>
              <button
                type="button"
                className={buttonClass.secondary}
                disabled={confirming === 'busy'}
                onClick={() => void confirmSection(active.questionnaire.id, active.section.id)}
                data-testid="confirm-section"
              >
                {confirming === 'busy' ? t('carryOver.confirming') : t('carryOver.confirmSection')}
              </button>
            </div>
          ) : null}
          {confirmedSection === `${active.questionnaire.id}/${active.section.id}` && activeStat.toConfirm.length === 0 ? (
            <p role="status" className="mt-3 text-sm font-medium text-emerald-700" data-testid="section-confirmed">
              {t('carryOver.sectionConfirmed')}
            </p>
          ) : null}
          <form className="mt-4 flex flex-col gap-4" onSubmit={(event) => event.preventDefault()} noValidate>
            {active.section.questions
              .filter((question) => visible.has(question.id))
              .map((question) => {
                const entry = entries.questions[entries.byId.get(question.id)!]
                return (
                  <QuestionField
                    key={question.id}
                    form={form}
                    question={question}
                    number={numbers.get(question.id) ?? ''}
                    locale={locale}
                    token={token}
                    editable={canEdit(question.id)}
                    reopened={editableSet !== null && editableSet.has(question.id)}
                    carriedFrom={carried[question.id] ? formatDay(carried[question.id], locale, view.timeZone) : undefined}
                    evidence={evidence[question.id] ?? []}
                    evidenceNeeded={needsEvidence(entry, lookup[question.id]?.value)}
                    conflict={snapshot.conflicts[question.id]}
                    serverErrors={snapshot.invalid[question.id]}
                    onResolveConflict={(choice) => resolveConflict(question.id, choice)}
                    onUpload={(file, fields) => upload(question.id, file, fields)}
                    onReuse={(fileId) => reuse(question.id, fileId)}
                    reusable={reusable}
                    onRemoveEvidence={(fileId) => removeEvidence(question.id, fileId)}
                  />
                )
              })}
          </form>
        </section>

        <div className="mt-6 flex flex-wrap items-center justify-between gap-3">
          {current > 0 ? (
            <button type="button" className={buttonClass.secondary} onClick={() => go(current - 1)}>
              ← {t('questionnaire.previous')}
            </button>
          ) : (
            <span />
          )}
          {current < sections.length - 1 ? (
            <button type="button" className={buttonClass.primary} onClick={() => go(current + 1)}>
              {t('questionnaire.next')} →
            </button>
          ) : readOnly ? (
            <Link to={`/v/${token}`} className={buttonClass.secondary}>
              {t('questionnaire.backToStart')}
            </Link>
          ) : (
            <Link to={`/v/${token}/submit`} className={buttonClass.primary} onClick={() => void queue.flush()} data-testid="review-submit">
              {t('questionnaire.reviewAndSubmit')} →
            </Link>
          )}
        </div>
      </div>
    </div>
  )
}

export function ProgressSummary({
  percent,
  answered,
  required,
  mayAppear = 0,
  evidenceMissing = 0,
  toConfirm = 0,
}: {
  percent: number
  answered: number
  required: number
  /** Required questions that other answers could still reveal (the total may grow by this much). */
  mayAppear?: number
  evidenceMissing?: number
  /** Answers carried over from the last assessment that are still to be confirmed. */
  toConfirm?: number
}) {
  const { t } = useTranslation('vendorPortal')
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-3 shadow-sm">
      <div className="flex items-baseline justify-between text-sm">
        <span className="font-medium text-slate-700">{t('progress.label')}</span>
        <span className="font-semibold text-slate-900" data-testid="progress-percent">
          {percent}%
        </span>
      </div>
      <div className="mt-2 h-2 overflow-hidden rounded-full bg-slate-200" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent} aria-label={t('progress.label')}>
        <div className="h-full rounded-full bg-sky-600 transition-all" style={{ width: `${percent}%` }} />
      </div>
      <p className="mt-1 text-xs text-slate-500" data-testid="progress-detail">
        {t('progress.detail', { answered, required })}
        {evidenceMissing > 0 ? ` ${t('progress.evidenceMissing', { count: evidenceMissing })}` : null}
      </p>
      {toConfirm > 0 ? (
        <p className="mt-1 text-xs font-medium text-amber-800" data-testid="progress-to-confirm">
          {t('carryOver.toConfirm', { count: toConfirm })}
        </p>
      ) : null}
      {mayAppear > 0 && percent < 100 ? <p className="mt-1 text-xs text-slate-500">{t('progress.mayAppear', { count: mayAppear })}</p> : null}
    </div>
  )
}

/** A day in the institution's time zone, in the vendor's language. */
function formatDay(iso: string | undefined, locale: Locale, timeZone: string): string {
  if (!iso) return ''
  return dateTimeFormat(locale, { dateStyle: 'medium', timeZone }).format(new Date(iso))
}

/** What a loader's data looks like after JSON: dates are strings. */
type Jsonify<T> = T extends Date ? string : T extends (infer U)[] ? Jsonify<U>[] : T extends object ? { [K in keyof T]: Jsonify<T[K]> } : T
