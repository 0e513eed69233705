import type { LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { buttonClass, EmptyState, PageHeader } from '~/components/ui'
import { getLocale } from '~/i18n/i18n.server'
import { requireUser } from '~/modules/auth/session.server'
import { can } from '~/modules/auth/roles'
import { EffectBadge, KnockOutBadge, SeverityBadge } from '~/modules/library/badges'
import { Bilingual, ShowLanguageSwitch, showLanguageOf } from '~/modules/library/bilingual'
import { SEVERITIES, type Severity } from '~/modules/library/content-schema'
import { getClauseLibrary, listContractTemplates, questionsBearingOn } from '~/modules/library/library.server'
import { severityLabel } from '~/i18n/glossary'

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request, 'library:read')
  const url = new URL(request.url)
  const show = showLanguageOf(url, await getLocale(request))
  const severityParam = url.searchParams.get('severity')
  const severity = (SEVERITIES as readonly string[]).includes(severityParam ?? '') ? (severityParam as Severity) : null
  const knockOutOnly = url.searchParams.get('knockOut') === '1'
  const templates = listContractTemplates()
  const library = getClauseLibrary()
  return {
    canImport: can(user.role, 'library:publish'),
    show,
    filter: { severity, knockOutOnly },
    libraryVersion: library.version,
    total: library.clauses.length,
    clauses: library.clauses
      .filter((clause) => (!severity || clause.severity === severity) && (!knockOutOnly || clause.knockOut))
      .map((clause) => ({
        ...clause,
        bearings: questionsBearingOn(clause.id),
        templates: templates.filter((template) => template.clauses.includes(clause.id)).map((template) => template.category),
      })),
  }
}

export default function ClauseLibraryPage() {
  const { t } = useTranslation('library')
  const { canImport, show, filter, libraryVersion, total, clauses } = useLoaderData<typeof loader>()
  const showParam = show === 'both' ? 'show=both' : ''
  const filterLink = (params: string) => `/library/clauses?${[params, showParam].filter(Boolean).join('&')}`
  const chip = (active: boolean) =>
    `rounded-full px-3 py-1 text-sm ring-1 ring-inset ${active ? 'bg-sky-700 text-white ring-sky-700' : 'bg-white text-slate-700 ring-slate-300 hover:bg-slate-50'}`
  const unfiltered = !filter.severity && !filter.knockOutOnly
  return (
    <div data-testid="clause-library">
      <nav aria-label={t('preview.breadcrumb')} className="mb-2 text-sm">
        <Link to={`/library${showParam ? `?${showParam}` : ''}`} className="text-sky-800 hover:underline">
          {t('title')}
        </Link>
      </nav>
      <PageHeader title={t('clauseLibrary.title')} subtitle={t('clauseLibrary.intro', { count: total, version: libraryVersion })} actions={
          <div className="flex flex-wrap items-center gap-3">
            <a href="/library/clauses/export.xlsx" download className={buttonClass.secondary} data-testid="export-clauses">
              {t('export.clauses')}
            </a>
            {canImport ? (
              <Link to="/library/clauses/import" className={buttonClass.secondary} data-testid="import-clauses">
                {t('clauseDraft.importTitle')}
              </Link>
            ) : null}
            <ShowLanguageSwitch show={show} />
          </div>
        }
      />

      <nav aria-label={t('clauseLibrary.filter')} className="mb-6 flex flex-wrap gap-2">
        <Link to={filterLink('')} className={chip(unfiltered)} aria-current={unfiltered ? 'true' : undefined}>
          {t('clauseLibrary.all')}
        </Link>
        {SEVERITIES.map((severity) => (
          <Link key={severity} to={filterLink(`severity=${severity}`)} className={chip(filter.severity === severity)} aria-current={filter.severity === severity ? 'true' : undefined}>
            {severityLabel(t, severity)}
          </Link>
        ))}
        <Link to={filterLink('knockOut=1')} className={chip(filter.knockOutOnly)} aria-current={filter.knockOutOnly ? 'true' : undefined}>
          {t('knockOut.label')}
        </Link>
      </nav>

      {clauses.length === 0 ? <EmptyState>{t('clauseLibrary.none')}</EmptyState> : null}
      <ol className="flex flex-col gap-4">
        {clauses.map((clause) => (
          <li key={clause.id} id={clause.id} className="scroll-mt-4 rounded-lg border border-slate-200 bg-white shadow-sm target:ring-2 target:ring-sky-500" data-testid="clause">
            <header className="flex flex-wrap items-start justify-between gap-2 border-b border-slate-100 px-5 py-3">
              <h2 className="flex flex-wrap items-baseline gap-x-2 text-base font-semibold text-slate-800">
                <span className="font-mono text-sm text-slate-500">{clause.id}</span>
                <Bilingual text={clause.title} show={show} />
              </h2>
              <span className="flex gap-1.5">
                <SeverityBadge severity={clause.severity} />
                {clause.knockOut ? <KnockOutBadge /> : null}
              </span>
            </header>
            <div className="grid gap-4 px-5 py-4 md:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
              <div className="flex flex-col gap-3">
                <p className="text-sm leading-relaxed text-slate-700">
                  <Bilingual text={clause.text} show={show} className="gap-2" />
                </p>
                <div>
                  <h3 className="text-xs font-semibold uppercase tracking-wide text-slate-500">{t('clauseLibrary.sources')}</h3>
                  <ul className="mt-1 flex flex-wrap gap-1.5">
                    {clause.sources.map((source) => (
                      <li key={source} className="rounded bg-slate-100 px-2 py-0.5 text-xs text-slate-700">
                        {source}
                      </li>
                    ))}
                  </ul>
                </div>
                <div>
                  <h3 className="text-xs font-semibold uppercase tracking-wide text-slate-500">{t('clauseLibrary.inTemplates')}</h3>
                  <p className="mt-1 text-sm text-slate-700">
                    {clause.templates.length > 0 ? clause.templates.map((category) => t(`vendors:category.${category}`)).join(t('listSeparator')) : t('clauseLibrary.inNoTemplate')}
                  </p>
                </div>
              </div>
              <div>
                <h3 className="text-xs font-semibold uppercase tracking-wide text-slate-500">{t('clauseLibrary.questions', { count: clause.bearings.length })}</h3>
                <ul className="mt-1 flex flex-col gap-2" data-testid="bearings">
                  {clause.bearings.map((bearing) => (
                    <li key={`${bearing.questionnaireId}-${bearing.questionId}`} className="text-sm">
                      <Link
                        to={`/library/${bearing.questionnaireId}/${bearing.version}${showParam ? `?${showParam}` : ''}#${bearing.questionId}`}
                        className="font-mono text-xs font-semibold text-sky-800 hover:underline"
                      >
                        {bearing.questionId}
                      </Link>{' '}
                      <span className="text-slate-700">
                        <Bilingual text={bearing.text} show={show === 'both' ? 'zh-CN' : show} />
                      </span>
                      <span className="mt-1 flex flex-wrap gap-x-3 gap-y-1">
                        {bearing.effects.map((effect) => (
                          <span key={effect.optionId} className="inline-flex items-center gap-1 text-xs text-slate-600">
                            <Bilingual text={effect.label} show={show === 'both' ? 'zh-CN' : show} />
                            <span aria-hidden="true">→</span>
                            <EffectBadge effect={effect.effect} />
                          </span>
                        ))}
                      </span>
                    </li>
                  ))}
                </ul>
              </div>
            </div>
          </li>
        ))}
      </ol>
    </div>
  )
}
