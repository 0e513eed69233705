import type { LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { ButtonLink, EmptyState } from '~/components/ui'
import { can } from '~/modules/auth/roles'
import { requireUser } from '~/modules/auth/session.server'
import { StandingBadge } from '~/modules/contracts/badges'
import { RENEWAL_WINDOW_DAYS } from '~/modules/contracts/standing'
import { contractView, getCurrentContract, listContracts, vendorForContracts } from '~/modules/contracts/contracts.server'
import { notFound } from '~/modules/http'
import { GeneralErrorBoundary } from '~/components/general-error-boundary'

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, 'portal:read')
  const vendor = await vendorForContracts(String(params.vendorId))
  if (!vendor) throw notFound('Vendor not found')
  const now = new Date()
  const [contracts, current] = await Promise.all([listContracts(vendor.id), getCurrentContract(vendor.id, now)])
  return {
    vendor,
    contracts: contracts.map((contract) => contractView(contract, now)),
    currentId: current?.id ?? null,
    canWrite: can(user.role, 'vendor:write'),
  }
}

export default function VendorContracts() {
  const { t } = useTranslation('contracts')
  const { vendor, contracts, currentId, canWrite } = useLoaderData<typeof loader>()
  const current = contracts.find((contract) => contract.id === currentId)
  const base = `/vendors/${vendor.id}/contracts`
  return (
    <div data-testid="vendor-contracts">
      <div className="mb-4 flex flex-wrap items-end justify-between gap-3">
        <div>
          <h2 className="text-lg font-semibold text-slate-900">{t('title')}</h2>
          <p className="text-sm text-slate-600">{t('subtitle')}</p>
        </div>
        {canWrite ? <ButtonLink to={`${base}/new`}>{t('actions.new')}</ButtonLink> : null}
      </div>

      {contracts.length > 0 ? (
        current ? (
          <div className="mb-4 rounded-lg border border-emerald-200 bg-emerald-50 px-4 py-3 text-sm text-emerald-900" data-testid="current-contract">
            <span className="font-semibold">{t('list.current')}:</span>{' '}
            <Link to={`${base}/${current.id}`} className="font-medium underline">
              {current.reference}
            </Link>{' '}
            · {t('list.clauseCount', { count: current.clauseIds.length })} ·{' '}
            {current.expiresAt ? t('list.until', { date: current.expiresAt }) : t('list.noExpiry')}
            {current.daysLeft !== null && current.daysLeft <= RENEWAL_WINDOW_DAYS ? <span className="ml-2 font-semibold text-amber-800">{t('list.endsIn', { count: current.daysLeft })}</span> : null}
          </div>
        ) : (
          <div className="mb-4 rounded-lg border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-900" role="status">
            {t('list.noCurrent')}
          </div>
        )
      ) : null}

      {contracts.length === 0 ? (
        <EmptyState>{t('list.empty')}</EmptyState>
      ) : (
        <div className="relative overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
          <table className="w-full min-w-[40rem] text-left text-sm">
            <thead className="border-b border-slate-100 text-xs uppercase tracking-wide text-slate-500">
              <tr>
                <th className="px-4 py-2 font-medium">{t('list.reference')}</th>
                <th className="px-4 py-2 font-medium">{t('list.status')}</th>
                <th className="px-4 py-2 font-medium">{t('list.effective')}</th>
                <th className="px-4 py-2 font-medium">{t('list.expires')}</th>
                <th className="px-4 py-2 text-right font-medium">{t('list.clauses')}</th>
                <th className="px-4 py-2 font-medium">{t('list.signedCopy')}</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {contracts.map((contract) => (
                <tr key={contract.id} className={contract.id === currentId ? 'bg-emerald-50/40' : ''}>
                  <td className="px-4 py-3">
                    <Link to={`${base}/${contract.id}`} className="font-medium text-sky-800 hover:underline">
                      {contract.reference}
                    </Link>
                    <span className="block text-xs text-slate-500">{contract.title}</span>
                  </td>
                  <td className="whitespace-nowrap px-4 py-3">
                    <StandingBadge standing={contract.standing} />
                  </td>
                  <td className="whitespace-nowrap px-4 py-3 tabular-nums">{contract.effectiveAt}</td>
                  <td className="whitespace-nowrap px-4 py-3 tabular-nums">{contract.expiresAt ?? t('list.noExpiry')}</td>
                  <td className="px-4 py-3 text-right tabular-nums">{contract.clauseIds.length}</td>
                  <td className="px-4 py-3 text-slate-600">{contract.signedCopy ? t('list.onFile') : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  )
}

// An error here keeps the parent page's header and tabs around it.
export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
