// "72 → 80 (+8)": the score, residual risk and clause results of the vendor's last completed
// assessment beside this one's, in the assessment header.
import { Link } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import type { ScoreBesideLast } from '../beside-last.server'
import { formatDate } from './labels'

const signed = (delta: number) => (delta > 0 ? `+${delta}` : String(delta))
const CLAUSE_STATUSES = ['meets', 'partial', 'fails'] as const

export function BesideLast({ sinceLast, timeZone }: { sinceLast: ScoreBesideLast; timeZone: string }) {
  const { t, i18n } = useTranslation('review')
  const risk = (value: string | null) => (value ? t(`glossary:risk.${value}`) : '—')
  const { score, residualRisk, clauses } = sinceLast
  const tone = (good: boolean | null) => (good === null ? '' : good ? 'text-emerald-700' : 'text-red-700')
  return (
    <p className="mt-1 flex flex-wrap items-center gap-x-3 gap-y-1 text-sm text-slate-600" data-testid="beside-last">
      <Link to={`/assessments/${sinceLast.previousId}`} className="text-sky-800 underline">
        {t('sinceLast.title', { date: formatDate(sinceLast.completedAt, i18n.language, timeZone) })}
      </Link>
      <span data-testid="beside-last-score">
        {t('sinceLast.score')}: {score.before ?? '—'} → {score.after ?? '—'}
        {score.delta !== null ? <span className={`ml-1 font-medium ${tone(score.delta === 0 ? null : score.delta > 0)}`}>({signed(score.delta)})</span> : null}
      </span>
      <span data-testid="beside-last-risk">
        {t('sinceLast.residualRisk')}: {risk(residualRisk.before)} → {risk(residualRisk.after)}
        {residualRisk.movement && residualRisk.movement !== 'same' ? (
          <span className={`ml-1 font-medium ${tone(residualRisk.movement === 'better')}`}>{residualRisk.movement === 'better' ? '↓' : '↑'}</span>
        ) : null}
      </span>
      <span data-testid="beside-last-clauses">
        {t('sinceLast.clauses')}:{' '}
        {CLAUSE_STATUSES.map((status) => {
          const after = clauses.after?.[status]
          const delta = after === undefined ? 0 : after - clauses.before[status]
          return (
            <span key={status} className="mr-2">
              {t(`sinceLast.clauseStatus.${status}`)} {clauses.before[status]} → {after ?? '—'}
              {delta !== 0 ? <span className={`ml-0.5 ${tone(status === 'meets' ? delta > 0 : delta < 0)}`}>({signed(delta)})</span> : null}
            </span>
          )
        })}
      </span>
    </p>
  )
}
