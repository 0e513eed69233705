// Score and residual risk over every completed assessment of the vendor (recharts), drawn in the
// browser once mounted (as the dashboard's chart), with the same figures as a table underneath.
import { Link } from '@remix-run/react'
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts'
import type { Locale } from '~/i18n/locales'
import { formatDay } from '~/modules/dates/dates'

const RISKS = ['low', 'medium', 'high', 'critical'] as const

export interface ScorePoint {
  assessmentId: string
  completedAt: string
  score: number | null
  residual: string | null
}

export function ScoreHistoryChart({ points, locale, timeZone }: { points: ScorePoint[]; locale: Locale; timeZone: string }) {
  const { t } = useTranslation('vendors')
  const [mounted, setMounted] = useState(false)
  useEffect(() => setMounted(true), [])
  const risk = (value: string | null) => (value ? t(`glossary:risk.${value}`) : '—')
  // Residual risk on its own axis, 1 (low) to 4 (critical).
  const data = points.map((point) => ({
    day: formatDay(point.completedAt, locale, timeZone),
    score: point.score,
    risk: point.residual ? RISKS.indexOf(point.residual as (typeof RISKS)[number]) + 1 || null : null,
  }))
  return (
    <div data-testid="score-history">
      <div className="h-48 w-full" aria-hidden="true">
        {mounted ? (
          <ResponsiveContainer width="100%" height="100%">
            <LineChart data={data} margin={{ top: 4, right: 8, bottom: 0, left: -16 }}>
              <CartesianGrid strokeDasharray="3 3" vertical={false} />
              <XAxis dataKey="day" tick={{ fontSize: 12 }} />
              <YAxis yAxisId="score" domain={[0, 100]} tick={{ fontSize: 12 }} />
              <YAxis yAxisId="risk" orientation="right" domain={[1, 4]} ticks={[1, 2, 3, 4]} tickFormatter={(value: number) => risk(RISKS[value - 1] ?? null)} tick={{ fontSize: 11 }} width={48} />
              <Tooltip formatter={(value, name) => (name === t('scoreHistory.residualRisk') ? risk(RISKS[Number(value) - 1] ?? null) : value)} />
              <Line yAxisId="score" type="monotone" dataKey="score" name={t('scoreHistory.score')} stroke="#0369a1" strokeWidth={2} isAnimationActive={false} connectNulls />
              <Line yAxisId="risk" type="stepAfter" dataKey="risk" name={t('scoreHistory.residualRisk')} stroke="#ea580c" strokeDasharray="4 2" isAnimationActive={false} connectNulls />
            </LineChart>
          </ResponsiveContainer>
        ) : null}
      </div>
      <table className="mt-3 w-full text-left text-xs" data-testid="score-history-table">
        <caption className="sr-only">{t('scoreHistory.caption')}</caption>
        <thead className="text-slate-500">
          <tr>
            <th scope="col" className="py-1 font-medium">{t('scoreHistory.completed')}</th>
            <th scope="col" className="py-1 text-right font-medium">{t('scoreHistory.score')}</th>
            <th scope="col" className="py-1 text-right font-medium">{t('scoreHistory.residualRisk')}</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {points.map((point) => (
            <tr key={point.assessmentId}>
              <th scope="row" className="py-1 font-medium">
                <Link to={`/assessments/${point.assessmentId}`} className="text-sky-800 hover:underline">
                  {formatDay(point.completedAt, locale, timeZone)}
                </Link>
              </th>
              <td className="py-1 text-right tabular-nums">{point.score ?? '—'}</td>
              <td className="py-1 text-right">{risk(point.residual)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
