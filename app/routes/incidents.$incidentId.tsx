import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { readFormObject } from '~/modules/forms/read.server'
import { useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { Form, FormErrorBanner, SelectField, SubmitButton, TextAreaField, TextField, useValidatedForm } from '~/components/forms'
import { Badge, Card, PageHeader } from '~/components/ui'
import { getEnv } from '~/env.server'
import { localized } from '~/i18n/locales'
import { can } from '~/modules/auth/roles'
import { requireUser } from '~/modules/auth/session.server'
import { invalid } from '~/modules/forms/parse.server'
import { notFound } from '~/modules/http'
import { toLocalDateTime } from '~/modules/incidents/deadline'
import { getIncident, taskOwnerOptions, type IncidentView } from '~/modules/incidents/incidents.server'
import { severityOverrideSchema, taskUpdateSchema, transitionSchema } from '~/modules/incidents/schemas'
import { INCIDENT_TRANSITIONS } from '~/modules/incidents/status'
import { IncidentStatusBadge, SeverityBadge } from '~/modules/incidents/ui/badges'
import { INCIDENT_SEVERITIES } from '~/modules/incidents/vocabulary'
import { overrideIncidentSeverity, transitionIncident, updateIncidentTask } from '~/modules/incidents/writes.server'
import { formatDateTime } from '~/modules/vendors/labels'
import { useLocale } from '~/root'
import { GeneralErrorBoundary, notFoundHandler } from '~/components/general-error-boundary'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Clausewise · ${data.incident.reference}` : 'Clausewise' }]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, 'portal:read')
  const incident = await getIncident(params.incidentId ?? '')
  if (!incident) throw notFound()
  const manage = can(user.role, 'incident:manage')
  return {
    incident,
    owners: manage ? await taskOwnerOptions() : [],
    timeZone: getEnv().INSTITUTION_TIMEZONE,
    can: { manage, download: can(user.role, 'report:download') },
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request, 'incident:manage')
  const raw = await readFormObject(request)
  const id = params.incidentId ?? ''
  const result =
    raw.intent === 'transition' ? await transitionIncident(id, raw, user) : raw.intent === 'severity' ? await overrideIncidentSeverity(id, raw, user) : raw.intent === 'task' ? await updateIncidentTask(id, raw, user) : null
  if (!result) return invalid({ _form: ['errors:invalid'] })
  if (!result.ok) {
    if (result.status === 404) throw notFound()
    return invalid(result.fieldErrors, result.formError, result.status)
  }
  return { ok: true as const, version: result.version }
}

function duration(minutes: number, locale: string) {
  const hours = Math.floor(minutes / 60)
  const rest = minutes % 60
  return locale === 'en' ? `${hours ? `${hours} h ` : ''}${rest} min` : `${hours ? `${hours}小时` : ''}${rest}分钟`
}

export default function IncidentPage() {
  const { t } = useTranslation('incidents')
  const { t: tv } = useTranslation('vendors')
  const { incident, can, timeZone } = useLoaderData<typeof loader>()
  const locale = useLocale()
  const when = (iso: string | null) => formatDateTime(iso, timeZone) ?? '—'
  const clock = incident.notification
  return (
    <div data-testid="incident-page">
      <PageHeader
        title={`${incident.reference} · ${incident.title}`}
        subtitle={`${localized(incident.vendorName, locale)} · ${t(`source.${incident.source}`)}`}
        actions={
          can.download ? (
            <div className="flex gap-2 text-sm">
              <a className="rounded-md border border-slate-300 bg-white px-3 py-2 font-medium text-slate-800 hover:bg-slate-50" href={`/incidents/${incident.id}/report?lang=zh-CN`} data-testid="incident-pdf-zh">
                {t('detail.report')} 中文
              </a>
              <a className="rounded-md border border-slate-300 bg-white px-3 py-2 font-medium text-slate-800 hover:bg-slate-50" href={`/incidents/${incident.id}/report?lang=en`}>
                {t('detail.report')} EN
              </a>
            </div>
          ) : null
        }
      />
      <div className="mb-4 flex flex-wrap items-center gap-2">
        <SeverityBadge severity={incident.severity.effective} />
        <IncidentStatusBadge status={incident.status} />
        <Badge tone={clock.state === 'met' ? 'good' : 'bad'}>
          <span data-testid="notification-state">{clock.state === 'met' ? t('detail.met') : t('detail.missed', { duration: duration(clock.lateMinutes, locale) })}</span>
        </Badge>
        {incident.triggered ? <span className="text-xs text-slate-500">{t('detail.triggered')}</span> : null}
      </div>
      <div className="grid gap-6 lg:grid-cols-2">
        <Card title={t('detail.clock')}>
          <p className="text-sm text-slate-700" data-testid="deadline-rule">
            {clock.clauseId ? t('detail.deadlineRule', { hours: clock.hours, clause: clock.clauseId, contract: clock.contractReference ?? '—' }) : t('detail.deadlineDefault', { hours: clock.hours })}
          </p>
          <dl className="mt-3 grid grid-cols-2 gap-2 text-sm">
            <dt className="text-slate-500">{t('fields.occurredAt')}</dt>
            <dd>{when(incident.occurredAt)}</dd>
            <dt className="text-slate-500">{t('fields.detectedAt')}</dt>
            <dd>{when(incident.detectedAt)}</dd>
            <dt className="text-slate-500">{t('detail.deadline')}</dt>
            <dd className="font-semibold">{when(clock.deadline)}</dd>
            <dt className="text-slate-500">{t('fields.notifiedAt')}</dt>
            <dd className={clock.state === 'met' ? 'text-emerald-700' : 'font-semibold text-red-700'}>{when(incident.notifiedAt)}</dd>
          </dl>
          {clock.findingId ? (
            <p className="mt-3 text-sm">
              <a href={`/findings/${clock.findingId}`} className="text-sky-800 underline">
                {t('detail.finding')}
              </a>
            </p>
          ) : null}
          <p className="mt-2 text-xs text-slate-500">{t('fields.timesHint', { zone: timeZone })}</p>
        </Card>
        <Card title={t('detail.facts')}>
          <p className="whitespace-pre-line text-sm text-slate-800">{incident.description}</p>
          <dl className="mt-3 grid grid-cols-2 gap-2 text-sm">
            <dt className="text-slate-500">{t('fields.cause')}</dt>
            <dd>{t(`cause.${incident.cause}`)}</dd>
            <dt className="text-slate-500">{t('fields.containment')}</dt>
            <dd className="whitespace-pre-line">{incident.containment || t('detail.none')}</dd>
            <dt className="text-slate-500">{t('fields.reporterName')}</dt>
            <dd>{incident.reporterName}</dd>
          </dl>
        </Card>
        <Card title={t('detail.impact')}>
          <dl className="grid grid-cols-2 gap-2 text-sm">
            <dt className="text-slate-500">{t('fields.piCategories')}</dt>
            <dd>{incident.piCategories.length ? incident.piCategories.map((category) => tv(`piCategory.${category}`)).join(locale === 'en' ? ', ' : '、') : t('detail.none')}</dd>
            <dt className="text-slate-500">{t('fields.recordCount')}</dt>
            <dd className="tabular-nums">{incident.recordCount.toLocaleString(locale)}</dd>
            <dt className="text-slate-500">{t('fields.customerCount')}</dt>
            <dd className="tabular-nums">{incident.customerCount.toLocaleString(locale)}</dd>
            <dt className="text-slate-500">{t('fields.crossBorder')}</dt>
            <dd>{incident.crossBorder ? t('detail.yes') : t('detail.no')}</dd>
          </dl>
          <h3 className="mt-4 text-sm font-semibold text-slate-800">{t('detail.severityTitle')}</h3>
          <p className="text-sm text-slate-600">{t('detail.computed', { severity: t(`severity.${incident.severity.computed}`) })}</p>
          <ul className="mt-1 list-disc pl-5 text-sm text-slate-700" data-testid="severity-reasons">
            {incident.severity.reasons.map((reason, index) => (
              <li key={index}>{t(`reasons.${reason.code}`, reasonParams(reason, t, tv, locale === 'en' ? ', ' : '、'))}</li>
            ))}
          </ul>
          {incident.severity.override ? (
            <p className="mt-2 text-sm text-amber-800">
              {t('detail.overridden', { severity: t(`severity.${incident.severity.override.severity}`), name: incident.severity.override.byName })}: {incident.severity.override.justification}
            </p>
          ) : null}
          {can.manage ? <SeverityForm incident={incident} /> : null}
        </Card>
        <Card title={t('detail.statusTitle')}>
          {can.manage && INCIDENT_TRANSITIONS[incident.status].length ? <TransitionForm incident={incident} /> : <IncidentStatusBadge status={incident.status} />}
          <h3 className="mt-4 text-sm font-semibold text-slate-800">{t('detail.attachments')}</h3>
          {incident.attachments.length === 0 ? (
            <p className="text-sm text-slate-500">{t('detail.noAttachments')}</p>
          ) : (
            <ul className="text-sm">
              {incident.attachments.map((file) => (
                <li key={file.fileId}>
                  <a className="text-sky-800 underline" href={`/incidents/${incident.id}/attachments/${file.fileId}`}>
                    {file.filename}
                  </a>{' '}
                  <span className="text-xs text-slate-500">
                    {Math.ceil(file.size / 1024)} KB · {file.uploadedBy}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </Card>
      </div>
      <section className="mt-6">
        <Card title={t('detail.tasks')}>
          <ul className="divide-y divide-slate-100" data-testid="incident-tasks">
            {incident.tasks.map((task) => (
              <li key={task.kind} className="py-3">
                <div className="flex flex-wrap items-center justify-between gap-2">
                  <span className="font-medium text-slate-900">{t(`task.kind.${task.kind}`)}</span>
                  <span className="flex items-center gap-2 text-sm">
                    {task.doneAt ? <Badge tone="good">{t('task.done')}</Badge> : task.overdue ? <Badge tone="bad">{t('task.overdue')}</Badge> : <Badge>{t('task.open')}</Badge>}
                    <span className="text-slate-600">
                      {task.ownerName || t('task.noOwner')} · {t('task.due')} {when(task.dueAt)}
                    </span>
                  </span>
                </div>
                {task.doneAt ? <p className="text-xs text-slate-500">{t('task.doneBy', { date: when(task.doneAt), name: task.doneBy ?? '' })}</p> : null}
                {task.note ? <p className="text-sm text-slate-700">{task.note}</p> : null}
                {can.manage ? <TaskForm incident={incident} kind={task.kind} /> : null}
              </li>
            ))}
          </ul>
        </Card>
      </section>
      <section className="mt-6">
        <Card title={t('detail.timeline')}>
          <ol className="space-y-2 text-sm" data-testid="incident-timeline">
            {incident.timeline.map((entry, index) => (
              <li key={index} className="flex gap-3">
                <span className="w-40 shrink-0 tabular-nums text-slate-500">{when(entry.at)}</span>
                <span>
                  <strong>{t(`timeline.${entry.event}`, { defaultValue: entry.event })}</strong> · {entry.by}
                  {entry.changes ? <span className="ml-1 text-slate-600">{describeChanges(entry.changes, t)}</span> : null}
                  {entry.note ? <span className="block text-slate-700">{entry.note}</span> : null}
                </span>
              </li>
            ))}
          </ol>
        </Card>
      </section>
    </div>
  )
}

type Translate = (key: string, options?: Record<string, unknown>) => string

function reasonParams(reason: { code: string; params: Record<string, unknown> }, t: Translate, tv: Translate, separator: string) {
  const params: Record<string, unknown> = { ...reason.params }
  for (const key of ['severity', 'from', 'to'] as const) if (typeof params[key] === 'string') params[key] = t(`severity.${params[key]}`)
  if (typeof params.band === 'string') params.band = t(`band.${params.band}`)
  if (typeof params.categories === 'string') params.categories = params.categories.split(', ').map((category) => tv(`piCategory.${category}`)).join(separator)
  return params
}

function describeChanges(changes: Record<string, unknown>, t: Translate): string {
  const parts: string[] = []
  if (Array.isArray(changes.status)) parts.push(changes.status.map((status) => t(`status.${status}`)).join(' → '))
  if (Array.isArray(changes.severity)) parts.push(changes.severity.map((severity) => t(`severity.${severity}`)).join(' → '))
  if (typeof changes.task === 'string') parts.push(t(`task.kind.${changes.task}`))
  if (typeof changes.clauseId === 'string') parts.push(changes.clauseId)
  return parts.join(' · ')
}

function TransitionForm({ incident }: { incident: IncidentView }) {
  const { t } = useTranslation('incidents')
  const next = INCIDENT_TRANSITIONS[incident.status][0]!
  const { form, onSubmit, formError } = useValidatedForm(transitionSchema, { defaultValues: { intent: 'transition', to: next, version: incident.version } })
  return (
    <Form method="post" noValidate onSubmit={onSubmit} className="flex flex-col gap-3" key={`t-${incident.version}`}>
      <FormErrorBanner message={formError} />
      <input type="hidden" {...form.register('intent')} />
      <input type="hidden" {...form.register('version')} />
      <SelectField form={form} name="to" label={t('detail.statusTitle')} options={INCIDENT_TRANSITIONS[incident.status].map((status) => ({ value: status, label: t('detail.moveTo', { status: t(`status.${status}`) }) }))} />
      <TextAreaField form={form} name="note" label={t('detail.note')} rows={2} />
      {next === 'closed' ? <p className="text-xs text-slate-500">{t('detail.closeHint')}</p> : null}
      <div>
        <SubmitButton data-testid="transition-submit">{t('detail.moveTo', { status: t(`status.${next}`) })}</SubmitButton>
      </div>
    </Form>
  )
}

function SeverityForm({ incident }: { incident: IncidentView }) {
  const { t } = useTranslation('incidents')
  const { form, onSubmit, formError } = useValidatedForm(severityOverrideSchema, {
    defaultValues: { intent: 'severity', severity: incident.severity.effective, justification: '', version: incident.version },
  })
  const options = [
    ...(incident.severity.override ? [{ value: 'computed', label: t('detail.useComputed') }] : []),
    ...INCIDENT_SEVERITIES.map((severity) => ({ value: severity, label: t(`severity.${severity}`) })),
  ]
  return (
    <details className="mt-3">
      <summary className="cursor-pointer text-sm font-medium text-sky-800">{t('detail.override')}</summary>
      <Form method="post" noValidate onSubmit={onSubmit} className="mt-2 flex flex-col gap-3" key={`s-${incident.version}`}>
        <FormErrorBanner message={formError} />
        <input type="hidden" {...form.register('intent')} />
        <input type="hidden" {...form.register('version')} />
        <SelectField form={form} name="severity" label={t('detail.severityTitle')} options={options} />
        <TextAreaField form={form} name="justification" label={t('detail.justification')} hint={t('detail.justificationHint')} rows={3} required />
        <div>
          <SubmitButton>{t('detail.saveSeverity')}</SubmitButton>
        </div>
      </Form>
    </details>
  )
}

function TaskForm({ incident, kind }: { incident: IncidentView; kind: IncidentView['tasks'][number]['kind'] }) {
  const { t } = useTranslation('incidents')
  const { owners, timeZone } = useLoaderData<typeof loader>()
  const task = incident.tasks.find((entry) => entry.kind === kind)!
  const { form, onSubmit, formError } = useValidatedForm(taskUpdateSchema, {
    defaultValues: { intent: 'task', kind, ownerId: task.ownerId ?? '', dueAt: toLocalDateTime(new Date(task.dueAt), timeZone), done: Boolean(task.doneAt), note: task.note, version: incident.version },
  })
  return (
    <details className="mt-2">
      <summary className="cursor-pointer text-xs font-medium text-sky-800">{t('task.save')}</summary>
      <Form method="post" noValidate onSubmit={onSubmit} className="mt-2 grid gap-3 sm:grid-cols-4" key={`${kind}-${incident.version}`}>
        <FormErrorBanner message={formError} />
        <input type="hidden" {...form.register('intent')} />
        <input type="hidden" {...form.register('kind')} />
        <input type="hidden" {...form.register('version')} />
        <SelectField form={form} name="ownerId" label={t('task.owner')} options={owners.map((owner) => ({ value: owner.id, label: owner.name }))} />
        <TextField form={form} name="dueAt" type="datetime-local" label={t('task.due')} />
        <TextField form={form} name="note" label={t('task.note')} />
        <label className="flex items-center gap-2 self-end pb-2 text-sm text-slate-700">
          <input type="checkbox" className="h-4 w-4 rounded border-slate-300" {...form.register('done')} />
          {t('task.done')}
        </label>
        <div className="sm:col-span-4">
          <SubmitButton>{t('task.save')}</SubmitButton>
        </div>
      </Form>
    </details>
  )
}

// Rendered inside the staff shell, so the navigation stays; a missing incident is named as such.
export function ErrorBoundary() {
  return <GeneralErrorBoundary statusHandlers={{ 404: notFoundHandler('errorPage.notFound.incident') }} />
}
