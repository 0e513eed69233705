// One question of the vendor questionnaire: its input, comment box, evidence and, when a colleague
// saved the same answer first, the choice between their version and this one.
import { useId, useState } from 'react'
import type { UseFormReturn } from 'react-hook-form'
import { useTranslation } from 'react-i18next'
import { inputClass, valueAtPath } from '~/components/forms'
import { Badge, buttonClass } from '~/components/ui'
import { localized, type Locale } from '~/i18n/locales'
import type { Question } from '~/modules/library/content-schema'
import { translateError, type z } from '~/modules/forms/validation'
import { EVIDENCE_MAX_BYTES } from '~/modules/evidence/policy'
import type { DocumentFields } from '~/modules/documents/documents'
import { DocumentUpload, type ReusableDocumentView, type UploadOutcome } from './document-upload'
import { answerText, asAnswerValue, formatBytes } from '../answer-text'
import type { questionnaireFormSchema } from '../answer-schema'
import type { Conflict } from '../autosave'

export interface EvidenceView {
  fileId: string
  filename: string
  contentType: string
  size: number
  kind?: string | null
  issuedOn?: string | null
  expiresOn?: string | null
}

type QuestionnaireSchema = ReturnType<typeof questionnaireFormSchema>
/** What the questionnaire's inputs hold (text, ticked options; `answers.<question id>.value|comment`). */
export type QuestionnaireFormInput = z.input<QuestionnaireSchema>
/** What a valid questionnaire form parses to (the answers as stored). */
export type QuestionnaireFormOutput = z.output<QuestionnaireSchema>
/** The questionnaire form; answers are keyed by question id, known only at run time. */
type QuestionnaireFormApi = UseFormReturn<QuestionnaireFormInput, unknown, QuestionnaireFormOutput>

export interface QuestionFieldProps {
  form: QuestionnaireFormApi
  question: Question
  number: string
  locale: Locale
  token: string
  editable: boolean
  reopened: boolean
  /** The day of the last assessment this answer was pre-filled from, while it is unconfirmed. */
  carriedFrom?: string
  evidence: EvidenceView[]
  evidenceNeeded: boolean
  conflict?: Conflict
  serverErrors?: Record<string, string[]>
  onResolveConflict: (choice: 'theirs' | 'mine') => void
  onUpload: (file: File, fields: DocumentFields) => Promise<UploadOutcome>
  onReuse: (fileId: string) => Promise<UploadOutcome>
  reusable: ReusableDocumentView[]
  onRemoveEvidence: (fileId: string) => Promise<void>
}

export function QuestionField(props: QuestionFieldProps) {
  const { form, question, locale, editable } = props
  const { t } = useTranslation('vendorPortal')
  const id = useId()
  const name = `answers.${question.id}` as const
  const errorAt = (part: 'value' | 'comment') => {
    const message = (valueAtPath(form.formState.errors, `answers.${question.id}.${part}`) as { message?: unknown } | undefined)?.message
    return typeof message === 'string' ? message : undefined
  }
  const valueError: string | undefined = errorAt('value') ?? props.serverErrors?.value?.[0]
  const commentError: string | undefined = errorAt('comment') ?? props.serverErrors?.comment?.[0]
  const comment = form.watch(`${name}.comment`) as string | undefined
  const [showComment, setShowComment] = useState(Boolean(comment))
  const labelId = `${id}-label`
  const describedBy = [question.help ? `${id}-help` : null, valueError ? `${id}-error` : null].filter(Boolean).join(' ') || undefined
  const wantsEvidence = Boolean(question.evidence) || question.kind === 'file'

  return (
    <div
      className={`rounded-lg border bg-white p-4 shadow-sm sm:p-5 ${props.conflict ? 'border-amber-400' : props.reopened ? 'border-sky-400' : 'border-slate-200'}`}
      data-question={question.id}
      id={`q-${question.id}`}
    >
      <div className="flex flex-wrap items-start justify-between gap-2">
        <p id={labelId} className="max-w-prose text-[15px] font-medium leading-snug text-slate-900">
          <span className="mr-2 text-sm font-semibold text-slate-500">{props.number}</span>
          {localized(question.text, locale)}
          {question.required ? (
            <span className="ml-1 text-red-600" aria-label={t('question.required')}>
              *
            </span>
          ) : null}
        </p>
        <div className="flex gap-1">
          {props.reopened ? <Badge tone="info">{t('question.reopened')}</Badge> : null}
          {props.carriedFrom ? (
            <span data-testid="carried-badge">
              <Badge tone="warn">{t('carryOver.badge', { date: props.carriedFrom })}</Badge>
            </span>
          ) : null}
          {!question.required ? <Badge>{t('question.optional')}</Badge> : null}
        </div>
      </div>
      {question.help ? (
        <p id={`${id}-help`} className="mt-1 max-w-prose text-sm text-slate-600">
          {localized(question.help, locale)}
        </p>
      ) : null}

      <div className="mt-3">
        {editable ? (
          <AnswerInput form={form} question={question} name={`${name}.value`} locale={locale} disabled={false} labelId={labelId} describedBy={describedBy} invalid={Boolean(valueError)} />
        ) : (
          <ReadOnlyAnswer question={question} value={form.getValues(`${name}.value`)} locale={locale} />
        )}
        {valueError ? (
          <p id={`${id}-error`} role="alert" className="mt-1 text-sm text-red-700">
            {translateError(t, valueError)}
          </p>
        ) : null}
      </div>

      {props.conflict ? <ConflictPanel question={question} locale={locale} conflict={props.conflict} onResolve={props.onResolveConflict} /> : null}

      {wantsEvidence ? <EvidenceBox {...props} /> : null}

      <div className="mt-3">
        {!editable ? (
          comment ? (
            <p className="whitespace-pre-wrap break-words rounded-md bg-slate-50 px-3 py-2 text-sm text-slate-700">
              <span className="mr-1 text-xs font-medium text-slate-500">{t('question.comment')}:</span>
              {comment}
            </p>
          ) : null
        ) : showComment ? (
          comment || editable ? (
            <div className="flex flex-col gap-1">
              <label htmlFor={`${id}-comment`} className="text-xs font-medium text-slate-600">
                {t('question.comment')}
              </label>
              <textarea
                id={`${id}-comment`}
                rows={2}
                className={inputClass}
                disabled={!editable}
                aria-invalid={commentError ? true : undefined}
                placeholder={t('question.commentPlaceholder')}
                defaultValue={comment ?? ''}
                {...form.register(`${name}.comment`)}
              />
              {commentError ? (
                <p role="alert" className="text-sm text-red-700">
                  {translateError(t, commentError)}
                </p>
              ) : null}
            </div>
          ) : null
        ) : (
          <button type="button" className="text-sm font-medium text-sky-700 hover:underline" onClick={() => setShowComment(true)}>
            + {t('question.addComment')}
          </button>
        )}
      </div>
    </div>
  )
}

function AnswerInput({
  form,
  question,
  name,
  locale,
  disabled,
  labelId,
  describedBy,
  invalid,
}: {
  form: QuestionnaireFormApi
  question: Question
  name: `answers.${string}.value`
  locale: Locale
  disabled: boolean
  labelId: string
  describedBy?: string
  invalid: boolean
}) {
  const { t } = useTranslation('vendorPortal')
  // Rendered on the server too: saved answers show before the page's script has loaded.
  const current = form.getValues(name) as string | string[] | undefined
  const text = typeof current === 'string' ? current : undefined
  const common = { disabled, defaultValue: text, 'aria-labelledby': labelId, 'aria-describedby': describedBy, 'aria-invalid': invalid || undefined }
  switch (question.kind) {
    case 'yes_no_na':
    case 'single_choice':
    case 'multi_choice': {
      const multi = question.kind === 'multi_choice'
      return (
        <div role={multi ? 'group' : 'radiogroup'} aria-labelledby={labelId} aria-describedby={describedBy} aria-invalid={invalid || undefined} className={`grid gap-2 ${question.kind === 'yes_no_na' ? 'grid-cols-1 sm:grid-cols-3' : 'grid-cols-1 sm:grid-cols-2'}`}>
          {(question.options ?? []).map((option) => (
            <label
              key={option.id}
              className="flex min-h-11 cursor-pointer items-center gap-3 rounded-md border border-slate-300 px-3 py-2 text-sm text-slate-800 has-[:checked]:border-sky-600 has-[:checked]:bg-sky-50 has-[:disabled]:cursor-default has-[:disabled]:opacity-80"
            >
              <input
                type={multi ? 'checkbox' : 'radio'}
                value={option.id}
                disabled={disabled}
                defaultChecked={Array.isArray(current) ? current.includes(option.id) : current === option.id} className="h-4 w-4 accent-sky-700" {...form.register(name)} />
              {localized(option.label, locale)}
            </label>
          ))}
        </div>
      )
    }
    case 'short_text':
      return <input type="text" className={inputClass} maxLength={500} {...common} {...form.register(name)} />
    case 'long_text':
      return <textarea rows={4} className={inputClass} {...common} {...form.register(name)} />
    case 'number':
      return (
        <div className="flex items-center gap-2">
          <input type="text" inputMode="decimal" className={`${inputClass} max-w-48`} {...common} {...form.register(name)} />
          {question.min !== undefined || question.max !== undefined ? (
            <span className="text-xs text-slate-500">{t('question.range', { min: question.min ?? '−∞', max: question.max ?? '∞' })}</span>
          ) : null}
        </div>
      )
    case 'date':
      return <input type="date" className={`${inputClass} max-w-48`} {...common} {...form.register(name)} />
    case 'file':
      return <p className="text-sm text-slate-600">{t('question.fileOnly')}</p>
  }
}

/** A question that cannot be changed now (submitted, or not reopened): the answer as it stands. */
function ReadOnlyAnswer({ question, value, locale }: { question: Question; value: unknown; locale: Locale }) {
  const { t } = useTranslation('vendorPortal')
  const chosen = Array.isArray(value) ? value : typeof value === 'string' && value !== '' ? [value] : []
  if (question.options?.length) {
    return (
      <ul className={`grid gap-2 ${question.kind === 'yes_no_na' ? 'grid-cols-1 sm:grid-cols-3' : 'grid-cols-1 sm:grid-cols-2'}`} data-readonly-answer>
        {question.options.map((option) => {
          const selected = chosen.includes(option.id)
          return (
            <li
              key={option.id}
              aria-current={selected || undefined}
              className={`flex min-h-11 items-center gap-3 rounded-md border px-3 py-2 text-sm ${selected ? 'border-sky-600 bg-sky-50 font-medium text-slate-900' : 'border-slate-200 text-slate-400'}`}
            >
              <span aria-hidden="true" className="w-4 text-center">{selected ? '✓' : ''}</span>
              {localized(option.label, locale)}
            </li>
          )
        })}
      </ul>
    )
  }
  if (question.kind === 'file') return null
  const text = answerText(question, typeof value === 'string' && value.trim() === '' ? null : asAnswerValue(value), locale)
  return (
    <p className={`whitespace-pre-wrap break-words rounded-md border border-slate-200 bg-slate-50 px-3 py-2 text-sm ${text ? 'text-slate-900' : 'text-slate-400'}`} data-readonly-answer>
      {text || t('conflict.empty')}
    </p>
  )
}

function ConflictPanel({ question, locale, conflict, onResolve }: { question: Question; locale: Locale; conflict: Conflict; onResolve: (choice: 'theirs' | 'mine') => void }) {
  const { t } = useTranslation('vendorPortal')
  const show = (value: unknown, comment: string | null) => (
    <>
      <span className="block whitespace-pre-wrap break-words font-medium text-slate-900">{answerText(question, asAnswerValue(value), locale) || t('conflict.empty')}</span>
      {comment ? <span className="mt-1 block whitespace-pre-wrap break-words text-xs text-slate-600">{t('conflict.comment', { comment })}</span> : null}
    </>
  )
  const when = conflict.theirs.updatedAt ? new Date(conflict.theirs.updatedAt).toLocaleString(locale) : ''
  return (
    <div role="alert" className="mt-4 rounded-md border border-amber-300 bg-amber-50 p-3" data-testid="conflict">
      <p className="text-sm font-semibold text-amber-900">{t('conflict.title')}</p>
      <p className="mt-1 text-sm text-amber-900">{t('conflict.body', { name: conflict.theirs.updatedBy ?? t('conflict.someone'), when })}</p>
      <div className="mt-3 grid gap-3 sm:grid-cols-2">
        <div className="rounded border border-amber-200 bg-white p-3 text-sm">
          <span className="mb-1 block text-xs font-semibold uppercase tracking-wide text-slate-500">{t('conflict.theirs')}</span>
          {show(conflict.theirs.value, conflict.theirs.comment)}
          <button type="button" className={`${buttonClass.secondary} mt-3 w-full`} onClick={() => onResolve('theirs')} data-testid="keep-theirs">
            {t('conflict.keepTheirs')}
          </button>
        </div>
        <div className="rounded border border-amber-200 bg-white p-3 text-sm">
          <span className="mb-1 block text-xs font-semibold uppercase tracking-wide text-slate-500">{t('conflict.yours')}</span>
          {show(conflict.yours.value, conflict.yours.comment)}
          <button type="button" className={`${buttonClass.primary} mt-3 w-full`} onClick={() => onResolve('mine')} data-testid="keep-mine">
            {t('conflict.keepMine')}
          </button>
        </div>
      </div>
    </div>
  )
}

function EvidenceBox(props: QuestionFieldProps) {
  const { t } = useTranslation('vendorPortal')
  const { t: td } = useTranslation('documents')
  const [error, setError] = useState<string | null>(null)
  const { question, locale, evidence, editable } = props
  return (
    <div className="mt-4 rounded-md border border-dashed border-slate-300 bg-slate-50 p-3">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <p className="text-sm font-medium text-slate-700">
          {t('evidence.title')}
          {props.evidenceNeeded && evidence.length === 0 ? (
            <span className="ml-2">
              <Badge tone="warn">{t('evidence.needed')}</Badge>
            </span>
          ) : null}
        </p>
      </div>
      {question.evidence?.hint ? <p className="mt-1 text-xs text-slate-600">{localized(question.evidence.hint, locale)}</p> : null}
      <p className="mt-1 text-xs text-slate-500">{t('evidence.rules', { max: EVIDENCE_MAX_BYTES / 1024 / 1024 })}</p>
      {editable ? <DocumentUpload questionId={question.id} reusable={props.reusable} onUpload={props.onUpload} onReuse={props.onReuse} onError={setError} /> : null}
      {error ? (
        <p role="alert" className="mt-2 text-sm text-red-700">
          {translateError(t, error)}
        </p>
      ) : null}
      {evidence.length ? (
        <ul className="mt-2 divide-y divide-slate-200 rounded border border-slate-200 bg-white text-sm">
          {evidence.map((file) => (
            <li key={file.fileId} className="flex items-center justify-between gap-2 px-3 py-2">
              <a href={`/v/${props.token}/evidence/${file.fileId}`} className="min-w-0 truncate text-sky-700 hover:underline" data-testid="evidence-file">
                {file.filename}
              </a>
              <span className="flex shrink-0 items-center gap-3 text-xs text-slate-500">
                {file.kind ? <span>{td(`kind.${file.kind}`)}</span> : null}
                {file.expiresOn ? <span>{td('reuse.validUntil', { date: file.expiresOn })}</span> : null}
                {formatBytes(file.size, locale)}
                {editable ? (
                  <button type="button" className="text-red-700 hover:underline" onClick={() => void props.onRemoveEvidence(file.fileId)}>
                    {t('evidence.remove')}
                  </button>
                ) : null}
              </span>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  )
}
