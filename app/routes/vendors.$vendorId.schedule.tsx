import { TZDate } from '@date-fns/tz'
import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { Form, FormErrorBanner, SelectField, SubmitButton, TextAreaField, TextField, useValidatedForm } from '~/components/forms'
import { Card } from '~/components/ui'
import { can } from '~/modules/auth/roles'
import { requireUser } from '~/modules/auth/session.server'
import { parseFormData, invalid } from '~/modules/forms/parse.server'
import { notFound } from '~/modules/http'
import { dayKey } from '~/modules/schedule/cadence'
import { recordTrigger, setVendorCadence } from '~/modules/schedule/schedule.server'
import { institutionTimeZone } from '~/modules/schedule/settings.server'
import { bringForwardSchema, cadenceSchema } from '~/modules/schedule/vendor-schedule'
import { getVendorSchedule } from '~/modules/schedule/vendor-schedule.server'
import { formatDateTime, formatDay } from '~/modules/vendors/labels'
import { isVendorReadOnly, READ_ONLY_MESSAGE } from '~/modules/offboarding/read-only.server'
import { useVendorLayoutData } from './vendors.$vendorId'
import { readFormData } from '~/modules/forms/read.server'
import { GeneralErrorBoundary } from '~/components/general-error-boundary'

// The vendor's reassessment schedule: cadence in force, next due date, the triggers recorded, and
// the staff forms that bring a reassessment forward or set the vendor's own cadence.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, 'portal:read')
  const schedule = await getVendorSchedule(params.vendorId ?? '')
  if (!schedule) throw notFound()
  return {
    schedule,
    timeZone: institutionTimeZone(),
    can: { bringForward: can(user.role, 'assessment:manage'), cadence: can(user.role, 'vendor:write') },
  }
}

type ActionResult =
  | { ok: true; intent: 'bringForward'; message: 'moved' | 'started' | 'startFailed' | 'unchanged'; nextDueAt: string | null }
  | { ok: true; intent: 'cadence' }

export async function action({ request, params }: ActionFunctionArgs) {
  const formData = await readFormData(request)
  const intent = formData.get('intent')
  const user = await requireUser(request, intent === 'cadence' ? 'vendor:write' : 'assessment:manage')
  const vendorId = params.vendorId ?? ''
  const actor = { kind: 'user' as const, id: user.id, name: user.name }
  if (await isVendorReadOnly(vendorId)) return invalid({}, READ_ONLY_MESSAGE, 409)

  if (intent === 'cadence') {
    const parsed = parseFormData(formData, cadenceSchema)
    if (!parsed.ok) return invalid(parsed.fieldErrors)
    const result = await setVendorCadence(vendorId, parsed.value.cadenceMonths, actor)
    if (!result.ok) throw notFound()
    return { ok: true, intent: 'cadence' } satisfies ActionResult
  }

  const parsed = parseFormData(formData, bringForwardSchema)
  if (!parsed.ok) return invalid(parsed.fieldErrors)
  const timeZone = institutionTimeZone()
  const now = new Date()
  let dueAt: Date | undefined
  if (parsed.value.when === 'date') {
    const day = parsed.value.dueAt!
    if (day < dayKey(now, timeZone)) return invalid({ dueAt: ['schedule:vendorSchedule.errors.pastDate'] })
    const [year, month, date] = day.split('-').map(Number) as [number, number, number]
    dueAt = new Date(new TZDate(year, month - 1, date, 12, 0, 0, timeZone).getTime())
  }
  const result = await recordTrigger({
    vendorId,
    reason: 'staff_request',
    detail: parsed.value.reason,
    actor,
    dueAt,
    startNow: parsed.value.when === 'now',
    now,
  })
  if (!result.ok) throw notFound()
  const message = !result.broughtForward
    ? 'unchanged'
    : parsed.value.when === 'now'
      ? result.issued === 'issued' || result.issued === 'adopted'
        ? 'started'
        : 'startFailed'
      : 'moved'
  return { ok: true, intent: 'bringForward', message, nextDueAt: result.nextDueAt?.toISOString() ?? null } satisfies ActionResult
}

export default function VendorSchedulePage() {
  const { t } = useTranslation('schedule')
  const { vendor } = useVendorLayoutData()
  const { schedule, timeZone, can } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>() as ActionResult | { ok: false } | undefined
  const done = actionData && actionData.ok ? actionData : null
  const bringForward = useValidatedForm(bringForwardSchema, { defaultValues: { intent: 'bringForward', reason: '', when: 'date', dueAt: '' } })
  const cadenceForm = useValidatedForm(cadenceSchema, { defaultValues: { intent: 'cadence', cadenceMonths: schedule.cadence.vendorMonths ?? '' } })
  const when = bringForward.form.watch('when')
  const sourceText = t(`vendorSchedule.source.${schedule.cadence.source}`, { tier: vendor.effectiveTier })

  return (
    <div className="flex flex-col gap-6" data-testid="vendor-schedule">
      <Card title={t('vendorSchedule.title')}>
        <dl className="grid gap-4 sm:grid-cols-3">
          <div>
            <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{t('vendorSchedule.cadence')}</dt>
            <dd className="mt-1 text-sm text-slate-900" data-testid="schedule-cadence">
              {t('vendorSchedule.cadenceValue', { months: schedule.cadence.months })}
              <span className="block text-xs text-slate-500">{sourceText}</span>
            </dd>
          </div>
          <div>
            <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{t('vendorSchedule.nextDue')}</dt>
            <dd className="mt-1 text-sm text-slate-900" data-testid="schedule-next-due">
              {formatDay(schedule.nextDueAt, timeZone) ?? t('vendorSchedule.notScheduled')}
              {schedule.issued ? <span className="block text-xs text-slate-500">{t('vendorSchedule.issued')}</span> : null}
              {schedule.openAssessmentId ? (
                <Link to={`/assessments/${schedule.openAssessmentId}`} className="block text-xs text-sky-800 hover:underline">
                  {t('vendorSchedule.viewAssessment')}
                </Link>
              ) : null}
            </dd>
          </div>
          <div>
            <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{t('vendorSchedule.lastAssessed')}</dt>
            <dd className="mt-1 text-sm text-slate-900">{formatDay(schedule.lastAssessedAt, timeZone) ?? t('vendorSchedule.never')}</dd>
          </div>
        </dl>
        <p className="mt-4 text-xs text-slate-500">{t('vendorSchedule.times', { zone: timeZone })}</p>
      </Card>

      <div className="grid gap-6 lg:grid-cols-2">
        <Card title={t('vendorSchedule.bringForward.title')}>
          {can.bringForward ? (
            <>
              {done?.intent === 'bringForward' ? (
                <p role="status" className="mb-4 rounded-md border border-emerald-200 bg-emerald-50 px-4 py-2 text-sm text-emerald-800">
                  {t(`vendorSchedule.bringForward.${done.message}`, { date: formatDay(done.nextDueAt, timeZone) })}
                </p>
              ) : null}
              <p className="mb-4 text-sm text-slate-600">{t('vendorSchedule.bringForward.intro')}</p>
              <FormErrorBanner message={bringForward.formError} />
              <Form method="post" noValidate onSubmit={bringForward.onSubmit} className="flex flex-col gap-4" data-testid="bring-forward-form">
                <input type="hidden" {...bringForward.form.register('intent')} />
                <TextAreaField form={bringForward.form} name="reason" label={t('vendorSchedule.bringForward.reason')} hint={t('vendorSchedule.bringForward.reasonHint')} rows={3} required />
                <SelectField
                  form={bringForward.form}
                  name="when"
                  label={t('vendorSchedule.bringForward.when')}
                  options={[
                    { value: 'date', label: t('vendorSchedule.bringForward.whenDate') },
                    { value: 'now', label: t('vendorSchedule.bringForward.whenNow') },
                  ]}
                  required
                />
                {when !== 'now' ? <TextField form={bringForward.form} name="dueAt" type="date" label={t('vendorSchedule.bringForward.dueAt')} required /> : null}
                <div>
                  <SubmitButton>{t('vendorSchedule.bringForward.submit')}</SubmitButton>
                </div>
              </Form>
            </>
          ) : (
            <p className="text-sm text-slate-500">{t('vendorSchedule.bringForward.notAllowed')}</p>
          )}
        </Card>

        <Card title={t('vendorSchedule.cadenceForm.title')}>
          {can.cadence ? (
            <>
              {done?.intent === 'cadence' ? (
                <p role="status" className="mb-4 rounded-md border border-emerald-200 bg-emerald-50 px-4 py-2 text-sm text-emerald-800">
                  {t('vendorSchedule.cadenceForm.saved')}
                </p>
              ) : null}
              <p className="mb-4 text-sm text-slate-600">{t('vendorSchedule.cadenceForm.intro')}</p>
              <Form method="post" noValidate onSubmit={cadenceForm.onSubmit} className="flex flex-col gap-4" data-testid="cadence-form">
                <input type="hidden" {...cadenceForm.form.register('intent')} />
                <TextField
                  form={cadenceForm.form}
                  name="cadenceMonths"
                  type="number"
                  min={1}
                  max={36}
                  inputMode="numeric"
                  label={t('vendorSchedule.cadenceForm.months')}
                  hint={t('vendorSchedule.cadenceForm.hint')}
                />
                <div>
                  <SubmitButton>{t('vendorSchedule.cadenceForm.submit')}</SubmitButton>
                </div>
              </Form>
            </>
          ) : (
            <p className="text-sm text-slate-500">{t('vendorSchedule.cadenceForm.notAllowed')}</p>
          )}
        </Card>
      </div>

      <Card title={t('vendorSchedule.history')}>
        {schedule.triggers.length === 0 ? (
          <p className="text-sm text-slate-500">{t('vendorSchedule.historyEmpty')}</p>
        ) : (
          <div className="overflow-x-auto">
            <table className="min-w-full text-left text-sm" data-testid="trigger-history">
              <thead className="border-b border-slate-200 text-xs uppercase tracking-wide text-slate-500">
                <tr>
                  <th className="py-2 pr-4 font-medium">{t('vendorSchedule.column.reason')}</th>
                  <th className="py-2 pr-4 font-medium">{t('vendorSchedule.column.detail')}</th>
                  <th className="py-2 pr-4 font-medium">{t('vendorSchedule.column.by')}</th>
                  <th className="py-2 pr-4 font-medium">{t('vendorSchedule.column.at')}</th>
                  <th className="py-2 font-medium">{t('vendorSchedule.column.dueAt')}</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {schedule.triggers.map((entry, index) => (
                  <tr key={`${entry.at}-${index}`} className="align-top">
                    <td className="whitespace-nowrap py-2 pr-4 font-medium text-slate-800">{t(`vendorSchedule.reason.${entry.reason}`, { defaultValue: entry.reason })}</td>
                    <td className="min-w-[12rem] whitespace-pre-line py-2 pr-4 text-slate-700">{entry.detail ?? ''}</td>
                    <td className="whitespace-nowrap py-2 pr-4 text-slate-700">{!entry.byName || entry.byName === 'system' ? t('vendorSchedule.system') : entry.byName}</td>
                    <td className="whitespace-nowrap py-2 pr-4 text-slate-600">{formatDateTime(entry.at, timeZone)}</td>
                    <td className="whitespace-nowrap py-2 text-slate-600">{formatDay(entry.dueAt, timeZone) ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
    </div>
  )
}

// An error here keeps the parent page's header and tabs around it.
export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
