// The fields of an incident report, shared by the staff form and the vendor's link page.
import { useActionData } from '@remix-run/react'
import type { FieldValues, Path } from 'react-hook-form'
import { useTranslation } from 'react-i18next'
import { CheckboxGroupField, SelectField, TextAreaField, TextField, inputClass, type FieldForm } from '~/components/forms'
import { translateError } from '~/modules/forms/validation'
import { EVIDENCE_ACCEPT, EVIDENCE_MAX_BYTES } from '~/modules/evidence/policy'
import { PI_CATEGORIES } from '~/modules/vendors/vocabulary'
import { INCIDENT_CAUSES, INCIDENT_MAX_ATTACHMENTS } from '../vocabulary'

export function IncidentFields<T extends FieldValues>({ form, timeZone }: { form: FieldForm<T>; timeZone: string }) {
  const { t } = useTranslation('incidents')
  const { t: tv } = useTranslation('vendors')
  const { t: tc } = useTranslation()
  const actionData = useActionData() as { fieldErrors?: Record<string, string[]> } | undefined
  const fileError = actionData?.fieldErrors?.attachments?.[0]
  return (
    <>
      <TextField form={form} name="title" label={t('fields.title')} required />
      <TextAreaField form={form} name="description" label={t('fields.description')} hint={t('fields.descriptionHint')} rows={5} required />
      <fieldset className="grid gap-4 sm:grid-cols-3">
        <legend className="mb-1 text-xs text-slate-500">{t('fields.timesHint', { zone: timeZone })}</legend>
        <TextField form={form} name="occurredAt" type="datetime-local" label={t('fields.occurredAt')} required />
        <TextField form={form} name="detectedAt" type="datetime-local" label={t('fields.detectedAt')} hint={t('fields.detectedHint')} required />
        <TextField form={form} name="notifiedAt" type="datetime-local" label={t('fields.notifiedAt')} required />
      </fieldset>
      <CheckboxGroupField form={form} name="piCategories" label={t('fields.piCategories')} options={PI_CATEGORIES.map((category) => ({ value: category, label: tv(`piCategory.${category}`) }))} />
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField form={form} name="recordCount" type="number" min={0} inputMode="numeric" label={t('fields.recordCount')} required />
        <TextField form={form} name="customerCount" type="number" min={0} inputMode="numeric" label={t('fields.customerCount')} required />
      </div>
      <label className="flex items-center gap-2 text-sm text-slate-700">
        <input type="checkbox" className="h-4 w-4 rounded border-slate-300" {...form.register('crossBorder' as Path<T>)} />
        {t('fields.crossBorder')}
      </label>
      <SelectField form={form} name="cause" label={t('fields.cause')} required options={INCIDENT_CAUSES.map((cause) => ({ value: cause, label: t(`cause.${cause}`) }))} />
      <TextAreaField form={form} name="containment" label={t('fields.containment')} hint={t('fields.containmentHint')} rows={3} />
      <TextField form={form} name="reporterName" label={t('fields.reporterName')} required />
      <div className="flex flex-col gap-1">
        <label htmlFor="incident-attachments" className="text-sm font-medium text-slate-700">
          {t('fields.attachments')}
        </label>
        <input id="incident-attachments" name="attachments" type="file" multiple accept={EVIDENCE_ACCEPT} className={inputClass} aria-describedby="incident-attachments-hint" aria-invalid={fileError ? true : undefined} />
        <p id="incident-attachments-hint" className="text-xs text-slate-500">
          {t('fields.attachmentsHint', { max: INCIDENT_MAX_ATTACHMENTS, size: EVIDENCE_MAX_BYTES / 1024 / 1024 })}
        </p>
        {fileError ? (
          <p className="text-sm text-red-700" role="alert">
            {translateError(tc, fileError)}
          </p>
        ) : null}
      </div>
    </>
  )
}
