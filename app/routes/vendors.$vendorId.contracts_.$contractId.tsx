import type { LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { ButtonLink, Card } from '~/components/ui'
import { getLocale } from '~/i18n/i18n.server'
import { localized } from '~/i18n/locales'
import { can } from '~/modules/auth/roles'
import { requireUser } from '~/modules/auth/session.server'
import { StandingBadge } from '~/modules/contracts/badges'
import { RENEWAL_WINDOW_DAYS } from '~/modules/contracts/standing'
import { ContractHistory } from '~/modules/contracts/history'
import { contractClauses, contractView, getContract, missingClauseIds, vendorForContracts } from '~/modules/contracts/contracts.server'
import { notFound } from '~/modules/http'
import { KnockOutBadge, SeverityBadge } from '~/modules/library/badges'

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, 'portal:read')
  const vendor = await vendorForContracts(String(params.vendorId))
  const contract = vendor ? await getContract(vendor.id, String(params.contractId)) : null
  if (!vendor || !contract) throw notFound('Contract not found')
  return {
    locale: await getLocale(request),
    vendor,
    contract: contractView(contract),
    clauses: contractClauses(contract),
    missing: missingClauseIds(contract),
    canWrite: can(user.role, 'vendor:write'),
  }
}

function fileSize(bytes: number) {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`
}

export default function ContractDetail() {
  const { t } = useTranslation('contracts')
  const { locale, vendor, contract, clauses, missing, canWrite } = useLoaderData<typeof loader>()
  const base = `/vendors/${vendor.id}/contracts`
  return (
    <div className="flex flex-col gap-6" data-testid="contract-detail">
      <div>
        <nav aria-label={t('form.breadcrumb')} className="mb-2 text-sm">
          <Link to={base} className="text-sky-800 hover:underline">
            {t('actions.back')}
          </Link>
        </nav>
        <div className="flex flex-wrap items-start justify-between gap-3">
          <div>
            <h2 className="flex flex-wrap items-center gap-2 text-lg font-semibold text-slate-900">
              <span data-testid="contract-reference">{contract.reference}</span>
              <StandingBadge standing={contract.standing} />
            </h2>
            <p className="text-sm text-slate-600">{contract.title}</p>
          </div>
          {canWrite ? (
            <ButtonLink to={`${base}/${contract.id}/edit`} variant="secondary">
              {t('actions.editContract')}
            </ButtonLink>
          ) : null}
        </div>
      </div>

      <div className="grid gap-6 lg:grid-cols-3">
        <Card title={t('detail.terms')} className="lg:col-span-2">
          <dl className="grid gap-x-6 gap-y-3 text-sm sm:grid-cols-2">
            <div>
              <dt className="text-slate-500">{t('fields.effectiveAt')}</dt>
              <dd className="tabular-nums text-slate-900">{contract.effectiveAt}</dd>
            </div>
            <div>
              <dt className="text-slate-500">{t('fields.expiresAt')}</dt>
              <dd className="tabular-nums text-slate-900">
                {contract.expiresAt ?? t('list.noExpiry')}
                {contract.daysLeft !== null && contract.daysLeft <= RENEWAL_WINDOW_DAYS ? <span className="ml-2 text-amber-800">{t('list.endsIn', { count: contract.daysLeft })}</span> : null}
              </dd>
            </div>
            <div>
              <dt className="text-slate-500">{t('fields.status')}</dt>
              <dd className="text-slate-900">{t(`status.${contract.status}`)}</dd>
            </div>
            <div>
              <dt className="text-slate-500">{t('detail.template')}</dt>
              <dd className="text-slate-900">{contract.templateCategory ? t(`vendors:category.${contract.templateCategory}`) : '—'}</dd>
            </div>
            <div>
              <dt className="text-slate-500">{t('detail.recordedBy')}</dt>
              <dd className="text-slate-900">
                {contract.createdBy ?? t('detail.system')} · {contract.createdOn}
              </dd>
            </div>
            <div>
              <dt className="text-slate-500">{t('detail.libraryVersion')}</dt>
              <dd className="text-slate-900">{contract.clauseLibraryVersion ?? '—'}</dd>
            </div>
          </dl>
        </Card>
        <Card title={t('fields.signedCopy')}>
          {contract.signedCopy ? (
            <div className="flex flex-col gap-2 text-sm">
              <a href={`${base}/${contract.id}/signed-copy`} className="font-medium text-sky-800 hover:underline" data-testid="signed-copy-link">
                {contract.signedCopy.filename}
              </a>
              <span className="text-slate-500">
                {t('detail.uploaded', { size: fileSize(contract.signedCopy.size), date: contract.signedCopy.uploadedOn, name: contract.signedCopy.uploadedBy ?? t('detail.system') })}
              </span>
            </div>
          ) : (
            <p className="text-sm text-slate-500">{t('detail.noSignedCopy')}</p>
          )}
        </Card>
      </div>

      <Card title={t('detail.clauses', { count: clauses.length })}>
        <p className="mb-3 text-sm text-slate-600">{t('detail.clausesIntro')}</p>
        {missing.length > 0 ? (
          <p className="mb-3 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900" role="status">
            {t('detail.missing', { ids: missing.join(', ') })}
          </p>
        ) : null}
        <ul className="divide-y divide-slate-100" data-testid="contract-clauses">
          {clauses.map((clause) => (
            <li key={clause.id} className="py-3">
              <details>
                <summary className="flex cursor-pointer flex-wrap items-center gap-2 text-sm">
                  <span className="font-mono text-xs text-slate-500">{clause.id}</span>
                  <span className="font-medium text-slate-800">{localized(clause.title, locale)}</span>
                  <SeverityBadge severity={clause.severity} />
                  {clause.knockOut ? <KnockOutBadge /> : null}
                </summary>
                <p className="mt-2 text-sm text-slate-700">{localized(clause.text, locale)}</p>
                <p className="mt-1 text-xs text-slate-500">{clause.sources.join(' · ')}</p>
              </details>
            </li>
          ))}
        </ul>
      </Card>

      <Card title={t('history.title')}>
        <ContractHistory history={contract.history} />
      </Card>
    </div>
  )
}
