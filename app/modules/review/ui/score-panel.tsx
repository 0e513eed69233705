// The control score and residual risk, and how each was computed, step by step.
import { Link } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { Card } from '~/components/ui'
import type { ReviewPageView } from '../view.server'
import { RiskBadge, riskCellClass, SeverityBadge, formatDate } from './labels'
import { tierLabel } from '~/i18n/glossary'

const fmt = (value: number) => (Number.isInteger(value) ? String(value) : value.toFixed(1))

/** "≥ 85", "70–85", "< 50": a score on a boundary belongs to the higher band. */
export function bandRange(minimums: number[], index: number): string {
  const min = minimums[index]
  if (index === 0) return `≥ ${fmt(min)}`
  if (index === minimums.length - 1) return `< ${fmt(minimums[index - 1])}`
  return `${fmt(min)}–${fmt(minimums[index - 1])}`
}

export function ScorePanel({ view }: { view: ReviewPageView }) {
  const { t, i18n } = useTranslation('review')
  const { score } = view
  if (!score) {
    return (
      <Card title={t('score.title')}>
        <p className="text-sm text-slate-600">{t('score.none')}</p>
      </Card>
    )
  }
  const minimums = score.tierRow.map((cell) => cell.min)
  return (
    <Card
      title={t('score.title')}
      actions={<span className="text-xs text-slate-500">{t('score.computedAt', { date: formatDate(score.computedAt, i18n.language, view.timeZone, true) })}</span>}
    >
      <div className="grid gap-4 sm:grid-cols-3" data-testid="score-summary">
        <div>
          <p className="text-xs font-medium uppercase tracking-wide text-slate-500">{t('score.control')}</p>
          {score.value === null ? (
            <p className="mt-1 text-lg font-semibold text-slate-700">{t('score.insufficient')}</p>
          ) : (
            <p className="mt-1 text-3xl font-semibold text-slate-900" data-testid="control-score">
              {fmt(score.value)}
              <span className="text-base font-normal text-slate-500"> / 100</span>
            </p>
          )}
          {score.band ? <p className="text-sm text-slate-600">{t(`band.${score.band}`)}</p> : null}
        </div>
        <div>
          <p className="text-xs font-medium uppercase tracking-wide text-slate-500">{t('score.residual')}</p>
          <div className="mt-1" data-testid="residual-risk" data-risk={score.residualRisk}>
            <RiskBadge risk={score.residualRisk} large />
          </div>
          {score.cappedByKnockOut ? <p className="mt-1 text-sm font-medium text-red-800">{t('score.capped')}</p> : null}
        </div>
        <div>
          <p className="text-xs font-medium uppercase tracking-wide text-slate-500">{t('score.tier')}</p>
          <p className="mt-1 text-lg font-semibold text-slate-900">{tierLabel(t, score.tier)}</p>
          <p className="text-sm text-slate-600">{t('score.tierHint')}</p>
        </div>
      </div>

      <details className="mt-5 rounded-md bg-slate-50 p-4 text-sm text-slate-700" open data-testid="score-trace">
        <summary className="cursor-pointer font-semibold text-slate-800">{t('score.how')}</summary>
        <ol className="mt-3 list-decimal space-y-3 pl-5">
          <li>
            {t('score.step.clauses')}
            {score.severityWeights ? (
              <span className="mt-1 flex flex-wrap gap-2">
                {Object.entries(score.severityWeights).map(([severity, weight]) => (
                  <span key={severity} className="inline-flex items-center gap-1">
                    <SeverityBadge severity={severity} /> <span className="tabular-nums">× {weight}</span>
                  </span>
                ))}
              </span>
            ) : null}
          </li>
          <li>
            {t('score.step.counts', {
              meets: score.counts.meets,
              partial: score.counts.partial,
              fails: score.counts.fails,
              notAssessed: score.counts.not_assessed,
              notApplicable: score.counts.not_applicable,
              overridden: score.counts.overridden,
            })}
          </li>
          <li data-testid="score-formula">
            {score.value === null
              ? t('score.step.noScore')
              : t('score.step.formula', { earned: fmt(score.earned), possible: fmt(score.possible), score: fmt(score.value) })}
          </li>
          <li>
            {t('score.step.matrix', { tier: score.tier })}
            <div className="mt-2 overflow-x-auto">
              <table className="text-center text-xs" aria-label={t('score.matrixRow')}>
                <thead>
                  <tr>
                    {score.tierRow.map((cell, i) => (
                      <th key={cell.band} scope="col" className="px-3 py-1 font-medium text-slate-600">
                        {t(`band.${cell.band}`)}
                        <span className="block font-normal tabular-nums text-slate-500">{bandRange(minimums, i)}</span>
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  <tr>
                    {score.tierRow.map((cell) => {
                      const current = cell.band === (score.band ?? 'poor')
                      return (
                        <td
                          key={cell.band}
                          className={`px-3 py-2 font-semibold ${riskCellClass[cell.risk]} ${current ? 'ring-2 ring-sky-700 ring-inset' : 'opacity-60'}`}
                          aria-current={current || undefined}
                        >
                          {t(`glossary:risk.${cell.risk}`)}
                        </td>
                      )
                    })}
                  </tr>
                </tbody>
              </table>
            </div>
            <p className="mt-1">{t('score.step.matrixCell', { risk: t(`glossary:risk.${score.matrixRisk}`) })}</p>
          </li>
          <li>
            {score.knockOutsFailed.length === 0
              ? t('score.step.noKnockOut')
              : t('score.step.knockOut', {
                  clauses: score.knockOutsFailed.map((clause) => clause.id).join(i18n.language === 'en' ? ', ' : '、'),
                  floor: t(`glossary:risk.${score.knockOutFloor ?? 'high'}`),
                  risk: t(`glossary:risk.${score.residualRisk}`),
                })}
          </li>
        </ol>
        {view.permissions.review || view.assessment.status === 'completed' ? (
          <p className="mt-3">
            <Link to="/admin/risk-matrix" className="font-medium text-sky-800 underline">
              {t('score.fullMatrix')}
            </Link>
          </p>
        ) : null}
      </details>

      {score.gaps.length > 0 ? (
        <div className="mt-4">
          <h3 className="text-sm font-semibold text-slate-800">{t('gaps.title', { count: score.gaps.length })}</h3>
          <ul className="mt-2 space-y-1 text-sm text-slate-700" data-testid="score-gaps">
            {score.gaps.map((gap) => (
              <li key={`${gap.kind}:${gap.questionId ?? ''}`} className="flex flex-wrap items-center gap-2">
                <SeverityBadge severity={gap.severity} />
                {gap.kind === 'low_coverage' ? (
                  <span>{t('gaps.low_coverage', { percent: Math.round((gap.share ?? 0) * 100), threshold: Math.round((gap.threshold ?? 0) * 100) })}</span>
                ) : (
                  <a href={`#q-${gap.questionId}`} className="text-sky-800 underline">
                    {gap.kind === 'missing_evidence' && gap.expiredOn ? t('gaps.missing_evidence_expired', { id: gap.questionId, date: gap.expiredOn }) : t(`gaps.${gap.kind}`, { id: gap.questionId })}
                  </a>
                )}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </Card>
  )
}
