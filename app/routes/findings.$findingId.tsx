import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { Form, FormErrorBanner, SelectField, SubmitButton, TextAreaField, TextField, useValidatedForm } from '~/components/forms'
import { Badge, Card, PageHeader } from '~/components/ui'
import { getEnv } from '~/env.server'
import { getLocale } from '~/i18n/i18n.server'
import { can } from '~/modules/auth/roles'
import { redirectWithFlash, requireUser } from '~/modules/auth/session.server'
import { dayIn } from '~/modules/dates/dates'
import { getFinding, updateFinding } from '~/modules/findings/findings.server'
import { findingUpdateSchema } from '~/modules/findings/schemas'
import { FINDING_OWNERS, FINDING_STATUSES } from '~/modules/findings/vocabulary'
import { invalid } from '~/modules/forms/parse.server'
import { notFound } from '~/modules/http'
import { SEVERITIES } from '~/modules/library/content-schema'
import { FindingStatusBadge, SeverityBadge, formatDate } from '~/modules/review/ui/labels'
import { readFormObject } from '~/modules/forms/read.server'
import { severityLabel } from '~/i18n/glossary'
import { GeneralErrorBoundary, notFoundHandler } from '~/components/general-error-boundary'

export const meta: MetaFunction = () => [{ title: 'Finding · Clausewise' }]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, 'portal:read')
  const locale = await getLocale(request)
  const finding = await getFinding(params.findingId ?? '', locale)
  if (!finding) throw notFound()
  const timeZone = getEnv().INSTITUTION_TIMEZONE
  return { finding, dueDay: dayIn(finding.dueAt, timeZone), canEdit: can(user.role, 'assessment:review'), timeZone }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request, 'assessment:review')
  const raw = await readFormObject(request)
  const result = await updateFinding(params.findingId ?? '', raw, user)
  if (!result.ok) return invalid(result.fieldErrors, result.formError, result.status)
  return redirectWithFlash(request, `/findings/${params.findingId}`, 'findingSaved')
}

export default function FindingPage() {
  const { t, i18n } = useTranslation('findings')
  const { finding, canEdit, timeZone } = useLoaderData<typeof loader>()
  const source = finding.source
  const reviewLink = finding.incidentId ? `/incidents/${finding.incidentId}` : `/assessments/${finding.assessmentId}/review`
  const anchor = source.kind === 'clause' ? `#clause-${source.clauseId}` : source.questionId ? `#q-${source.questionId}` : ''
  return (
    <div data-testid="finding" data-status={finding.status}>
      <PageHeader
        title={finding.title}
        subtitle={
          <span className="flex flex-wrap items-center gap-2">
            <SeverityBadge severity={finding.severity} />
            <FindingStatusBadge status={finding.status} />
            {finding.overdue ? <Badge tone="bad">{t('list.overdue')}</Badge> : null}
            <Link to={`/vendors/${finding.vendorId}`} className="text-sky-800 underline">
              {finding.vendorName}
            </Link>
            <span aria-hidden="true">·</span>
            <Link to={`${reviewLink}${anchor}`} className="text-sky-800 underline">
              {t('detail.openReview')}
            </Link>
          </span>
        }
      />
      <div className="grid gap-6 lg:grid-cols-3">
        <div className="flex flex-col gap-6 lg:col-span-2">
          <Card title={t('detail.what')}>
            <p className="whitespace-pre-wrap text-sm text-slate-700" data-testid="finding-description">
              {finding.description}
            </p>
            <dl className="mt-4 grid grid-cols-1 gap-2 text-sm sm:grid-cols-2">
              <div>
                <dt className="text-slate-500">{t('fields.source')}</dt>
                <dd>
                  {t(`source.${source.kind}`)}
                  {source.clauseId ? <span className="ml-1 font-mono text-xs">{source.clauseId}</span> : null}
                  {source.questionId ? <span className="ml-1 font-mono text-xs">{source.questionId}</span> : null}
                </dd>
              </div>
              {source.clauseIds.length > 0 && source.kind !== 'clause' ? (
                <div>
                  <dt className="text-slate-500">{t('fields.clauses')}</dt>
                  <dd className="font-mono text-xs">{source.clauseIds.join(', ')}</dd>
                </div>
              ) : null}
              {finding.severity !== finding.computedSeverity ? (
                <div>
                  <dt className="text-slate-500">{t('fields.computedSeverity')}</dt>
                  <dd>
                    <SeverityBadge severity={finding.computedSeverity} />
                  </dd>
                </div>
              ) : null}
              <div>
                <dt className="text-slate-500">{t('fields.dueAt')}</dt>
                <dd className={finding.overdue ? 'font-semibold text-red-700' : ''}>{formatDate(finding.dueAt, i18n.language, timeZone)}</dd>
              </div>
              <div>
                <dt className="text-slate-500">{t('fields.owner')}</dt>
                <dd>
                  {t(`owner.${finding.owner}`)}
                  {finding.ownerName ? ` · ${finding.ownerName}` : ''}
                </dd>
              </div>
            </dl>
          </Card>
          <Card title={t('fields.remediation')}>
            <div className="grid gap-4 text-sm sm:grid-cols-2">
              <div lang="zh-CN">
                <p className="text-xs font-semibold uppercase text-slate-500">{t('detail.chinese')}</p>
                <p className="mt-1 whitespace-pre-wrap text-slate-700">{finding.remediation['zh-CN'] || '—'}</p>
              </div>
              <div lang="en">
                <p className="text-xs font-semibold uppercase text-slate-500">{t('detail.english')}</p>
                <p className="mt-1 whitespace-pre-wrap text-slate-700">{finding.remediation.en || '—'}</p>
              </div>
            </div>
          </Card>
          {finding.riskAcceptance ? (
            <Card title={t('detail.riskAccepted')}>
              <p className="text-sm text-slate-800" data-testid="risk-acceptance">
                {t('detail.acceptedBy', { name: finding.riskAcceptance.approverName, date: formatDate(finding.riskAcceptance.at, i18n.language, timeZone) })}
              </p>
              <p className="mt-1 whitespace-pre-wrap text-sm text-slate-700">{finding.riskAcceptance.justification}</p>
            </Card>
          ) : null}
          <Card title={t('detail.history')}>
            <ol className="space-y-2 text-sm" data-testid="finding-history">
              {[...finding.history].reverse().map((entry, i) => (
                <li key={i} className="border-l-2 border-slate-200 pl-3">
                  <p className="text-slate-800">
                    <span className="font-medium">{t(`event.${entry.event}`)}</span>
                    {entry.byName ? ` · ${entry.byName}` : ` · ${t('detail.system')}`}
                    <span className="ml-2 text-xs text-slate-500">{formatDate(entry.at, i18n.language, timeZone, true)}</span>
                  </p>
                  {entry.changes && Object.keys(entry.changes).length > 0 ? (
                    <p className="text-xs text-slate-600">
                      {Object.entries(entry.changes)
                        .map(([field, [from, to]]) => t('detail.change', { field: t(`fields.${field}`, { defaultValue: field }), from: describe(t, field, from, i18n.language, timeZone), to: describe(t, field, to, i18n.language, timeZone) }))
                        .join('; ')}
                    </p>
                  ) : null}
                  {entry.comment ? <p className="whitespace-pre-wrap text-slate-700">{entry.comment}</p> : null}
                </li>
              ))}
            </ol>
          </Card>
        </div>
        {/* Keyed by version: after a save the form starts again from what was stored. */}
        {canEdit ? <EditFinding key={finding.version} /> : null}
      </div>
    </div>
  )
}

function describe(t: (key: string, options?: Record<string, unknown>) => string, field: string, value: unknown, locale: string, timeZone: string): string {
  if (value === null || value === undefined || value === '') return '—'
  if (field === 'severity' || field === 'computedSeverity') return severityLabel(t, String(value))
  if (field === 'status') return t(`status.${value}`)
  if (field === 'owner') return t(`owner.${value}`)
  if (field === 'clauseStatus') return t(`review:clauseStatus.${value}`)
  if (field === 'dueAt') return formatDate(String(value), locale, timeZone)
  return String(value)
}

function EditFinding() {
  const { t } = useTranslation('findings')
  const { finding, dueDay } = useLoaderData<typeof loader>()
  const { form, onSubmit, formError } = useValidatedForm(findingUpdateSchema, {
    defaultValues: {
      version: finding.version,
      severity: finding.severity,
      status: finding.status,
      owner: finding.owner,
      ownerName: finding.ownerName,
      dueAt: dueDay,
      remediation: finding.remediation,
      riskJustification: finding.riskAcceptance?.justification ?? '',
      riskApprover: finding.riskAcceptance?.approverName ?? '',
      comment: '',
    },
  })
  const status = form.watch('status')
  return (
    <Card title={t('detail.edit')}>
      <FormErrorBanner message={formError} />
      <Form method="post" noValidate onSubmit={onSubmit} className="flex flex-col gap-3" data-testid="finding-form">
        <input type="hidden" name="version" value={String(finding.version)} />
        <SelectField form={form} name="status" label={t('fields.status')} options={FINDING_STATUSES.map((value) => ({ value, label: t(`status.${value}`) }))} />
        {status === 'risk_accepted' ? (
          <div className="space-y-3 rounded-md border border-amber-200 bg-amber-50 p-3">
            <TextAreaField form={form} name="riskJustification" label={t('fields.riskJustification')} hint={t('detail.riskHint')} required />
            <TextField form={form} name="riskApprover" label={t('fields.riskApprover')} required />
          </div>
        ) : null}
        <SelectField form={form} name="severity" label={t('fields.severity')} options={SEVERITIES.map((value) => ({ value, label: severityLabel(t, String(value)) }))} />
        <SelectField form={form} name="owner" label={t('fields.owner')} options={FINDING_OWNERS.map((value) => ({ value, label: t(`owner.${value}`) }))} />
        <TextField form={form} name="ownerName" defaultValue={finding.ownerName} label={t('fields.ownerName')} hint={t('detail.ownerNameHint')} />
        <TextField form={form} name="dueAt" type="date" defaultValue={dueDay} label={t('fields.dueAt')} required />
        <TextAreaField form={form} name="remediation.zh-CN" defaultValue={finding.remediation['zh-CN']} label={t('detail.remediationZh')} rows={4} />
        <TextAreaField form={form} name="remediation.en" defaultValue={finding.remediation.en} label={t('detail.remediationEn')} rows={4} />
        <TextAreaField form={form} name="comment" label={t('fields.comment')} hint={t('detail.commentHint')} />
        <SubmitButton>{t('detail.save')}</SubmitButton>
      </Form>
    </Card>
  )
}

// Rendered inside the staff shell, so the navigation stays; a missing finding is named as such.
export function ErrorBoundary() {
  return <GeneralErrorBoundary statusHandlers={{ 404: notFoundHandler('errorPage.notFound.finding') }} />
}
