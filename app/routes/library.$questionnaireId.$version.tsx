import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { Badge, buttonClass, Card, PageHeader } from '~/components/ui'
import { getLocale } from '~/i18n/i18n.server'
import { localized } from '~/i18n/locales'
import { can } from '~/modules/auth/roles'
import { requireUser } from '~/modules/auth/session.server'
import { notFound } from '~/modules/http'
import { ClauseEffectChip } from '~/modules/library/badges'
import { Bilingual, ShowLanguageSwitch, showLanguageOf, type ShowLanguage } from '~/modules/library/bilingual'
import { compareVersions } from '~/modules/library/catalog'
import { CHOICE_KINDS, type LocalizedText, type Question, type Severity } from '~/modules/library/content-schema'
import { findQuestionnaire, getClause, listQuestionnaires } from '~/modules/library/library.server'

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${localized(data.questionnaire.title, data.show === 'en' ? 'en' : 'zh-CN')} v${data.questionnaire.version} · Clausewise` : 'Clausewise' },
]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, 'library:read')
  const version = /^[1-9][0-9]{0,5}$/.test(params.version ?? '') ? Number(params.version) : NaN
  const questionnaire = Number.isNaN(version) ? undefined : findQuestionnaire(String(params.questionnaireId), version)
  if (!questionnaire) throw notFound('Questionnaire version not found')
  const show = showLanguageOf(new URL(request.url), await getLocale(request))

  const versions = listQuestionnaires()
    .filter((summary) => summary.id === questionnaire.id)
    .map((summary) => ({ version: summary.version, latest: summary.latest, publishedAt: summary.publishedAt }))
  const previousVersion = versions.map((entry) => entry.version).filter((v) => v < questionnaire.version).sort((a, b) => b - a)[0]
  const previous = previousVersion ? findQuestionnaire(questionnaire.id, previousVersion) : undefined

  // The clauses this version refers to, for their titles and marks beside each effect.
  const clauses: Record<string, { title: LocalizedText; severity: Severity; knockOut: boolean }> = {}
  for (const section of questionnaire.sections) {
    for (const question of section.questions) {
      for (const option of question.options ?? []) {
        for (const { clause: id } of option.clauses) {
          const clause = getClause(id)
          if (clause) clauses[id] = { title: clause.title, severity: clause.severity, knockOut: clause.knockOut }
        }
      }
    }
  }
  return {
    show,
    canImport: can(user.role, 'library:publish'),
    questionnaire,
    versions,
    clauses,
    changes: previous ? { since: previous.version, ...compareVersions(previous, questionnaire) } : null,
  }
}

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>

export default function QuestionnairePreview() {
  const { t, i18n } = useTranslation('library')
  const { show, canImport, questionnaire, versions, clauses, changes } = useLoaderData<typeof loader>()
  // The contents list stays short: one language, the reader's, when both are shown.
  const contentsLanguage = show === 'both' ? (i18n.language === 'en' ? 'en' : 'zh-CN') : show
  const questions = questionnaire.sections.flatMap((section) => section.questions)
  const questionById = new Map(questions.map((question) => [question.id, question]))
  const scored = questions.filter((question) => CHOICE_KINDS.includes(question.kind)).length
  const current = versions.find((entry) => entry.version === questionnaire.version)
  const suffix = show === 'both' ? '?show=both' : ''

  return (
    <div data-testid="questionnaire-preview" data-show={show}>
      <nav aria-label={t('preview.breadcrumb')} className="mb-2 text-sm">
        <Link to={`/library${suffix}`} className="text-sky-800 hover:underline">
          {t('title')}
        </Link>
      </nav>
      <PageHeader
        title={
          <span className="flex flex-wrap items-baseline gap-x-3">
            <Bilingual text={questionnaire.title} show={show} />
            <span className="text-base font-normal text-slate-500">{t('questionnaires.versionN', { version: questionnaire.version })}</span>
          </span>
        }
        subtitle={t('preview.summary', {
          kind: t(`kind.${questionnaire.kind}`),
          sections: questionnaire.sections.length,
          questions: questions.length,
          scored,
          date: questionnaire.publishedAt,
        })}
        actions={
          <div className="flex flex-wrap items-center gap-3">
            <a href={`/library/${questionnaire.id}/${questionnaire.version}/export.xlsx`} download className={buttonClass.secondary} data-testid="export-questionnaire">
              {t('export.questionnaire')}
            </a>
            {canImport && current?.latest ? (
              // Posted to the drafts page, which shows the problems or the new draft; the id refuses another questionnaire's workbook.
              <Form method="post" action="/library/drafts" encType="multipart/form-data" className="flex flex-wrap items-center gap-2" data-testid="import-from-questionnaire">
                <input type="hidden" name="questionnaireId" value={questionnaire.id} />
                <label className="text-sm">
                  <span className="sr-only">{t('import.file')}</span>
                  <input type="file" name="workbook" required accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" className="max-w-56 text-sm" />
                </label>
                <button type="submit" className={buttonClass.secondary}>
                  {t('import.submit')}
                </button>
              </Form>
            ) : null}
            <ShowLanguageSwitch show={show} />
          </div>
        }
      />

      <div className="mb-6 flex flex-wrap items-center gap-2 text-sm">
        {current?.latest ? <Badge tone="good">{t('questionnaires.latest')}</Badge> : <Badge tone="warn">{t('preview.olderVersion')}</Badge>}
        {versions.length > 1 ? (
          <span className="flex flex-wrap items-center gap-1 text-slate-600">
            {t('preview.versions')}:
            {versions.map((entry) =>
              entry.version === questionnaire.version ? (
                <span key={entry.version} className="rounded bg-slate-800 px-1.5 py-0.5 text-xs font-semibold text-white" aria-current="page">
                  v{entry.version}
                </span>
              ) : (
                <Link key={entry.version} to={`/library/${questionnaire.id}/${entry.version}${suffix}`} className="rounded px-1.5 py-0.5 text-xs text-sky-800 ring-1 ring-inset ring-slate-300 hover:bg-slate-50">
                  v{entry.version}
                </Link>
              ),
            )}
          </span>
        ) : null}
        {questionnaire.proposedFor.length > 0 ? (
          <span className="text-slate-600">
            {t('preview.proposedFor', { categories: questionnaire.proposedFor.map((category) => t(`vendors:category.${category}`)).join(t('listSeparator')) })}
          </span>
        ) : null}
      </div>

      <p className="mb-6 max-w-3xl text-sm text-slate-700">
        <Bilingual text={questionnaire.description} show={show} />
      </p>

      {changes ? <VersionChanges changes={changes} /> : null}

      <div className="grid gap-6 lg:grid-cols-[15rem_minmax(0,1fr)]">
        <nav aria-label={t('preview.contents')} className="lg:sticky lg:top-4 lg:max-h-[calc(100vh-2rem)] lg:self-start lg:overflow-y-auto">
          <h2 className="mb-2 text-xs font-semibold uppercase tracking-wide text-slate-500">{t('preview.contents')}</h2>
          <ol className="flex flex-col gap-1 text-sm">
            {questionnaire.sections.map((section, index) => (
              <li key={section.id}>
                <a href={`#section-${section.id}`} className="flex gap-2 rounded px-2 py-1 text-slate-700 hover:bg-slate-100">
                  <span className="tabular-nums text-slate-400">{index + 1}.</span>
                  <span className="flex-1">
                    <Bilingual text={section.title} show={contentsLanguage} />
                  </span>
                  <span className="tabular-nums text-xs text-slate-400">{section.questions.length}</span>
                </a>
              </li>
            ))}
          </ol>
        </nav>

        <div className="flex min-w-0 flex-col gap-6">
          {questionnaire.sections.map((section, index) => (
            <section key={section.id} id={`section-${section.id}`} aria-labelledby={`section-${section.id}-title`} className="scroll-mt-4 rounded-lg border border-slate-200 bg-white shadow-sm">
              <header className="border-b border-slate-100 px-5 py-3">
                <h2 id={`section-${section.id}-title`} className="flex gap-2 text-base font-semibold text-slate-800">
                  <span className="tabular-nums text-slate-400">{index + 1}.</span>
                  <Bilingual text={section.title} show={show} />
                </h2>
                {section.description ? (
                  <p className="mt-1 text-sm text-slate-600">
                    <Bilingual text={section.description} show={show} />
                  </p>
                ) : null}
              </header>
              <ol className="divide-y divide-slate-100">
                {section.questions.map((question) => (
                  <QuestionPreview key={question.id} question={question} show={show} clauses={clauses} questionById={questionById} />
                ))}
              </ol>
            </section>
          ))}
        </div>
      </div>
    </div>
  )
}

function VersionChanges({ changes }: { changes: NonNullable<LoaderData['changes']> }) {
  const { t } = useTranslation('library')
  const groups = (['added', 'changed', 'removed'] as const).filter((group) => changes[group].length > 0)
  return (
    <Card title={t('preview.changesSince', { version: changes.since })} className="mb-6">
      {groups.length === 0 ? (
        <p className="text-sm text-slate-600">{t('preview.noChanges')}</p>
      ) : (
        <dl className="grid gap-2 text-sm sm:grid-cols-3">
          {groups.map((group) => (
            <div key={group}>
              <dt className="font-medium text-slate-700">{t(`preview.${group}`, { count: changes[group].length })}</dt>
              <dd className="mt-1 flex flex-wrap gap-1">
                {changes[group].map((id) =>
                  group === 'removed' ? (
                    <span key={id} className="font-mono text-xs text-slate-500 line-through">
                      {id}
                    </span>
                  ) : (
                    <a key={id} href={`#${id}`} className="font-mono text-xs text-sky-800 hover:underline">
                      {id}
                    </a>
                  ),
                )}
              </dd>
            </div>
          ))}
        </dl>
      )}
    </Card>
  )
}

function optionLabels(question: Question | undefined, ids: readonly string[], show: ShowLanguage, separator: string) {
  const language = show === 'both' ? 'zh-CN' : show
  return ids
    .map((id) => {
      const option = question?.options?.find((candidate) => candidate.id === id)
      if (!option) return id
      return show === 'both' ? `${option.label['zh-CN']} / ${option.label.en}` : localized(option.label, language)
    })
    .join(separator)
}

function QuestionPreview({
  question,
  show,
  clauses,
  questionById,
}: {
  question: Question
  show: ShowLanguage
  clauses: LoaderData['clauses']
  questionById: Map<string, Question>
}) {
  const { t } = useTranslation('library')
  const separator = t('listSeparator')
  const condition = question.showWhen
  const evidence = question.evidence
  const clauseTitle = (id: string) => {
    const clause = clauses[id]
    if (!clause) return id
    return show === 'both' ? `${clause.title['zh-CN']} / ${clause.title.en}` : localized(clause.title, show)
  }
  return (
    <li id={question.id} className="scroll-mt-4 px-5 py-4" data-testid="question" data-kind={question.kind}>
      <div className="flex flex-wrap items-center gap-2">
        <span className="font-mono text-xs font-semibold text-slate-500">{question.id}</span>
        <Badge tone="info">{t(`questionKind.${question.kind}`)}</Badge>
        {question.required ? <Badge>{t('preview.required')}</Badge> : <Badge>{t('preview.optional')}</Badge>}
      </div>
      <p className="mt-2 font-medium text-slate-900">
        <Bilingual text={question.text} show={show} />
      </p>
      {question.help ? (
        <p className="mt-1 text-sm text-slate-600">
          <Bilingual text={question.help} show={show} />
        </p>
      ) : null}

      {condition || evidence || question.min !== undefined || question.max !== undefined ? (
        <ul className="mt-3 flex flex-col gap-1.5 text-sm">
          {condition ? (
            <li className="rounded-md bg-amber-50 px-3 py-1.5 text-amber-900" data-testid="condition">
              {t('preview.showWhen', {
                question: condition.question,
                options: optionLabels(questionById.get(condition.question), condition.anyOf, show, separator),
              })}{' '}
              <a href={`#${condition.question}`} className="underline">
                {t('preview.goToQuestion')}
              </a>
            </li>
          ) : null}
          {evidence ? (
            <li className="rounded-md bg-sky-50 px-3 py-1.5 text-sky-900" data-testid="evidence-rule">
              {evidence.requiredWhen === 'always'
                ? t('preview.evidenceAlways')
                : t('preview.evidenceWhen', { options: optionLabels(question, evidence.requiredWhen, show, separator) })}
              {evidence.hint ? (
                <span className="mt-0.5 block text-sky-800/80">
                  <Bilingual text={evidence.hint} show={show} />
                </span>
              ) : null}
            </li>
          ) : null}
          {question.min !== undefined || question.max !== undefined ? (
            <li className="text-slate-600">
              {question.min !== undefined && question.max !== undefined
                ? t('preview.range', { min: question.min, max: question.max })
                : question.min !== undefined
                  ? t('preview.min', { min: question.min })
                  : t('preview.max', { max: question.max })}
            </li>
          ) : null}
        </ul>
      ) : null}

      {question.options?.length ? (
        <table className="mt-3 w-full text-left text-sm">
          <thead className="sr-only">
            <tr>
              <th>{t('preview.option')}</th>
              <th>{t('preview.clauseEffects')}</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100 border-y border-slate-100">
            {question.options.map((option) => (
              <tr key={option.id} className="align-top" data-testid="option">
                <td className="w-1/3 py-2 pr-4 text-slate-800">
                  <Bilingual text={option.label} show={show} />
                </td>
                <td className="py-2">
                  {option.clauses.length === 0 ? (
                    <span className="text-xs text-slate-400">{t('preview.noEffect')}</span>
                  ) : (
                    <span className="flex flex-wrap gap-1.5">
                      {option.clauses.map((effect) => (
                        <ClauseEffectChip key={effect.clause} clauseId={effect.clause} effect={effect.effect} title={clauseTitle(effect.clause)} />
                      ))}
                    </span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </li>
  )
}
