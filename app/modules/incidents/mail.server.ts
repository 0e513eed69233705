// The e-mails of an incident's tasks, in the recipient's language: a reminder to the owner a day
// before the task is due, and an escalation to the owner and compliance once it is overdue. The
// dedupe key (incident, task, kind, due day) lets each through the outbox exactly once; a moved
// due date has new keys and so its own reminder and escalation.
import { appUrl, getEnv } from '~/env.server'
import { translatorFor } from '~/i18n/i18n.server'
import { isLocale, localized, type Locale } from '~/i18n/locales'
import { dayIn } from '~/modules/dates/dates'
import { renderMail } from '~/modules/mail/layout'
import { sendMail, type SendResult } from '~/modules/mail/mail.server'
import type { TaskMailKind } from './tasks'
import type { IncidentTaskKind } from './vocabulary'

export function taskMailKey(incidentId: string, kind: IncidentTaskKind, mail: TaskMailKind, dueAt: Date) {
  return `incident:${incidentId}:task:${kind}:${mail}:${dayIn(dueAt, getEnv().INSTITUTION_TIMEZONE)}`
}

export async function sendTaskMail(input: {
  mail: TaskMailKind
  incident: { id: string; reference: string; title: string; vendorName: { 'zh-CN'?: string; en?: string } }
  task: { kind: IncidentTaskKind; dueAt: Date; ownerName?: string | null; ownerEmail: string; ownerLocale?: string | null }
  cc: string[]
}): Promise<SendResult> {
  const locale: Locale = isLocale(input.task.ownerLocale) ? input.task.ownerLocale : 'zh-CN'
  const t = await translatorFor(locale, 'incidents')
  const zone = getEnv().INSTITUTION_TIMEZONE
  const params = {
    name: input.task.ownerName ?? '',
    reference: input.incident.reference,
    title: input.incident.title,
    vendor: localized(input.incident.vendorName, locale) || '—',
    task: t(`task.kind.${input.task.kind}`),
    due: new Intl.DateTimeFormat(locale, { timeZone: zone, year: 'numeric', month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit' }).format(input.task.dueAt),
    institution: getEnv().INSTITUTION_NAME,
  }
  const body = renderMail({
    greeting: t('mail.greeting', params),
    paragraphs: [t(`mail.${input.mail}.intro`, params), t(`mail.${input.mail}.next`, params)],
    action: { label: t('mail.action'), url: `${appUrl()}/incidents/${input.incident.id}` },
    footer: t('mail.footer', params),
  })
  return sendMail({
    to: input.task.ownerEmail,
    cc: input.mail === 'escalation' ? input.cc.filter((address) => address !== input.task.ownerEmail) : undefined,
    subject: t(`mail.${input.mail}.subject`, params),
    ...body,
    locale,
    kind: `incident_task_${input.mail}`,
    dedupeKey: taskMailKey(input.incident.id, input.task.kind, input.mail, input.task.dueAt),
    related: { kind: 'incident', id: input.incident.id },
  })
}
