import type { LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { Badge, ButtonLink, buttonClass, Card, PageHeader } from '~/components/ui'
import { getLocale } from '~/i18n/i18n.server'
import { can } from '~/modules/auth/roles'
import { requireUser } from '~/modules/auth/session.server'
import { KnockOutBadge, SeverityBadge } from '~/modules/library/badges'
import { Bilingual, ShowLanguageSwitch, showLanguageOf } from '~/modules/library/bilingual'
import { SEVERITIES } from '~/modules/library/content-schema'
import { getClauseLibrary, listContractTemplates, listQuestionnaires } from '~/modules/library/library.server'

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request, 'library:read')
  const show = showLanguageOf(new URL(request.url), await getLocale(request))
  const clauseLibrary = getClauseLibrary()
  const clauses = new Map(clauseLibrary.clauses.map((clause) => [clause.id, clause]))
  return {
    show,
    canPublish: can(user.role, 'library:publish'),
    questionnaires: listQuestionnaires(),
    clauseSummary: {
      version: clauseLibrary.version,
      total: clauseLibrary.clauses.length,
      knockOut: clauseLibrary.clauses.filter((clause) => clause.knockOut).length,
      bySeverity: SEVERITIES.map((severity) => ({ severity, count: clauseLibrary.clauses.filter((clause) => clause.severity === severity).length })),
    },
    templates: listContractTemplates().map((template) => ({
      category: template.category,
      title: template.title,
      clauses: template.clauses.map((id) => {
        const clause = clauses.get(id)!
        return { id, title: clause.title, severity: clause.severity, knockOut: clause.knockOut }
      }),
    })),
  }
}

export default function LibraryPage() {
  const { t } = useTranslation('library')
  const { show, canPublish, questionnaires, clauseSummary, templates } = useLoaderData<typeof loader>()
  return (
    <div data-testid="library">
      <PageHeader
        title={t('title')}
        subtitle={t('subtitle')}
        actions={
          <div className="flex flex-wrap items-center gap-3">
            {canPublish ? (
              <ButtonLink to="/library/drafts" variant="secondary" data-testid="library-drafts-link">
                {t('drafts.link')}
              </ButtonLink>
            ) : null}
            <ShowLanguageSwitch show={show} />
          </div>
        }
      />
      <div className="flex flex-col gap-6">
        <Card title={t('questionnaires.title')}>
          <p className="mb-4 text-sm text-slate-600">{t('questionnaires.intro')}</p>
          <div className="relative -mx-5 overflow-x-auto px-5">
            <table className="w-full min-w-[40rem] text-left text-sm" data-testid="questionnaire-versions">
              <thead className="text-xs uppercase tracking-wide text-slate-500">
                <tr>
                  <th className="py-2 pr-4 font-medium">{t('questionnaires.name')}</th>
                  <th className="py-2 pr-4 font-medium">{t('questionnaires.version')}</th>
                  <th className="py-2 pr-4 font-medium">{t('questionnaires.kind')}</th>
                  <th className="py-2 pr-4 font-medium">{t('questionnaires.proposedFor')}</th>
                  <th className="py-2 pr-4 text-right font-medium">{t('questionnaires.questions')}</th>
                  <th className="py-2 pr-4 font-medium">{t('questionnaires.published')}</th>
                  <th className="py-2 font-medium">
                    <span className="sr-only">{t('questionnaires.preview')}</span>
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {questionnaires.map((questionnaire) => {
                  const href = `/library/${questionnaire.id}/${questionnaire.version}${show === 'both' ? '?show=both' : ''}`
                  return (
                    <tr key={`${questionnaire.id}-${questionnaire.version}`} className={questionnaire.latest ? '' : 'text-slate-500'}>
                      <td className="py-3 pr-4 align-top">
                        <Link to={href} className="font-medium text-sky-800 hover:underline">
                          <Bilingual text={questionnaire.title} show={show} />
                        </Link>
                        <span className="mt-0.5 block font-mono text-xs text-slate-400">{questionnaire.id}</span>
                      </td>
                      <td className="py-3 pr-4 align-top whitespace-nowrap">
                        {t('questionnaires.versionN', { version: questionnaire.version })}{' '}
                        {questionnaire.latest ? <Badge tone="good">{t('questionnaires.latest')}</Badge> : <Badge>{t('questionnaires.older')}</Badge>}
                      </td>
                      <td className="py-3 pr-4 align-top">{t(`kind.${questionnaire.kind}`)}</td>
                      <td className="py-3 pr-4 align-top">
                        {questionnaire.kind === 'baseline'
                          ? t('questionnaires.allVendors')
                          : questionnaire.proposedFor.map((category) => t(`vendors:category.${category}`)).join(t('listSeparator')) || t('questionnaires.onRequest')}
                      </td>
                      <td className="py-3 pr-4 text-right align-top tabular-nums">
                        {questionnaire.questionCount}
                        <span className="block text-xs text-slate-400">{t('questionnaires.sectionCount', { count: questionnaire.sectionCount })}</span>
                      </td>
                      <td className="py-3 pr-4 align-top whitespace-nowrap tabular-nums">{questionnaire.publishedAt}</td>
                      <td className="py-3 text-right align-top whitespace-nowrap">
                        <ButtonLink to={href} variant="secondary" aria-label={t('questionnaires.previewOf', { id: questionnaire.id, version: questionnaire.version })}>
                          {t('questionnaires.preview')}
                        </ButtonLink>{' '}
                        <a href={`/library/${questionnaire.id}/${questionnaire.version}/export.xlsx`} download className={buttonClass.secondary} data-testid={`export-${questionnaire.id}-${questionnaire.version}`}>
                          {t('export.all')}
                        </a>
                      </td>
                    </tr>
                  )
                })}
              </tbody>
            </table>
          </div>
        </Card>

        <Card title={t('clauseLibrary.title')} actions={
            <div className="flex flex-wrap gap-2">
              <ButtonLink to={`/library/clauses${show === 'both' ? '?show=both' : ''}`} variant="secondary">
                {t('clauseLibrary.open')}
              </ButtonLink>
              <a href="/library/clauses/export.xlsx" download className={buttonClass.secondary}>
                {t('export.clauses')}
              </a>
            </div>
          }
        >
          <p className="text-sm text-slate-600">{t('clauseLibrary.intro', { count: clauseSummary.total, version: clauseSummary.version })}</p>
          <ul className="mt-4 flex flex-wrap gap-3" data-testid="clause-summary">
            {clauseSummary.bySeverity.map(({ severity, count }) => (
              <li key={severity}>
                <Link to={`/library/clauses?severity=${severity}`} className="flex items-center gap-2 rounded-md border border-slate-200 px-3 py-2 hover:bg-slate-50">
                  <SeverityBadge severity={severity} />
                  <span className="text-lg font-semibold tabular-nums text-slate-800">{count}</span>
                </Link>
              </li>
            ))}
            <li>
              <Link to="/library/clauses?knockOut=1" className="flex items-center gap-2 rounded-md border border-slate-200 px-3 py-2 hover:bg-slate-50">
                <KnockOutBadge />
                <span className="text-lg font-semibold tabular-nums text-slate-800">{clauseSummary.knockOut}</span>
              </Link>
            </li>
          </ul>
        </Card>

        <Card title={t('templates.title')}>
          <p className="mb-4 text-sm text-slate-600">{t('templates.intro')}</p>
          <div className="grid gap-4 md:grid-cols-2" data-testid="contract-templates">
            {templates.map((template) => (
              <section key={template.category} className="rounded-md border border-slate-200 p-4" aria-labelledby={`template-${template.category}`}>
                <h3 id={`template-${template.category}`} className="text-sm font-semibold text-slate-800">
                  {t(`vendors:category.${template.category}`)}
                </h3>
                <p className="text-sm text-slate-600">
                  <Bilingual text={template.title} show={show} />
                </p>
                <p className="mt-1 text-xs text-slate-500">{t('templates.clauseCount', { count: template.clauses.length })}</p>
                <ul className="mt-2 flex flex-wrap gap-1.5">
                  {template.clauses.map((clause) => (
                    <li key={clause.id}>
                      <Link
                        to={`/library/clauses#${clause.id}`}
                        title={show === 'en' ? clause.title.en : clause.title['zh-CN']}
                        className={`inline-block rounded px-1.5 py-0.5 font-mono text-xs ring-1 ring-inset hover:underline ${
                          clause.knockOut ? 'bg-slate-900 text-white ring-slate-900' : 'bg-slate-50 text-slate-700 ring-slate-200'
                        }`}
                      >
                        {clause.id}
                      </Link>
                    </li>
                  ))}
                </ul>
              </section>
            ))}
          </div>
        </Card>
      </div>
    </div>
  )
}
