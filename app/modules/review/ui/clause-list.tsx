// Every clause of the contract snapshot with the answers that produced its status, the reviewer's
// override (kept with its justification and author), and the forms to override or withdraw.
import type { TFunction } from 'i18next'
import { useFetcher } from '@remix-run/react'
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { FormErrorBanner, SelectField, SubmitButton, TextAreaField } from '~/components/forms'
import { Badge, Card, EmptyState } from '~/components/ui'
import { CLAUSE_EFFECTS } from '~/modules/library/content-schema'
import { acceptClauseSchema, overrideClauseSchema, withdrawOverrideSchema } from '../schemas'
import type { ClauseDetail, ClauseDetailResponse, ReviewPageView } from '../view.server'
import { useFetcherForm } from './fetcher-form'
import { ClauseStatusBadge, ClauseStatusBadgeView, SeverityBadgeView, formatDate, usePageTranslation } from './labels'
import { OpenWithoutScript, useOpenHref } from './open-without-script'

type ClauseView = ReviewPageView['clauses'][number]

export function ClauseList({ view }: { view: ReviewPageView }) {
  const { t } = usePageTranslation()
  const open = useOpenHref()
  return (
    <Card title={t('clauses.title', { count: view.clauses.length })}>
      <p className="mb-4 text-sm text-slate-600">{t('clauses.intro')}</p>
      {view.clauses.length === 0 ? (
        <EmptyState>{t('clauses.none')}</EmptyState>
      ) : (
        <ul className="divide-y divide-slate-100" data-testid="clauses">
          {view.clauses.map((clause) => (
            <ClauseRow key={clause.id} clause={clause} view={view} t={t} opened={open.opened === `clause-${clause.id}`} openHref={open.href} />
          ))}
        </ul>
      )}
    </Card>
  )
}

type RowProps = { clause: ClauseView; view: ReviewPageView; t: TFunction }

/**
 * One per clause: its summary line is plain markup, translated by the list's page translator; the
 * body (the trace and the validated forms) is rendered only once the clause is opened, from data
 * fetched then (the page sends only the summaries).
 */
function ClauseRow({ clause, view, t, opened, openHref }: RowProps & { opened: boolean; openHref: (id: string) => string }) {
  const [open, setOpen] = useState(opened)
  return (
    <li id={`clause-${clause.id}`} className="py-3" data-testid={`clause-${clause.id}`} data-status={clause.status} data-decision={clause.decision}>
      <details className="group" open={open} onToggle={(event) => setOpen((event.currentTarget as HTMLDetailsElement).open)}>
        <summary className="flex cursor-pointer list-none flex-wrap items-center gap-x-3 gap-y-1 [&::-webkit-details-marker]:hidden">
          <span aria-hidden="true" className="text-slate-400 transition-transform group-open:rotate-90">▸</span>
          <span className="font-mono text-xs text-slate-500">{clause.id}</span>
          <span className="font-medium text-slate-900">{clause.title}</span>
          <SeverityBadgeView severity={clause.severity} t={t} />
          {clause.knockOut ? <Badge tone="critical">{t('clauses.knockOut')}</Badge> : null}
          <span className="ml-auto flex items-center gap-2">
            {clause.override ? (
              <span className="text-xs text-slate-500">
                {t('clauses.computedWas')} <s>{t(`clauseStatus.${clause.computed}`)}</s>
              </span>
            ) : null}
            <ClauseStatusBadgeView status={clause.status} t={t} />
            {clause.override ? <Badge tone="info">{t('clauses.overridden')}</Badge> : null}
            {clause.decision === 'accepted' ? <Badge tone="good">{t('clauses.accepted')}</Badge> : null}
            {clause.decision === 'undecided' ? <Badge tone="warn">{t('clauses.undecided')}</Badge> : null}
          </span>
        </summary>
        {open ? <OpenedClause clause={clause} view={view} /> : <OpenWithoutScript href={openHref(`clause-${clause.id}`)} label={t('clauses.openWithoutScript')} />}
      </details>
    </li>
  )
}

/** The body of an opened clause: sent with the page when the address opens it, else fetched now. */
function OpenedClause({ clause, view }: Omit<RowProps, 't'>) {
  const { t } = useTranslation('review')
  const fetcher = useFetcher<ClauseDetailResponse>()
  const sent = view.openedClause?.id === clause.id ? view.openedClause : null
  const url = `/assessments/${view.assessment.id}/review/clauses/${encodeURIComponent(clause.id)}`
  const needed = !sent && fetcher.state === 'idle' && fetcher.data === undefined
  useEffect(() => {
    if (needed) fetcher.load(url)
    // fetcher.load is stable in use; depending on the fetcher object would reload on every state change.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [needed, url])
  const detail = sent ?? fetcher.data?.clause
  if (detail) return <ClauseBody clause={clause} detail={detail} view={view} />
  return (
    <p className="mt-3 text-sm text-slate-500" role="status" data-testid="clause-loading">
      {fetcher.data?.clause === null ? t('clauses.gone') : t('clauses.loading')}
    </p>
  )
}

function ClauseBody({ clause, detail, view }: Omit<RowProps, 't'> & { detail: ClauseDetail }) {
  const { t, i18n } = useTranslation('review')
  const earned = clause.credit === null ? null : clause.weight * clause.credit
  return (
    <div className="mt-3 grid gap-4 lg:grid-cols-5">
      <div className="space-y-3 text-sm lg:col-span-3">
        <p className="text-slate-700">{detail.text}</p>
        <p className="text-xs text-slate-500">{t('clauses.sources', { sources: detail.sources.join('; ') })}</p>
        <p className="text-xs text-slate-600" data-testid="clause-weight">
          {earned === null
            ? t('clauses.weightOut', { weight: clause.weight })
            : t('clauses.weight', { weight: clause.weight, credit: Math.round((clause.credit ?? 0) * 100), earned: earned % 1 ? earned.toFixed(1) : earned })}
        </p>

        <div>
          <h4 className="text-xs font-semibold uppercase tracking-wide text-slate-500">{t('clauses.trace')}</h4>
          {detail.contributions.length === 0 ? (
            <p className="mt-1 text-slate-600">{t('clauses.noAnswers')}</p>
          ) : (
            <table className="mt-1 w-full text-left text-sm" data-testid="clause-trace">
              <thead className="text-xs text-slate-500">
                <tr>
                  <th className="py-1 pr-2 font-medium">{t('clauses.question')}</th>
                  <th className="w-28 whitespace-nowrap py-1 pr-2 font-medium">{t('clauses.answer')}</th>
                  <th className="w-32 whitespace-nowrap py-1 font-medium">{t('clauses.effect')}</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {detail.contributions.map((contribution) => (
                  <tr key={contribution.questionId} className={contribution.decisive ? 'bg-amber-50/60' : undefined}>
                    <td className="py-1.5 pr-2 align-top">
                      <a href={`#q-${contribution.questionId}`} className="font-mono text-xs text-sky-800 underline">
                        {contribution.questionId}
                      </a>
                      <span className="block text-slate-700">{contribution.question}</span>
                    </td>
                    <td className="py-1.5 pr-2 align-top text-slate-800">{contribution.answer.join(', ')}</td>
                    <td className="py-1.5 align-top">
                      <span className="flex flex-wrap items-center gap-1">
                        <ClauseStatusBadge status={contribution.effect} />
                        {contribution.decisive ? <span className="text-xs font-medium text-amber-800">{t('clauses.decisive')}</span> : null}
                      </span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <p className="mt-1 text-xs text-slate-500">{t('clauses.worstWins')}</p>
        </div>
      </div>

      <div className="space-y-3 lg:col-span-2">
        {clause.override ? (
          <div className="rounded-md border border-sky-200 bg-sky-50 p-3 text-sm" data-testid="clause-override">
            <p className="font-medium text-sky-900">
              {t('clauses.overrideBy', {
                name: clause.override.byName,
                date: formatDate(clause.override.at, i18n.language, view.timeZone, true),
                status: t(`clauseStatus.${clause.override.status}`),
              })}
            </p>
            <p className="mt-1 whitespace-pre-wrap text-slate-700">{clause.override.justification}</p>
          </div>
        ) : null}
        {detail.history.length > 0 ? (
          <details className="text-xs text-slate-600">
            <summary className="cursor-pointer">{t('clauses.history', { count: detail.history.length })}</summary>
            <ul className="mt-1 space-y-1">
              {detail.history.map((event, i) => (
                <li key={i}>
                  {formatDate(event.at, i18n.language, view.timeZone, true)} · {event.byName} ·{' '}
                  {event.status ? t('clauses.historySet', { status: t(`clauseStatus.${event.status}`) }) : t('clauses.historyWithdrawn')}: {event.justification}
                </li>
              ))}
            </ul>
          </details>
        ) : null}
        {view.permissions.review && clause.decision === 'undecided' ? <AcceptClauseForm clause={clause} /> : null}
        {view.permissions.review ? <OverrideForm clause={clause} /> : null}
        {view.permissions.review && clause.override ? <WithdrawForm clause={clause} /> : null}
      </div>
    </div>
  )
}

function AcceptClauseForm({ clause }: { clause: ClauseView }) {
  const { t } = useTranslation('review')
  const { form, fetcher, onSubmit, formError } = useFetcherForm(acceptClauseSchema, { defaultValues: { intent: 'accept-clause', clauseId: clause.id } })
  if (clause.answerCount === 0) {
    return <p className="rounded-md border border-amber-200 bg-amber-50 p-3 text-sm text-amber-900">{t('clauses.decideByOverride')}</p>
  }
  return (
    <fetcher.Form method="post" onSubmit={onSubmit} className="space-y-2 rounded-md border border-slate-200 p-3" data-testid="accept-clause-form">
      <FormErrorBanner message={formError} />
      <p className="text-sm text-slate-700">{t('clauses.acceptHint', { count: clause.pending.length })}</p>
      <input type="hidden" {...form.register('intent')} />
      <input type="hidden" {...form.register('clauseId')} />
      <SubmitButton>{t('clauses.accept', { status: t(`clauseStatus.${clause.computed}`) })}</SubmitButton>
    </fetcher.Form>
  )
}

function OverrideForm({ clause }: { clause: ClauseView }) {
  const { t } = useTranslation('review')
  const defaults = { intent: 'override' as const, clauseId: clause.id, status: clause.override?.status ?? '', justification: '' }
  const { form, fetcher, onSubmit, formError } = useFetcherForm(overrideClauseSchema, { defaultValues: defaults })
  return (
    <fetcher.Form method="post" noValidate onSubmit={onSubmit} className="space-y-2 rounded-md border border-slate-200 p-3" data-testid="override-form">
      <p className="text-sm font-semibold text-slate-800">{t('clauses.overrideTitle')}</p>
      <FormErrorBanner message={formError} />
      <input type="hidden" {...form.register('intent')} />
      <input type="hidden" {...form.register('clauseId')} />
      <SelectField
        form={form}
        name="status"
        label={t('clauses.overrideStatus')}
        required
        placeholder={t('clauses.choose')}
        options={CLAUSE_EFFECTS.map((effect) => ({ value: effect, label: t(`clauseStatus.${effect}`) }))}
      />
      <TextAreaField form={form} name="justification" label={t('clauses.justification')} hint={t('clauses.justificationHint')} required />
      <SubmitButton>{t('clauses.overrideSubmit')}</SubmitButton>
    </fetcher.Form>
  )
}

function WithdrawForm({ clause }: { clause: ClauseView }) {
  const { t } = useTranslation('review')
  const [open, setOpen] = useState(false)
  const { form, fetcher, onSubmit, formError } = useFetcherForm(withdrawOverrideSchema, {
    defaultValues: { intent: 'withdraw-override', clauseId: clause.id, justification: '' },
    onDone: () => setOpen(false),
  })
  return (
    <details open={open} onToggle={(event) => setOpen((event.target as HTMLDetailsElement).open)} className="text-sm">
      <summary className="cursor-pointer text-sky-800">{t('clauses.withdraw')}</summary>
      <fetcher.Form method="post" noValidate onSubmit={onSubmit} className="mt-2 space-y-2">
        <FormErrorBanner message={formError} />
        <input type="hidden" {...form.register('intent')} />
        <input type="hidden" {...form.register('clauseId')} />
        <TextAreaField form={form} name="justification" label={t('clauses.withdrawReason')} required />
        <SubmitButton>{t('clauses.withdrawSubmit')}</SubmitButton>
      </fetcher.Form>
    </details>
  )
}
