import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { Badge, buttonClass, Card, EmptyState, PageHeader } from '~/components/ui'
import { getLocale, translatorFor } from '~/i18n/i18n.server'
import { redirectWithFlash, requireUser } from '~/modules/auth/session.server'
import { readFormData } from '~/modules/forms/read.server'
import { notFound } from '~/modules/http'
import { DraftSuggestions } from '~/modules/library/draft-suggestions'
import { clauseDifferencesOf, differencesOf, discardDraft, getDraft, publishDraft, publishRefusal, type PublishRefusal } from '~/modules/library/drafts.server'
import { showProblem } from '~/modules/library/formats/import-workbook-draft.server'
import { countUntranslated } from '~/modules/library/formats/untranslated'
import { ClauseDifferencesList } from '~/modules/library/clause-differences'

export const meta: MetaFunction = () => [{ title: 'Clausewise · Draft / 草稿' }]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, 'library:publish')
  const draft = await getDraft(String(params.draftId))
  if (!draft) throw notFound('Draft not found')
  const { questionnaire, suggestions, clauseContent: _clauseContent, ...summary } = draft
  // Standard formats bring English only and reviewer hints (VSAQ tips, CAIQ control ids).
  const untranslated = draft.source === 'workbook' || draft.kind === 'clause-library' ? 0 : countUntranslated(questionnaire)
  return { draft: summary, differences: differencesOf(draft), clauseDifferences: clauseDifferencesOf(draft) ?? null, refusal: publishRefusal(draft, user) ?? null, suggestions, untranslated }
}

type DraftActionData = { refusal: PublishRefusal; problems?: string[] }

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request, 'library:publish')
  const form = await readFormData(request)
  const intent = form.get('intent')
  const draftId = String(params.draftId)
  if (intent === 'publish') {
    // The server decides again: a disabled button is a courtesy, not the four-eyes rule.
    const result = await publishDraft(user, draftId)
    if (result.ok) {
      const published = await getDraft(draftId)
      const to = published?.kind === 'clause-library' ? '/library/clauses' : `/library/${published?.questionnaireId ?? ''}/${result.version}`
      return redirectWithFlash(request, to, 'versionPublished', String(result.version))
    }
    const t = await translatorFor(await getLocale(request), 'library')
    const problems = result.problems?.map((problem) => showProblem(t, problem).reason)
    return data<DraftActionData>({ refusal: result.refusal, problems }, { status: result.refusal === 'notFound' ? 404 : 409 })
  }
  if (intent === 'discard') {
    if (await discardDraft(user, draftId)) return redirectWithFlash(request, '/library/drafts', 'draftDiscarded')
    return data<DraftActionData>({ refusal: 'notDraft' }, { status: 409 })
  }
  return data<DraftActionData>({ refusal: 'notFound' }, { status: 400 })
}

export default function DraftPage() {
  const { t, i18n } = useTranslation('library')
  const { draft, differences, clauseDifferences, refusal, suggestions, untranslated } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const shownRefusal = actionData?.refusal ?? refusal
  const open = draft.state === 'draft'
  const nothingChanged =
    differences.added.length + differences.removed.length + differences.changed.length + differences.mappings.length + differences.questionnaire.length + differences.sections.added.length + differences.sections.removed.length + differences.sections.changed.length === 0
  const effects = (list: { clause: string; effect: string }[]) => (list.length ? list.map((entry) => `${entry.clause} (${t(`effect.${entry.effect}`)})`).join(t('listSeparator')) : '—')
  return (
    <div data-testid="library-draft">
      <nav aria-label={t('preview.breadcrumb')} className="mb-2 text-sm">
        <Link to="/library" className="text-sky-800 hover:underline">
          {t('title')}
        </Link>
        {' / '}
        <Link to="/library/drafts" className="text-sky-800 hover:underline">
          {t('drafts.title')}
        </Link>
      </nav>
      <PageHeader
        title={draft.kind === 'clause-library' ? t('clauseDraft.name', { version: draft.version }) : t('drafts.nameVersion', { id: draft.questionnaireId, version: draft.version })}
        subtitle={t('draft.subtitle', {
          basedOn: draft.basedOn ?? '—',
          name: draft.uploadedBy.name ?? draft.uploadedBy.id,
          date: new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(draft.createdAt)),
        })}
        actions={<Badge tone={open ? 'info' : 'neutral'}>{t(`drafts.state.${draft.state}`)}</Badge>}
      />
      <div className="flex flex-col gap-6">
        <Card title={t('draft.differences')}>
          <div data-testid="draft-differences" className="flex flex-col gap-4 text-sm">
            {clauseDifferences ? <ClauseDifferencesList differences={clauseDifferences} /> : null}
            {nothingChanged && !clauseDifferences ? <EmptyState>{t('draft.noDifferences')}</EmptyState> : null}
            {differences.questionnaire.length ? <p>{t('draft.questionnaireFields', { fields: differences.questionnaire.join(t('listSeparator')) })}</p> : null}
            {differences.sections.added.length + differences.sections.removed.length + differences.sections.changed.length ? (
              <p>
                {t('draft.sections', {
                  added: differences.sections.added.join(t('listSeparator')) || '—',
                  removed: differences.sections.removed.join(t('listSeparator')) || '—',
                  changed: differences.sections.changed.join(t('listSeparator')) || '—',
                })}
              </p>
            ) : null}
            {differences.added.length ? (
              <section data-testid="questions-added">
                <h3 className="mb-1 font-medium text-emerald-800">{t('draft.added', { count: differences.added.length })}</h3>
                <ul className="list-inside list-disc">
                  {differences.added.map((question) => (
                    <li key={question.id}>
                      <span className="font-mono">{question.id}</span> {t('draft.inSection', { section: question.sectionId })}
                    </li>
                  ))}
                </ul>
              </section>
            ) : null}
            {differences.removed.length ? (
              <section data-testid="questions-removed">
                <h3 className="mb-1 font-medium text-red-800">{t('draft.removed', { count: differences.removed.length })}</h3>
                <ul className="list-inside list-disc">
                  {differences.removed.map((id) => (
                    <li key={id} className="font-mono">
                      {id}
                    </li>
                  ))}
                </ul>
              </section>
            ) : null}
            {differences.changed.length ? (
              <section data-testid="questions-changed">
                <h3 className="mb-1 font-medium text-amber-800">{t('draft.changed', { count: differences.changed.length })}</h3>
                <ul className="list-inside list-disc">
                  {differences.changed.map((change) => (
                    <li key={change.id}>
                      <span className="font-mono">{change.id}</span>: {change.fields.map((field) => t(`draft.field.${field}`, { defaultValue: field })).join(t('listSeparator'))}
                    </li>
                  ))}
                </ul>
              </section>
            ) : null}
            {differences.mappings.length ? (
              <section data-testid="mappings-changed">
                <h3 className="mb-1 font-medium text-amber-800">{t('draft.mappings', { count: differences.mappings.length })}</h3>
                <table className="w-full text-left">
                  <thead className="text-xs uppercase tracking-wide text-slate-500">
                    <tr>
                      <th className="py-1 pr-4 font-medium">{t('draft.question')}</th>
                      <th className="py-1 pr-4 font-medium">{t('draft.option')}</th>
                      <th className="py-1 pr-4 font-medium">{t('draft.before')}</th>
                      <th className="py-1 font-medium">{t('draft.after')}</th>
                    </tr>
                  </thead>
                  <tbody className="divide-y divide-slate-100">
                    {differences.mappings.map((mapping) => (
                      <tr key={`${mapping.questionId}-${mapping.optionId}`}>
                        <td className="py-1 pr-4 font-mono">{mapping.questionId}</td>
                        <td className="py-1 pr-4 font-mono">{mapping.optionId}</td>
                        <td className="py-1 pr-4">{effects(mapping.before)}</td>
                        <td className="py-1">{effects(mapping.after)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </section>
            ) : null}
          </div>
        </Card>
        {open ? <DraftSuggestions draftId={draft.id} suggestions={suggestions} untranslated={untranslated} /> : null}
        {open ? (
          <Card title={t('draft.decide')}>
            {shownRefusal ? (
              <p className="mb-3 text-sm text-amber-900" role={actionData ? 'alert' : undefined} data-testid="publish-refusal">
                {t(`draft.refusal.${shownRefusal}`)}
              </p>
            ) : null}
            {actionData?.problems?.length ? (
              <ul className="mb-3 list-inside list-disc text-sm text-red-800">
                {actionData.problems.map((problem, index) => (
                  <li key={index}>{problem}</li>
                ))}
              </ul>
            ) : null}
            <div className="flex flex-wrap gap-3">
              <Form method="post">
                <button type="submit" name="intent" value="publish" className={buttonClass.primary} disabled={Boolean(refusal)} data-testid="publish">
                  {t('draft.publish', { version: draft.version })}
                </button>
              </Form>
              <Form method="post">
                <button type="submit" name="intent" value="discard" className={buttonClass.secondary} data-testid="discard">
                  {t('draft.discard')}
                </button>
              </Form>
            </div>
          </Card>
        ) : null}
      </div>
    </div>
  )
}
