import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { inputClass } from '~/components/forms'
import { Badge, Card, EmptyState, buttonClass } from '~/components/ui'
import { useLocale } from '~/root'
import { getEnv } from '~/env.server'
import { localized, type Locale } from '~/i18n/locales'
import { can } from '~/modules/auth/roles'
import { requireUser } from '~/modules/auth/session.server'
import { answerText, formatBytes } from '~/modules/assessments/answer-text'
import { getAssessmentOverview, type AssessmentOverview } from '~/modules/assessments/assessments.server'
import { dayIn, endOfDayIn, formatDateTime, formatDay } from '~/modules/dates/dates'
import { extendDueDate, inviteContacts, reissueInvitation, revokeInvitation, sendReminder } from '~/modules/assessments/invitations.server'
import { sectionsOf, visibleQuestionIds } from '~/modules/assessments/questions'
import { manageSchema } from '~/modules/assessments/staff-schemas'
import { AWAITING_VENDOR } from '~/modules/assessments/status'
import { OPEN_STATUSES } from '~/modules/assessments/vocabulary'
import { invalid, parseForm } from '~/modules/forms/parse.server'
import { getVendor } from '~/modules/vendors/vendors.server'

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, 'portal:read')
  const overview = await getAssessmentOverview(String(params.assessmentId))
  if (!overview) throw new Response('Not found', { status: 404, statusText: 'Not found' })
  const canManage = can(user.role, 'assessment:manage')
  const vendor = canManage ? await getVendor(overview.vendor.vendorId) : null
  const invited = new Set(overview.invitations.map((invitation) => invitation.email.toLowerCase()))
  return {
    overview,
    canManage,
    today: dayIn(new Date(), overview.timeZone),
    uninvited: (vendor?.contacts ?? []).filter((contact) => !invited.has(contact.email.toLowerCase())).map((contact) => ({ id: contact.id, name: contact.name, email: contact.email })),
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request, 'assessment:manage')
  const id = String(params.assessmentId)
  const timeZone = getEnv().INSTITUTION_TIMEZONE
  const parsed = await parseForm(request, manageSchema(dayIn(new Date(), timeZone)))
  if (!parsed.ok) return invalid(parsed.fieldErrors)
  const actor = { kind: 'user' as const, id: user.id, name: user.name }
  const value = parsed.value
  let outcome: { ok: boolean; refusal?: string }
  switch (value.intent) {
    case 'extend':
      outcome = await extendDueDate(id, endOfDayIn(value.dueDate, timeZone), actor)
      break
    case 'remind':
      outcome = await sendReminder(id, actor)
      break
    case 'revoke':
      outcome = await revokeInvitation(id, value.invitationId, actor)
      break
    case 'reissue':
      outcome = await reissueInvitation(id, value.invitationId, actor)
      break
    case 'invite': {
      const overview = await getAssessmentOverview(id)
      const vendor = overview ? await getVendor(overview.vendor.vendorId) : null
      const contacts = (vendor?.contacts ?? []).filter((contact) => value.contactIds.includes(contact.id))
      outcome = await inviteContacts(id, contacts, actor)
      break
    }
  }
  if (!outcome.ok) return data({ ok: false as const, fieldErrors: {}, formError: `assessments:refusal.${outcome.refusal}` }, { status: outcome.refusal === 'notFound' ? 404 : 409 })
  return { ok: true as const, done: value.intent }
}

export default function AssessmentOverviewPage() {
  const { overview, canManage, today, uninvited } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>() as { ok: boolean; done?: string; formError?: string; fieldErrors?: Record<string, string[]> } | undefined
  const { t } = useTranslation('assessments')
  const locale = useLocale()
  const open = OPEN_STATUSES.includes(overview.status)
  const awaiting = AWAITING_VENDOR.includes(overview.status)
  return (
    <div className="grid gap-6 lg:grid-cols-3" data-testid="assessment-overview">
      <div className="flex flex-col gap-6 lg:col-span-2">
        {actionData?.ok ? (
          <p role="status" className="rounded-md border border-emerald-200 bg-emerald-50 px-4 py-3 text-sm text-emerald-900">
            {t(`done.${actionData.done}`)}
          </p>
        ) : actionData?.formError || actionData?.fieldErrors ? (
          <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-800">
            {actionData.formError ? t(actionData.formError.replace('assessments:', '')) : t('errors.invalidAction')}
          </p>
        ) : null}
        <AnswersCard overview={overview} locale={locale} />
      </div>
      <div className="flex flex-col gap-6">
        <Card title={t('overview.status')}>
          <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
            <dt className="text-slate-500">{t('overview.progress')}</dt>
            <dd>
              <span className="flex items-center gap-2">
                <span className="h-2 w-24 overflow-hidden rounded-full bg-slate-200">
                  <span className="block h-full bg-sky-600" style={{ width: `${overview.progress.percent}%` }} />
                </span>
                <span className="tabular-nums">{overview.progress.percent}%</span>
              </span>
              <span className="text-xs text-slate-500">{t('overview.progressDetail', { answered: overview.progress.answered, required: overview.progress.required })}</span>
            </dd>
            <dt className="text-slate-500">{t('overview.due')}</dt>
            <dd className={overview.overdue ? 'font-medium text-red-700' : ''}>{formatDay(overview.dueAt, locale, overview.timeZone)}</dd>
            <dt className="text-slate-500">{t('overview.started')}</dt>
            <dd>
              {formatDay(overview.createdAt, locale, overview.timeZone)}
              <span className="block text-xs text-slate-500">
                {t(`trigger.${overview.trigger.reason}`, { defaultValue: overview.trigger.reason })}
                {overview.createdBy ? ` · ${overview.createdBy}` : ''}
              </span>
              {overview.trigger.detail ? <span className="block text-xs italic text-slate-500">{overview.trigger.detail}</span> : null}
            </dd>
            {overview.lastActivityAt ? (
              <>
                <dt className="text-slate-500">{t('overview.lastActivity')}</dt>
                <dd>{formatDateTime(overview.lastActivityAt, locale, overview.timeZone)}</dd>
              </>
            ) : null}
            {overview.submission ? (
              <>
                <dt className="text-slate-500">{t('overview.submitted')}</dt>
                <dd data-testid="submission">
                  {formatDateTime(overview.submission.at, locale, overview.timeZone)}
                  <span className="block text-xs text-slate-500">
                    {overview.submission.name} · {overview.submission.title}
                    {overview.submission.count > 1 ? ` · ${t('overview.round', { count: overview.submission.count })}` : ''}
                  </span>
                </dd>
              </>
            ) : null}
            <dt className="text-slate-500">{t('overview.contract')}</dt>
            <dd>{overview.contract.reference ? t('overview.contractClauses', { reference: overview.contract.reference, count: overview.contract.clauseCount }) : t('overview.noContract')}</dd>
            <dt className="text-slate-500">{t('overview.questionnaires')}</dt>
            <dd>
              {overview.questionnaires.map((questionnaire) => (
                <span key={questionnaire.id} className="block">
                  {localized(questionnaire.title, locale)} <span className="text-xs text-slate-500">v{questionnaire.version}</span>
                </span>
              ))}
            </dd>
          </dl>
        </Card>

        {canManage && open ? (
          <Card title={t('overview.actions')}>
            <div className="flex flex-col gap-4">
              <Form method="post" className="flex flex-wrap items-end gap-2">
                <input type="hidden" name="intent" value="extend" />
                <label className="flex flex-col gap-1 text-sm text-slate-700">
                  {t('overview.newDueDate')}
                  <input type="date" name="dueDate" min={today} required defaultValue={overview.dueAt.slice(0, 10)} className={inputClass} />
                </label>
                <ActionButton intent="extend">{t('overview.extend')}</ActionButton>
              </Form>
              {actionData?.fieldErrors?.dueDate ? <p className="text-sm text-red-700">{t('errors.dueInPast')}</p> : null}
              {awaiting ? (
                <Form method="post">
                  <input type="hidden" name="intent" value="remind" />
                  <ActionButton intent="remind" secondary>
                    {t('overview.remind')}
                  </ActionButton>
                  <p className="mt-1 text-xs text-slate-500">{t('overview.remindHint')}</p>
                </Form>
              ) : null}
              {uninvited.length ? (
                <Form method="post" className="flex flex-col gap-2">
                  <input type="hidden" name="intent" value="invite" />
                  <p className="text-sm font-medium text-slate-700">{t('overview.inviteMore')}</p>
                  {uninvited.map((contact) => (
                    <label key={contact.id} className="flex items-center gap-2 text-sm">
                      <input type="checkbox" name="contactIds" value={contact.id} className="h-4 w-4 accent-sky-700" />
                      {contact.name} <span className="text-slate-500">{contact.email}</span>
                    </label>
                  ))}
                  <ActionButton intent="invite" secondary>
                    {t('overview.invite')}
                  </ActionButton>
                </Form>
              ) : null}
            </div>
          </Card>
        ) : null}

        <Card title={t('overview.invitations')}>
          {overview.invitations.length === 0 ? (
            <p className="text-sm text-slate-600">{t('overview.noInvitations')}</p>
          ) : (
            <ul className="flex flex-col divide-y divide-slate-100 text-sm" data-testid="invitations">
              {[...overview.invitations].reverse().map((invitation) => (
                <li key={invitation.id} className="py-2.5">
                  <div className="flex flex-wrap items-center justify-between gap-2">
                    <span className="font-medium text-slate-900">{invitation.name}</span>
                    <Badge tone={invitation.state === 'active' ? 'good' : invitation.state === 'expired' ? 'warn' : 'neutral'}>
                      {t(`linkState.${invitation.state === 'revoked' ? (invitation.revokedReason ?? 'revoked') : invitation.state}`)}
                    </Badge>
                  </div>
                  <p className="text-xs text-slate-500">
                    {invitation.email} · {invitation.locale === 'en' ? 'English' : '中文'}
                  </p>
                  <p className="text-xs text-slate-500">
                    {t(`purpose.${invitation.purpose}`)} · {invitation.issuedAt ? formatDateTime(invitation.issuedAt, locale, overview.timeZone) : ''}
                    {invitation.issuedBy ? ` · ${invitation.issuedBy}` : ''}
                  </p>
                  <p className="text-xs text-slate-500">
                    {invitation.mailStatus ? t(`mailStatus.${invitation.mailStatus}`) : t('mailStatus.pending')}
                    {invitation.lastUsedAt ? ` · ${t('overview.lastUsed', { when: formatDateTime(invitation.lastUsedAt, locale, overview.timeZone) })}` : ` · ${t('overview.neverOpened')}`}
                  </p>
                  {canManage && open ? (
                    <div className="mt-1.5 flex gap-2">
                      {invitation.state === 'active' ? (
                        <Form
                          method="post"
                          onSubmit={(event) => {
                            if (!window.confirm(t('overview.confirmRevoke', { name: invitation.name }))) event.preventDefault()
                          }}
                        >
                          <input type="hidden" name="intent" value="revoke" />
                          <input type="hidden" name="invitationId" value={invitation.id} />
                          <button type="submit" className="text-xs font-medium text-red-700 hover:underline">
                            {t('overview.revoke')}
                          </button>
                        </Form>
                      ) : null}
                      <Form method="post">
                        <input type="hidden" name="intent" value="reissue" />
                        <input type="hidden" name="invitationId" value={invitation.id} />
                        <button type="submit" className="text-xs font-medium text-sky-700 hover:underline">
                          {t('overview.reissue')}
                        </button>
                      </Form>
                    </div>
                  ) : null}
                </li>
              ))}
            </ul>
          )}
        </Card>

        <Card title={t('overview.history')}>
          {overview.history.length === 0 ? (
            <p className="text-sm text-slate-600">{t('overview.noHistory')}</p>
          ) : (
            <ol className="flex flex-col gap-2 text-sm">
              {overview.history.map((event) => (
                <li key={event.id}>
                  <span className="text-slate-800">{t(`events.${event.action.replace('assessment.', '')}`, { defaultValue: event.action })}</span>
                  <span className="block text-xs text-slate-500">
                    {formatDateTime(event.at, locale, overview.timeZone)} · {event.actor}
                  </span>
                </li>
              ))}
            </ol>
          )}
        </Card>
      </div>
    </div>
  )
}

function ActionButton({ intent, secondary, children }: { intent: string; secondary?: boolean; children: React.ReactNode }) {
  const navigation = useNavigation()
  const busy = navigation.state === 'submitting' && navigation.formData?.get('intent') === intent
  return (
    <button type="submit" disabled={busy} className={secondary ? buttonClass.secondary : buttonClass.primary}>
      {children}
    </button>
  )
}

function AnswersCard({ overview, locale }: { overview: AssessmentOverview; locale: Locale }) {
  const { t } = useTranslation('assessments')
  const visible = visibleQuestionIds(overview.questionnaires, overview.answers)
  const sections = sectionsOf(overview.questionnaires)
  const answeredAny = Object.keys(overview.answers).length > 0
  return (
    <Card title={t('overview.answers')}>
      {!answeredAny ? <EmptyState>{t('overview.noAnswers')}</EmptyState> : null}
      <div className="flex flex-col gap-6" data-testid="answers">
        {sections.map(({ questionnaire, section }, sectionIndex) => (
          <section key={`${questionnaire.id}-${section.id}`}>
            <h3 className="mb-2 text-sm font-semibold uppercase tracking-wide text-slate-500">
              {sectionIndex + 1}. {localized(section.title, locale)}
            </h3>
            <dl className="divide-y divide-slate-100 rounded-md border border-slate-200">
              {section.questions
                .filter((question) => visible.has(question.id))
                .map((question) => {
                  const answer = overview.answers[question.id]
                  const text = answer ? answerText(question, answer.value, locale) : ''
                  return (
                    <div key={question.id} className="grid gap-1 px-3 py-2.5 sm:grid-cols-2 sm:gap-4" data-answer={question.id}>
                      <dt className="text-sm text-slate-700">
                        <span className="mr-1.5 text-xs font-semibold text-slate-400">{question.id}</span>
                        {localized(question.text, locale)}
                      </dt>
                      <dd className="text-sm">
                        {text ? (
                          <span className="whitespace-pre-wrap break-words font-medium text-slate-900">{text}</span>
                        ) : question.kind === 'file' && answer?.evidence.length ? null : (
                          <span className="text-slate-400">{t('overview.unanswered')}</span>
                        )}
                        {answer?.comment ? <span className="mt-1 block whitespace-pre-wrap break-words text-xs text-slate-600">“{answer.comment}”</span> : null}
                        {answer?.evidence.length ? (
                          <ul className="mt-1 flex flex-col gap-0.5">
                            {answer.evidence.map((file) => (
                              <li key={file.fileId}>
                                <a href={`/assessments/${overview.id}/evidence/${file.fileId}`} className="text-sm text-sky-700 underline decoration-sky-300 hover:decoration-sky-700" data-testid="staff-evidence">
                                  {file.filename}
                                </a>{' '}
                                <span className="text-xs text-slate-400">{formatBytes(file.size, locale)}</span>
                              </li>
                            ))}
                          </ul>
                        ) : null}
                        {answer?.updatedBy && answer.updatedAt ? (
                          <span className="mt-1 block text-xs text-slate-400">
                            {answer.updatedBy} · {formatDateTime(answer.updatedAt, locale, overview.timeZone)}
                          </span>
                        ) : null}
                      </dd>
                    </div>
                  )
                })}
            </dl>
          </section>
        ))}
      </div>
    </Card>
  )
}
