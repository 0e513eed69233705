// The contract form (new and edit): dates, status, the clause list prefilled from the template,
// and the signed copy. Posted as multipart so the PDF travels with the fields.
import { useActionData } from '@remix-run/react'
import { useId } from 'react'
import type { UseFormReturn } from 'react-hook-form'
import { useTranslation } from 'react-i18next'
import { FieldShell, Form, FormErrorBanner, SelectField, SubmitButton, TextAreaField, TextField, inputClass, useValidatedForm } from '~/components/forms'
import { localized, type Locale } from '~/i18n/locales'
import { translateError, type z } from '~/modules/forms/validation'
import { KnockOutBadge, SeverityBadge } from '~/modules/library/badges'
import type { LocalizedText, Severity } from '~/modules/library/content-schema'
import { contractEditSchema, contractSchema } from './schema'
import { CONTRACT_STATUSES, type ContractStatus } from './vocabulary'

interface ClauseChoice {
  id: string
  title: LocalizedText
  severity: Severity
  knockOut: boolean
}

interface ContractFormProps {
  mode: 'create' | 'edit'
  locale: Locale
  clauses: ClauseChoice[]
  templateClauseIds: string[]
  defaultValues: {
    reference: string
    title: string
    effectiveAt: string
    expiresAt: string
    status: ContractStatus
    clauseIds: string[]
    templateCategory: string
    note?: string
    version?: number
  }
  currentSignedCopy?: string | null
  cancelTo: string
}

export function ContractForm({ mode, locale, clauses, templateClauseIds, defaultValues, currentSignedCopy, cancelTo }: ContractFormProps) {
  const { t } = useTranslation('contracts')
  // One form for both: the edit schema only adds the version the form was loaded with.
  const schema = (mode === 'create' ? contractSchema : contractEditSchema) as typeof contractEditSchema
  const { form, onSubmit, formError } = useValidatedForm(schema, { defaultValues })
  const statuses: readonly ContractStatus[] = mode === 'create' ? ['active', 'draft'] : CONTRACT_STATUSES
  return (
    <Form method="post" encType="multipart/form-data" noValidate onSubmit={onSubmit} className="flex flex-col gap-6" data-testid="contract-form">
      <FormErrorBanner message={formError} />
      <input type="hidden" {...form.register('templateCategory')} />
      {mode === 'edit' ? <input type="hidden" {...form.register('version')} /> : null}

      <div className="grid gap-4 md:grid-cols-2">
        <TextField form={form} name="reference" label={t('fields.reference')} hint={t('fields.referenceHint')} required autoComplete="off" />
        <TextField form={form} name="title" label={t('fields.title')} required />
        <TextField form={form} name="effectiveAt" type="date" label={t('fields.effectiveAt')} hint={t('fields.effectiveAtHint')} required />
        <TextField form={form} name="expiresAt" type="date" label={t('fields.expiresAt')} hint={t('fields.expiresAtHint')} />
        <SelectField
          form={form}
          name="status"
          label={t('fields.status')}
          hint={t('fields.statusHint')}
          options={statuses.map((status) => ({ value: status, label: t(`status.${status}`) }))}
        />
        <SignedCopyField current={currentSignedCopy ?? null} />
      </div>

      <ClausePicker form={form} clauses={clauses} templateClauseIds={templateClauseIds} locale={locale} />

      {mode === 'edit' ? <TextAreaField form={form} name="note" label={t('fields.note')} hint={t('fields.noteHint')} rows={2} /> : null}

      <div className="flex flex-wrap gap-3">
        <SubmitButton>{mode === 'create' ? t('actions.create') : t('actions.save')}</SubmitButton>
        <a href={cancelTo} className="inline-flex items-center rounded-md px-4 py-2 text-sm font-semibold text-slate-700 ring-1 ring-inset ring-slate-300 hover:bg-slate-50">
          {t('common:actions.cancel')}
        </a>
      </div>
    </Form>
  )
}

function SignedCopyField({ current }: { current: string | null }) {
  const { t } = useTranslation('contracts')
  const id = useId()
  const actionData = useActionData() as { fieldErrors?: Record<string, string[]> } | undefined
  const error = actionData?.fieldErrors?.signedCopy?.[0]
  return (
    <FieldShell id={id} label={current ? t('fields.replaceSignedCopy') : t('fields.signedCopy')} hint={current ? t('fields.currentSignedCopy', { filename: current }) : t('fields.signedCopyHint')} error={error}>
      <input
        id={id}
        name="signedCopy"
        type="file"
        accept="application/pdf,.pdf"
        className={`${inputClass} file:mr-3 file:rounded file:border-0 file:bg-slate-100 file:px-3 file:py-1 file:text-sm file:font-medium`}
        aria-invalid={error ? true : undefined}
        aria-describedby={[`${id}-hint`, error ? `${id}-error` : null].filter(Boolean).join(' ')}
      />
    </FieldShell>
  )
}

function ClausePicker({ form, clauses, templateClauseIds, locale }: { form: UseFormReturn<z.input<typeof contractEditSchema>, unknown, z.output<typeof contractEditSchema>>; clauses: ClauseChoice[]; templateClauseIds: string[]; locale: Locale }) {
  const { t } = useTranslation('contracts')
  const id = useId()
  const watched = form.watch('clauseIds') as unknown
  const selected = Array.isArray(watched) ? (watched as string[]) : typeof watched === 'string' ? [watched] : []
  const errorMessage = (form.formState.errors as Record<string, { message?: string } | undefined>).clauseIds?.message
  const actionData = useActionData() as { fieldErrors?: Record<string, string[]> } | undefined
  const error = errorMessage ?? actionData?.fieldErrors?.clauseIds?.[0]
  const inTemplate = new Set(templateClauseIds)
  return (
    <fieldset aria-describedby={`${id}-hint${error ? ` ${id}-error` : ''}`} aria-invalid={error ? true : undefined} data-testid="clause-picker">
      <div className="flex flex-wrap items-end justify-between gap-2">
        <legend className="text-sm font-medium text-slate-700">
          {t('fields.clauses')}
          <span className="ml-0.5 text-red-600" aria-hidden="true">
            *
          </span>
        </legend>
        <div className="flex flex-wrap items-center gap-2 text-sm">
          <span className="text-slate-600" data-testid="clause-count" aria-live="polite">
            {t('form.selected', { count: selected.length, total: clauses.length })}
          </span>
          <button
            type="button"
            className="rounded-md px-2 py-1 text-sky-800 ring-1 ring-inset ring-slate-300 hover:bg-slate-50"
            onClick={() => form.setValue('clauseIds', [...templateClauseIds], { shouldDirty: true, shouldValidate: true })}
          >
            {t('actions.useTemplate')}
          </button>
          <button
            type="button"
            className="rounded-md px-2 py-1 text-slate-700 ring-1 ring-inset ring-slate-300 hover:bg-slate-50"
            onClick={() => form.setValue('clauseIds', [], { shouldDirty: true })}
          >
            {t('actions.clearClauses')}
          </button>
        </div>
      </div>
      <p id={`${id}-hint`} className="mt-1 text-xs text-slate-500">
        {t('fields.clausesHint')}
      </p>
      {error ? (
        <p id={`${id}-error`} className="mt-1 text-sm text-red-700" role="alert">
          {translateError(t, error)}
        </p>
      ) : null}
      <ul className="mt-3 grid gap-2 lg:grid-cols-2">
        {clauses.map((clause) => (
          <li key={clause.id}>
            <label className="flex h-full cursor-pointer items-start gap-3 rounded-md border border-slate-200 px-3 py-2 hover:bg-slate-50 has-[:checked]:border-sky-300 has-[:checked]:bg-sky-50/60">
              <input
                type="checkbox"
                value={clause.id}
                // In the server-rendered HTML too, so the template's clauses are ticked before hydration and without JavaScript.
                defaultChecked={((form.getValues('clauseIds') as string[] | undefined) ?? []).includes(clause.id)}
                className="mt-1 h-4 w-4 shrink-0 rounded border-slate-300"
                {...form.register('clauseIds')}
              />
              <span className="flex min-w-0 flex-1 flex-col gap-1">
                <span className="text-sm text-slate-800">
                  <span className="mr-2 font-mono text-xs text-slate-500">{clause.id}</span>
                  {localized(clause.title, locale)}
                </span>
                <span className="flex flex-wrap gap-1">
                  <SeverityBadge severity={clause.severity} />
                  {clause.knockOut ? <KnockOutBadge /> : null}
                  {/* Deviations from the template are what a reviewer of the contract wants to see. */}
                  {selected.includes(clause.id) && !inTemplate.has(clause.id) ? (
                    <span className="rounded-full px-2 py-0.5 text-xs text-sky-800 ring-1 ring-inset ring-sky-200">{t('form.addedToTemplate')}</span>
                  ) : null}
                  {!selected.includes(clause.id) && inTemplate.has(clause.id) ? (
                    <span className="rounded-full px-2 py-0.5 text-xs text-amber-800 ring-1 ring-inset ring-amber-200">{t('form.removedFromTemplate')}</span>
                  ) : null}
                </span>
              </span>
            </label>
          </li>
        ))}
      </ul>
    </fieldset>
  )
}
