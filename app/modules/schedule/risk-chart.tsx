// Residual risk across the portfolio: a stacked bar per inherent tier (recharts), drawn in the
// browser, with the same numbers as a table of links underneath for keyboards and screen readers.
import { Link, useNavigate } from '@remix-run/react'
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts'
import { bucketHref } from './buckets'

const LEVELS = ['low', 'medium', 'high', 'critical', 'unassessed'] as const
type Level = (typeof LEVELS)[number]
const COLORS: Record<Level, string> = { low: '#10b981', medium: '#f59e0b', high: '#ea580c', critical: '#b91c1c', unassessed: '#94a3b8' }

export interface RiskRow {
  tier: number
  counts: Record<Level, number>
}

export function RiskChart({ rows }: { rows: RiskRow[] }) {
  const { t } = useTranslation('schedule')
  const navigate = useNavigate()
  const [mounted, setMounted] = useState(false)
  useEffect(() => setMounted(true), [])
  const data = rows.map((row) => ({ name: t('dashboard.tier', { tier: row.tier }), tier: row.tier, ...row.counts }))
  return (
    <div>
      <div className="h-56 w-full" aria-hidden="true">
        {mounted ? (
          <ResponsiveContainer width="100%" height="100%">
            <BarChart data={data} margin={{ top: 4, right: 8, bottom: 0, left: -16 }}>
              <CartesianGrid strokeDasharray="3 3" vertical={false} />
              <XAxis dataKey="name" tick={{ fontSize: 12 }} />
              <YAxis allowDecimals={false} tick={{ fontSize: 12 }} />
              <Tooltip />
              {LEVELS.map((level) => (
                <Bar
                  key={level}
                  dataKey={level}
                  name={t(level === 'unassessed' ? 'risk.unassessed' : `glossary:risk.${level}`)}
                  stackId="risk"
                  fill={COLORS[level]}
                  isAnimationActive={false}
                  cursor="pointer"
                  onClick={(entry: { payload?: { tier?: number } }) => {
                    const tier = entry.payload?.tier
                    if (tier) navigate(bucketHref({ kind: 'risk', tier, risk: level }))
                  }}
                />
              ))}
            </BarChart>
          </ResponsiveContainer>
        ) : null}
      </div>
      <table className="mt-3 w-full text-left text-xs" data-testid="risk-table">
        <caption className="sr-only">{t('dashboard.riskTableCaption')}</caption>
        <thead className="text-slate-500">
          <tr>
            <th scope="col" className="py-1 font-medium" />
            {LEVELS.map((level) => (
              <th key={level} scope="col" className="py-1 text-right font-medium">
                <span className="mr-1 inline-block h-2 w-2 rounded-full" style={{ background: COLORS[level] }} aria-hidden="true" />
                {t(level === 'unassessed' ? 'risk.unassessed' : `glossary:risk.${level}`)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map((row) => (
            <tr key={row.tier}>
              <th scope="row" className="py-1 font-medium text-slate-700">
                {t('dashboard.tier', { tier: row.tier })}
              </th>
              {LEVELS.map((level) => (
                <td key={level} className="py-1 text-right tabular-nums">
                  {row.counts[level] > 0 ? (
                    <Link to={bucketHref({ kind: 'risk', tier: row.tier, risk: level })} className="font-medium text-sky-800 hover:underline">
                      {row.counts[level]}
                    </Link>
                  ) : (
                    <span className="text-slate-300">0</span>
                  )}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
