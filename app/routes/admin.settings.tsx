import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { readFormData } from '~/modules/forms/read.server'
import { redirect } from '@remix-run/node'
import { Link, useLoaderData, useSearchParams } from '@remix-run/react'
import { useId } from 'react'
import { useTranslation } from 'react-i18next'
import { Form, FormErrorBanner, SubmitButton, TextField, useValidatedForm } from '~/components/forms'
import { Card, PageHeader } from '~/components/ui'
import { ROLES, type Role } from '~/modules/auth/roles'
import { securitySettingsFormSchema, securitySettingsFromForm } from '~/modules/auth/security-settings'
import { getSecuritySettings, saveSecuritySettings } from '~/modules/auth/security-settings.server'
import { requireUser } from '~/modules/auth/session.server'
import { invalid, parseFormData } from '~/modules/forms/parse.server'
import { reviewSettingsFormSchema, reviewSettingsFromForm } from '~/modules/review/settings'
import { getReviewSettings, saveReviewSettings } from '~/modules/review/settings.server'
import { retentionSettingsSchema } from '~/modules/offboarding/schemas'
import { getRetentionSettings, saveRetentionSettings } from '~/modules/offboarding/retention.server'
import { cadenceFor, dueDateAfter } from '~/modules/schedule/cadence'
import { formFromSettings, settingsFormSchema, settingsFromForm } from '~/modules/schedule/settings'
import { getSettings, institutionTimeZone, saveSettings } from '~/modules/schedule/settings.server'
import { TIERS } from '~/modules/vendors/vocabulary'
import type { Locale } from '~/i18n/locales'
import { formatDay } from '~/modules/dates/dates'

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request, 'admin:settings')
  const { version, ...settings } = await getSettings()
  const timeZone = institutionTimeZone()
  const now = new Date()
  // What today's sign-off would mean for each tier, as a worked example next to the fields.
  const examples = TIERS.map((tier) => ({ tier, dueAt: dueDateAfter(now, cadenceFor({ tier }, settings).months, timeZone).toISOString() }))
  const [review, retention, security] = await Promise.all([getReviewSettings(), getRetentionSettings(), getSecuritySettings()])
  return { values: formFromSettings(settings, version), timeZone, examples, review, security, retention: { intent: 'retention' as const, retentionYears: String(retention.retentionYears), retentionVersion: String(retention.version) } }
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requireUser(request, 'admin:settings')
  const formData = await readFormData(request)
  if (formData.get('intent') === 'review-settings') {
    const review = parseFormData(formData, reviewSettingsFormSchema)
    if (!review.ok) return invalid(review.fieldErrors)
    const savedReview = await saveReviewSettings(reviewSettingsFromForm(review.value), review.value.reviewVersion, actor)
    if (!savedReview.ok) return invalid({}, 'review:settings.conflict', 409)
    return redirect('/admin/settings?saved=review')
  }
  if (formData.get('intent') === 'retention') {
    const retention = parseFormData(formData, retentionSettingsSchema)
    if (!retention.ok) return invalid(retention.fieldErrors)
    const stored = await saveRetentionSettings(retention.value.retentionYears, retention.value.retentionVersion, actor)
    if (!stored.ok) return invalid({}, 'offboarding:settings.conflict', 409)
    return redirect('/admin/settings?saved=retention')
  }
  if (formData.get('intent') === 'security-settings') {
    const security = parseFormData(formData, securitySettingsFormSchema)
    if (!security.ok) return invalid(security.fieldErrors)
    const current = await getSecuritySettings()
    const chosen = securitySettingsFromForm(security.value)
    // While the environment decides the roles, the form cannot change the stored choice.
    const savedSecurity = await saveSecuritySettings(current.rolesFromEnvironment ? { ...chosen, twoFactorRoles: current.storedTwoFactorRoles } : chosen, security.value.securityVersion, actor)
    if (!savedSecurity.ok) return invalid({}, 'admin:security.conflict', 409)
    return redirect('/admin/settings?saved=security')
  }
  const parsed = parseFormData(formData, settingsFormSchema)
  if (!parsed.ok) return invalid(parsed.fieldErrors)
  const saved = await saveSettings(settingsFromForm(parsed.value), parsed.value.version, actor)
  if (!saved.ok) return invalid({}, 'schedule:settings.conflict', 409)
  return redirect('/admin/settings?saved=1')
}

export default function SettingsPage() {
  const { t, i18n } = useTranslation('schedule')
  const { t: to } = useTranslation('offboarding')
  const { values, timeZone, examples, review, security, retention } = useLoaderData<typeof loader>()
  const retentionForm = useValidatedForm(retentionSettingsSchema, { defaultValues: retention })
  const [search] = useSearchParams()
  const { form, onSubmit, formError } = useValidatedForm(settingsFormSchema, { defaultValues: values })
  const locale = i18n.language as Locale
  const day = (iso: string) => formatDay(iso, locale, timeZone)
  const escalationId = useId()
  return (
    <div className="max-w-4xl">
      <PageHeader title={t('settings.title')} subtitle={t('settings.subtitle')} />
      {search.get('saved') === '1' && !formError ? (
        <p role="status" className="mb-4 rounded-md border border-emerald-200 bg-emerald-50 px-4 py-3 text-sm text-emerald-800" data-testid="settings-saved">
          {search.get('saved') === 'retention' ? to('settings.saved') : t('settings.saved')}
        </p>
      ) : null}
      <FormErrorBanner message={formError} />
      <Form method="post" noValidate onSubmit={onSubmit} className="flex flex-col gap-6" data-testid="settings-form">
        <input type="hidden" {...form.register('version')} />
        <Card title={t('settings.cadence')}>
          <p className="mb-4 text-sm text-slate-600">{t('settings.cadenceHint')}</p>
          <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-5">
            <TextField form={form} name="defaultCadenceMonths" type="number" inputMode="numeric" min={1} max={36} label={t('settings.defaultCadence')} required />
            {TIERS.map((tier) => (
              <TextField key={tier} form={form} name={`tier${tier}`} type="number" inputMode="numeric" min={1} max={36} label={t('settings.tierCadence', { tier })} hint={t('settings.tierCadenceHint')} />
            ))}
          </div>
          <ul className="mt-4 grid gap-1 text-xs text-slate-500 sm:grid-cols-2" data-testid="cadence-examples">
            {examples.map((example) => (
              <li key={example.tier}>
                <span className="font-medium text-slate-700">{t('dashboard.tier', { tier: example.tier })}</span> · {t('settings.example', { date: day(example.dueAt) })}
              </li>
            ))}
          </ul>
          <p className="mt-2 text-xs text-slate-500">{t('settings.changesApply')}</p>
        </Card>

        <Card title={t('settings.issuing')}>
          <div className="grid gap-4 sm:grid-cols-2">
            <TextField form={form} name="issueAheadDays" type="number" inputMode="numeric" min={1} max={120} label={t('settings.issueAheadDays')} required />
            <TextField form={form} name="reminderOffsetsDays" label={t('settings.reminderOffsets')} hint={t('settings.reminderOffsetsHint')} />
          </div>
        </Card>

        <Card title={t('settings.escalation')}>
          <div className="grid gap-4 sm:grid-cols-2">
            <label htmlFor={escalationId} className="flex items-start gap-2 text-sm text-slate-700">
              <input id={escalationId} type="checkbox" className="mt-0.5 h-4 w-4 rounded border-slate-300" {...form.register('escalationEnabled')} />
              {t('settings.escalationEnabled')}
            </label>
            <TextField form={form} name="escalationEveryDays" type="number" inputMode="numeric" min={1} max={60} label={t('settings.escalationEveryDays')} required />
          </div>
        </Card>

        <Card title={t('settings.contracts')}>
          <div className="grid gap-4 sm:grid-cols-2">
            <TextField form={form} name="contractExpiryWarningDays" type="number" inputMode="numeric" min={1} max={365} label={t('settings.contractExpiryWarningDays')} required />
            <TextField form={form} name="documentExpiryWarningDays" type="number" inputMode="numeric" min={1} max={365} label={t('settings.documentExpiryWarningDays')} hint={t('settings.documentExpiryWarningHint')} required />
            <div className="flex flex-col gap-1">
              <span className="text-sm font-medium text-slate-700">{t('settings.timeZone')}</span>
              <span className="rounded-md bg-slate-50 px-3 py-2 text-sm text-slate-800 ring-1 ring-inset ring-slate-200" data-testid="time-zone">
                {timeZone}
              </span>
              <span className="text-xs text-slate-500">{t('settings.timeZoneHint')}</span>
            </div>
          </div>
        </Card>

        <div>
          <SubmitButton>{t('settings.save')}</SubmitButton>
        </div>
      </Form>
      <ReviewSettingsForm tiers={review.makerCheckerTiers} version={review.version} saved={search.get('saved') === 'review'} />
      <SecuritySettingsForm settings={security} saved={search.get('saved') === 'security'} />
      <Form method="post" noValidate onSubmit={retentionForm.onSubmit} className="mt-6" data-testid="retention-form">
        <Card title={to('settings.title')}>
          <input type="hidden" {...retentionForm.form.register('intent')} />
          <input type="hidden" {...retentionForm.form.register('retentionVersion')} />
          <div className="grid gap-4 sm:grid-cols-2">
            <TextField form={retentionForm.form} name="retentionYears" type="number" inputMode="numeric" min={1} max={30} label={to('settings.years')} hint={to('retention.reason')} required />
            <p className="text-sm text-slate-600">
              {to('retention.deletes')}{' '}
              <Link to="/admin/retention" className="text-sky-800 hover:underline">
                {to('retention.title')} →
              </Link>
            </p>
          </div>
          <div className="mt-4">
            <SubmitButton>{to('settings.save')}</SubmitButton>
          </div>
        </Card>
      </Form>
    </div>
  )
}

/** Maker-checker, a separate form: it is compliance's rule, not the scheduler's. */
function ReviewSettingsForm({ tiers, version, saved }: { tiers: number[]; version: number; saved: boolean }) {
  const { t } = useTranslation('review')
  const { t: tSchedule } = useTranslation('schedule')
  return (
    <Form method="post" className="mt-6" data-testid="review-settings-form">
      <Card title={t('settings.title')}>
        {saved ? (
          <p role="status" className="mb-3 text-sm text-emerald-800" data-testid="review-settings-saved">
            {t('settings.saved')}
          </p>
        ) : null}
        <input type="hidden" name="intent" value="review-settings" />
        <input type="hidden" name="reviewVersion" value={version} />
        <fieldset>
          <legend className="text-sm font-medium text-slate-700">{t('settings.makerChecker')}</legend>
          <div className="mt-2 flex flex-wrap gap-4">
            {TIERS.map((tier) => (
              <label key={tier} className="flex items-center gap-2 text-sm text-slate-700">
                <input type="checkbox" name={`makerChecker${tier}`} defaultChecked={tiers.includes(tier)} className="h-4 w-4 rounded border-slate-300" />
                {tSchedule('dashboard.tier', { tier })}
              </label>
            ))}
          </div>
          <p className="mt-2 text-xs text-slate-500">{t('settings.makerCheckerHint')}</p>
        </fieldset>
        <div className="mt-4">
          <SubmitButton>{t('settings.save')}</SubmitButton>
        </div>
      </Card>
    </Form>
  )
}

/** Sign-in security: who must use two-step sign-in, and how long sessions last. */
function SecuritySettingsForm({ settings, saved }: { settings: { twoFactorRoles: Role[]; sessionIdleMinutes: number; sessionAbsoluteHours: number; version: number; rolesFromEnvironment: boolean }; saved: boolean }) {
  const { t } = useTranslation('admin')
  const idleId = useId()
  const absoluteId = useId()
  const input = 'mt-1 block w-32 rounded-md border-0 px-3 py-2 text-sm ring-1 ring-inset ring-slate-300'
  return (
    <Form method="post" className="mt-6" data-testid="security-settings-form">
      <Card title={t('security.title')}>
        {saved ? (
          <p role="status" className="mb-3 text-sm text-emerald-800" data-testid="security-settings-saved">
            {t('security.saved')}
          </p>
        ) : null}
        <input type="hidden" name="intent" value="security-settings" />
        <input type="hidden" name="securityVersion" value={settings.version} />
        <fieldset disabled={settings.rolesFromEnvironment}>
          <legend className="text-sm font-medium text-slate-700">{t('security.twoFactorRoles')}</legend>
          <div className="mt-2 flex flex-wrap gap-4">
            {ROLES.map((role) => (
              <label key={role} className="flex items-center gap-2 text-sm text-slate-700">
                <input type="checkbox" name={`twoFactor_${role}`} defaultChecked={settings.twoFactorRoles.includes(role)} className="h-4 w-4 rounded border-slate-300" />
                {t(`common:roles.${role}`)}
              </label>
            ))}
          </div>
          <p className="mt-2 text-xs text-slate-500">{settings.rolesFromEnvironment ? t('security.fromEnvironment') : t('security.twoFactorRolesHint')}</p>
        </fieldset>
        <div className="mt-4 grid gap-4 sm:grid-cols-2">
          <label htmlFor={idleId} className="text-sm font-medium text-slate-700">
            {t('security.idle')}
            <input id={idleId} name="sessionIdleMinutes" type="number" inputMode="numeric" min={1} max={1440} required defaultValue={settings.sessionIdleMinutes} className={input} />
          </label>
          <label htmlFor={absoluteId} className="text-sm font-medium text-slate-700">
            {t('security.absolute')}
            <input id={absoluteId} name="sessionAbsoluteHours" type="number" inputMode="numeric" min={1} max={720} required defaultValue={settings.sessionAbsoluteHours} className={input} />
          </label>
        </div>
        <div className="mt-4">
          <SubmitButton>{t('security.save')}</SubmitButton>
        </div>
      </Card>
    </Form>
  )
}
