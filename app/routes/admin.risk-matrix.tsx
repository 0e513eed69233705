import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { Card, PageHeader } from '~/components/ui'
import { can } from '~/modules/auth/roles'
import { requireUser } from '~/modules/auth/session.server'
import { scoringSettings } from '~/modules/review/score.server'
import { ClauseStatusBadge, RiskBadge, riskCellClass, SeverityBadge } from '~/modules/review/ui/labels'
import { bandRange } from '~/modules/review/ui/score-panel'
import { SCORE_BAND_IDS, STATUS_CREDIT } from '~/modules/scoring/settings'
import { TIERS } from '~/modules/vendors/vocabulary'
import { tierLabel } from '~/i18n/glossary'
import { invariantResponse } from '~/modules/http'

export const meta: MetaFunction = () => [{ title: 'Risk matrix · Clausewise' }]

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  // Administrators, who own the method's settings, and compliance, who apply it.
  invariantResponse(can(user.role, 'admin:settings') || can(user.role, 'assessment:review'), 'Forbidden', { status: 403 })
  const settings = scoringSettings()
  return {
    severityWeights: settings.severityWeights,
    bandMinimums: SCORE_BAND_IDS.map((band) => ({ band, min: settings.riskMatrix.bandMinimums[band] })),
    rows: TIERS.map((tier) => ({ tier, cells: [...settings.riskMatrix.rows[tier]] })),
    knockOutFloor: settings.knockOutFloor,
    maxNotAssessedShare: settings.maxNotAssessedShare,
    credit: STATUS_CREDIT,
  }
}

export default function RiskMatrixPage() {
  const { t } = useTranslation('review')
  const data = useLoaderData<typeof loader>()
  const minimums = data.bandMinimums.map((entry) => entry.min)
  return (
    <div data-testid="risk-matrix">
      <PageHeader title={t('matrix.title')} subtitle={t('matrix.subtitle')} />
      <div className="flex flex-col gap-6">
        <Card>
          <div className="overflow-x-auto">
            <table className="w-full min-w-[560px] border-separate border-spacing-1 text-center text-sm" data-testid="matrix-table">
              <thead>
                <tr>
                  <th scope="col" className="px-2 py-2 text-left text-xs font-medium uppercase text-slate-500">
                    {t('matrix.tier')} \ {t('matrix.band')}
                  </th>
                  {data.bandMinimums.map((entry, i) => (
                    <th key={entry.band} scope="col" className="px-2 py-2 font-semibold text-slate-800">
                      {t(`band.${entry.band}`)}
                      <span className="block text-xs font-normal tabular-nums text-slate-500">{bandRange(minimums, i)}</span>
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {data.rows.map((row) => (
                  <tr key={row.tier}>
                    <th scope="row" className="px-2 py-3 text-left font-semibold text-slate-800">
                      {tierLabel(t, row.tier)}
                    </th>
                    {row.cells.map((risk, i) => (
                      <td key={i} className={`rounded px-2 py-3 font-semibold ${riskCellClass[risk]}`} data-risk={risk}>
                        {t(`glossary:risk.${risk}`)}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p className="mt-3 text-sm text-slate-600">{t('matrix.formula')}</p>
        </Card>

        <div className="grid gap-6 md:grid-cols-2">
          <Card title={t('matrix.weights')}>
            <p className="mb-3 text-sm text-slate-600">{t('matrix.weightsIntro')}</p>
            <table className="text-sm" data-testid="severity-weights">
              <tbody>
                {Object.entries(data.severityWeights).map(([severity, weight]) => (
                  <tr key={severity}>
                    <td className="py-1 pr-6">
                      <SeverityBadge severity={severity} />
                    </td>
                    <td className="py-1 font-semibold tabular-nums">{weight}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Card>
          <Card title={t('matrix.credit')}>
            <p className="mb-3 text-sm text-slate-600">{t('matrix.creditIntro')}</p>
            <table className="text-sm">
              <tbody>
                {Object.entries(data.credit).map(([status, credit]) => (
                  <tr key={status}>
                    <td className="py-1 pr-6">
                      <ClauseStatusBadge status={status} />
                    </td>
                    <td className="py-1 font-semibold tabular-nums">{Math.round(credit * 100)}%</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Card>
          <Card title={t('matrix.knockOut')}>
            <p className="text-sm text-slate-700">
              <RiskBadge risk={data.knockOutFloor} /> {t('matrix.knockOutText', { risk: t(`glossary:risk.${data.knockOutFloor}`) })}
            </p>
          </Card>
          <Card title={t('matrix.coverage')}>
            <p className="text-sm text-slate-700">{t('matrix.coverageText', { percent: Math.round(data.maxNotAssessedShare * 100) })}</p>
          </Card>
        </div>
      </div>
    </div>
  )
}
