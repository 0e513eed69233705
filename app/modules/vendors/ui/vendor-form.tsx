// The vendor form, for creating and editing. One zod schema checks it in the browser and again in
// the action; the computed tier is previewed live with the same pure rule the server applies.
import { Link, useActionData } from '@remix-run/react'
import { useEffect, useId, useState, type ReactNode } from 'react'
import { useFieldArray, type FieldValues, type UseFormReturn } from 'react-hook-form'
import { useTranslation } from 'react-i18next'
import {
  CheckboxGroupField,
  Form,
  FormErrorBanner,
  inputClass,
  SelectField,
  SubmitButton,
  TextAreaField,
  TextField,
  useValidatedForm,
  valueAtPath,
} from '~/components/forms'
import { buttonClass, Card } from '~/components/ui'
import { LOCALES, type Locale } from '~/i18n/locales'
import { translateError, type FieldErrors, type z } from '~/modules/forms/validation'
import type { VendorFormDefaults } from '../form-values'
import { tierReasonText } from '../labels'
import { computeTier } from '../tiering'
import {
  LEGAL_BASES,
  PI_CATEGORIES,
  SENSITIVITY_LEVELS,
  SERVICE_CRITICALITY,
  TRANSFER_METHODS,
  VENDOR_CATEGORIES,
  VENDOR_STATUSES,
  type PiCategory,
  type SensitivityLevel,
  type ServiceCriticality,
} from '../vocabulary'
import { TierBadge } from './badges'

// The create and edit schemas differ (edit carries the version), so the form is addressed by field name.
type AnyForm = UseFormReturn<FieldValues>

function useHydrated() {
  const [hydrated, setHydrated] = useState(false)
  useEffect(() => setHydrated(true), [])
  return hydrated
}

/** The message for a field: the browser's check once hydrated, the action's before (or without JavaScript). */
function useError(form: AnyForm, name: string): string | undefined {
  const actionData = useActionData() as { fieldErrors?: FieldErrors } | undefined
  const hydrated = useHydrated()
  const message = (valueAtPath(form.formState.errors, name) as { message?: unknown } | undefined)?.message
  return (typeof message === 'string' ? message : undefined) ?? (hydrated ? undefined : actionData?.fieldErrors?.[name]?.[0])
}

function ErrorText({ id, message }: { id: string; message?: string }) {
  const { t } = useTranslation()
  if (!message) return null
  return (
    <p id={id} className="mt-1 text-sm text-red-700" role="alert">
      {translateError(t, message)}
    </p>
  )
}

function CheckboxField({ form, name, label }: { form: AnyForm; name: string; label: ReactNode }) {
  const id = useId()
  const error = useError(form, name)
  return (
    <div>
      <label htmlFor={id} className="flex items-center gap-2 text-sm font-medium text-slate-700">
        <input id={id} type="checkbox" className="h-4 w-4 rounded border-slate-300" aria-describedby={error ? `${id}-error` : undefined} {...form.register(name)} />
        {label}
      </label>
      <ErrorText id={`${id}-error`} message={error} />
    </div>
  )
}

function RegistrationChoice({ form }: { form: AnyForm }) {
  const { t } = useTranslation('vendors')
  const id = useId()
  return (
    <fieldset>
      <legend className="text-sm font-medium text-slate-700">{t('fields.registration')}</legend>
      <div className="mt-1 flex flex-col gap-1 sm:flex-row sm:gap-6">
        {(['domestic', 'foreign'] as const).map((value) => (
          <label key={value} htmlFor={`${id}-${value}`} className="flex items-center gap-2 text-sm text-slate-700">
            <input id={`${id}-${value}`} type="radio" value={value} className="h-4 w-4 border-slate-300" {...form.register('registration')} />
            {t(value === 'domestic' ? 'fields.registrationDomestic' : 'fields.registrationForeign')}
          </label>
        ))}
      </div>
    </fieldset>
  )
}

function ContactsEditor({ form }: { form: AnyForm }) {
  const { t } = useTranslation('vendors')
  const { t: tc } = useTranslation()
  const { fields, append, remove } = useFieldArray({ control: form.control, name: 'contacts', keyName: 'key' })
  return (
    <div className="flex flex-col gap-4">
      {fields.length === 0 ? <p className="text-sm text-slate-500">{t('fields.noContacts')}</p> : null}
      {fields.map((field, index) => (
        <fieldset key={field.key} className="rounded-md border border-slate-200 p-3" data-testid="contact-row">
          <legend className="px-1 text-xs font-semibold uppercase tracking-wide text-slate-500">{t('fields.contactNumber', { number: index + 1 })}</legend>
          <input type="hidden" {...form.register(`contacts.${index}.id`)} />
          <div className="grid gap-3 sm:grid-cols-2">
            <TextField form={form} name={`contacts.${index}.name`} label={t('fields.contactName')} required autoComplete="off" />
            <TextField form={form} name={`contacts.${index}.email`} type="email" label={t('fields.contactEmail')} required autoComplete="off" />
            <TextField form={form} name={`contacts.${index}.phone`} type="tel" label={t('fields.contactPhone')} autoComplete="off" />
            <TextField form={form} name={`contacts.${index}.title`} label={t('fields.contactTitle')} autoComplete="off" />
            <SelectField
              form={form}
              name={`contacts.${index}.locale`}
              label={t('fields.contactLocale')}
              options={LOCALES.map((locale) => ({ value: locale, label: tc(`language.${locale}`) }))}
            />
          </div>
          <button type="button" className="mt-3 text-sm text-red-700 hover:underline" onClick={() => remove(index)}>
            {t('actions.removeContact')}
          </button>
        </fieldset>
      ))}
      <div>
        <button type="button" className={buttonClass.secondary} onClick={() => append({ id: '', name: '', email: '', phone: '', title: '', locale: 'zh-CN' })}>
          {t('actions.addContact')}
        </button>
      </div>
    </div>
  )
}

function SubProcessorsEditor({ form }: { form: AnyForm }) {
  const { t } = useTranslation('vendors')
  const { fields, append, remove } = useFieldArray({ control: form.control, name: 'dataProfile.subProcessors', keyName: 'key' })
  const error = useError(form, 'dataProfile.subProcessors')
  const id = useId()
  return (
    <fieldset className="flex flex-col gap-3" aria-describedby={error ? `${id}-error` : undefined}>
      <legend className="text-sm font-medium text-slate-700">{t('fields.subProcessors')}</legend>
      {fields.map((field, index) => (
        <div key={field.key} className="grid gap-3 rounded-md border border-slate-200 p-3 sm:grid-cols-[1fr_2fr]" data-testid="sub-processor-row">
          <div className="sm:col-span-2">
            <TextField form={form} name={`dataProfile.subProcessors.${index}.name`} label={t('fields.subProcessorName')} required />
          </div>
          <TextField form={form} name={`dataProfile.subProcessors.${index}.country`} label={t('fields.subProcessorCountry')} maxLength={2} className={`${inputClass} uppercase`} required />
          <TextField form={form} name={`dataProfile.subProcessors.${index}.service`} label={t('fields.subProcessorService')} />
          <div className="sm:col-span-2">
            <button type="button" className="text-sm text-red-700 hover:underline" onClick={() => remove(index)}>
              {t('actions.removeSubProcessor')}
            </button>
          </div>
        </div>
      ))}
      <ErrorText id={`${id}-error`} message={error} />
      <div>
        <button type="button" className={buttonClass.secondary} onClick={() => append({ name: '', country: '', service: '' })}>
          {t('actions.addSubProcessor')}
        </button>
      </div>
    </fieldset>
  )
}

/** The tier the server will compute for what is on screen now. */
function TierPreview({ form, locale }: { form: AnyForm; locale: Locale }) {
  const { t } = useTranslation('vendors')
  const profile = (form.watch('dataProfile') ?? {}) as Record<string, unknown>
  const sensitivity = profile?.sensitivity as SensitivityLevel
  const typedCount = String(profile?.recordCount ?? '').replace(/[\s,，_]/g, '')
  const recordCount = Number(typedCount)
  if (!(SENSITIVITY_LEVELS as readonly string[]).includes(sensitivity) || typedCount === '' || !Number.isFinite(recordCount)) return null
  const categories = (Array.isArray(profile.piCategories) ? profile.piCategories : []) as PiCategory[]
  const result = computeTier({
    piCategories: categories,
    sensitivity,
    recordCount,
    crossBorder: Boolean(profile.crossBorder),
    crossBorderDestinations: String(profile.crossBorderDestinations ?? '')
      .split(/[,;，；、\s]+/)
      .filter(Boolean)
      .map((code) => code.toUpperCase()),
    usesSubProcessors: Boolean(profile.usesSubProcessors),
    subProcessors: (profile.subProcessors ?? []) as Parameters<typeof computeTier>[0]['subProcessors'],
    serviceCriticality: (profile.serviceCriticality || 'standard') as ServiceCriticality,
  })
  return (
    <div className="rounded-md border border-sky-200 bg-sky-50 px-4 py-3" aria-live="polite" data-testid="tier-preview">
      <p className="flex flex-wrap items-center gap-2 text-sm font-medium text-slate-800">
        {t('labelColon', { label: t('tier.computed') })} <TierBadge tier={result.tier} />
      </p>
      <ul className="mt-2 list-disc pl-5 text-sm text-slate-700">
        {result.reasons.map((reason, index) => (
          <li key={index}>{tierReasonText(t, reason, locale)}</li>
        ))}
      </ul>
    </div>
  )
}

export function VendorForm({
  schema,
  defaultValues,
  owners,
  locale,
  submitLabel,
  cancelTo,
}: {
  schema: z.ZodType<FieldValues, FieldValues>
  defaultValues: VendorFormDefaults & { version?: number }
  owners: { id: string; name: string; email: string }[]
  locale: Locale
  submitLabel: string
  cancelTo: string
}) {
  const { t } = useTranslation('vendors')
  const { form, onSubmit, formError } = useValidatedForm(schema, { defaultValues })
  const registration = form.watch('registration')
  const crossBorder = form.watch('dataProfile.crossBorder')
  const usesSubProcessors = form.watch('dataProfile.usesSubProcessors')
  const option = (prefix: string) => (value: string) => ({ value, label: t(`${prefix}.${value}`) })

  return (
    <Form method="post" noValidate onSubmit={onSubmit} className="flex flex-col gap-6" data-testid="vendor-form">
      <FormErrorBanner message={formError} />
      {defaultValues.version !== undefined ? <input type="hidden" {...form.register('version')} /> : null}

      <Card title={t('sections.identity')}>
        <div className="grid gap-4 sm:grid-cols-2">
          <TextField form={form} name="legalName.zh-CN" label={t('fields.legalNameZh')} required={registration !== 'foreign'} lang="zh-CN" />
          <TextField form={form} name="legalName.en" label={t('fields.legalNameEn')} required={registration === 'foreign'} lang="en" />
          <div className="sm:col-span-2">
            <RegistrationChoice form={form} />
          </div>
          {registration === 'foreign' ? (
            <>
              <TextField form={form} name="foreignRegistration.number" label={t('fields.foreignNumber')} required />
              <TextField
                form={form}
                name="foreignRegistration.country"
                label={t('fields.foreignCountry')}
                hint={t('fields.countryHint')}
                maxLength={2}
                className={`${inputClass} uppercase`}
                required
              />
            </>
          ) : (
            <TextField
              form={form}
              name="creditCode"
              label={t('fields.creditCode')}
              hint={t('fields.creditCodeHint')}
              maxLength={24}
              className={`${inputClass} font-mono uppercase`}
              autoComplete="off"
              spellCheck={false}
              required
            />
          )}
        </div>
      </Card>

      <Card title={t('sections.relationship')}>
        <div className="grid gap-4 sm:grid-cols-2">
          <SelectField form={form} name="category" label={t('fields.category')} placeholder="—" options={VENDOR_CATEGORIES.map(option('category'))} required />
          <SelectField form={form} name="status" label={t('fields.status')} options={VENDOR_STATUSES.map(option('status'))} required />
          <SelectField
            form={form}
            name="businessOwnerId"
            label={t('fields.businessOwner')}
            placeholder={t('fields.businessOwnerNone')}
            options={owners.map((owner) => ({ value: owner.id, label: `${owner.name} <${owner.email}>` }))}
          />
          <div className="sm:col-span-2">
            <TextAreaField form={form} name="services" label={t('fields.services')} hint={t('fields.servicesHint')} />
          </div>
        </div>
      </Card>

      <Card title={t('sections.contacts')}>
        <p className="mb-3 text-sm text-slate-600">{t('sections.contactsHint')}</p>
        <ContactsEditor form={form} />
      </Card>

      <Card title={t('sections.dataProfile')}>
        <p className="mb-4 text-sm text-slate-600">{t('sections.dataProfileHint')}</p>
        <div className="grid gap-5 lg:grid-cols-2">
          <div className="flex flex-col gap-5">
            <CheckboxGroupField form={form} name="dataProfile.piCategories" label={t('fields.piCategories')} options={PI_CATEGORIES.map(option('piCategory'))} />
            <SelectField
              form={form}
              name="dataProfile.sensitivity"
              label={t('fields.sensitivity')}
              hint={t('fields.sensitivityHint')}
              placeholder="—"
              options={SENSITIVITY_LEVELS.map(option('sensitivity'))}
              required
            />
            <TextField form={form} name="dataProfile.recordCount" label={t('fields.recordCount')} hint={t('fields.recordCountHint')} inputMode="numeric" required />
            <SelectField form={form} name="dataProfile.serviceCriticality" label={t('fields.serviceCriticality')} options={SERVICE_CRITICALITY.map(option('glossary:criticality'))} required />
          </div>
          <div className="flex flex-col gap-5">
            <CheckboxField form={form} name="dataProfile.crossBorder" label={t('fields.crossBorder')} />
            {crossBorder ? (
              <TextField
                form={form}
                name="dataProfile.crossBorderDestinations"
                label={t('fields.crossBorderDestinations')}
                hint={t('fields.destinationsHint')}
                className={`${inputClass} uppercase`}
                required
              />
            ) : null}
            <CheckboxField form={form} name="dataProfile.usesSubProcessors" label={t('fields.usesSubProcessors')} />
            {usesSubProcessors ? <SubProcessorsEditor form={form} /> : null}
            <CheckboxGroupField form={form} name="dataProfile.transferMethods" label={t('fields.transferMethods')} options={TRANSFER_METHODS.map(option('transferMethod'))} />
            <SelectField
              form={form}
              name="dataProfile.legalBasis"
              label={t('fields.legalBasis')}
              placeholder={t('fields.legalBasisNone')}
              options={LEGAL_BASES.map(option('legalBasis'))}
            />
            <CheckboxField form={form} name="dataProfile.consentOnRecord" label={t('fields.consentOnRecord')} />
          </div>
        </div>
        <div className="mt-6">
          <TierPreview form={form} locale={locale} />
        </div>
      </Card>

      <div className="flex flex-wrap items-center gap-3">
        <SubmitButton>{submitLabel}</SubmitButton>
        <Link to={cancelTo} className={buttonClass.secondary}>
          {t('actions.cancel')}
        </Link>
      </div>
    </Form>
  )
}
