import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, NavLink, Outlet, useLoaderData, useLocation, useRouteLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { Badge, ButtonLink } from '~/components/ui'
import { getEnv } from '~/env.server'
import { localized } from '~/i18n/locales'
import { notFound } from '~/modules/http'
import { can } from '~/modules/auth/roles'
import { requireUser } from '~/modules/auth/session.server'
import { StatusBadge, TierBadge } from '~/modules/vendors/ui/badges'
import { getVendor } from '~/modules/vendors/vendors.server'
import { offboardingStatusOf } from '~/modules/offboarding/view.server'
import { useLocale } from '~/root'
import { GeneralErrorBoundary, notFoundHandler } from '~/components/general-error-boundary'

// The frame of every vendor page: name, tier, status, and tabs for the profile, the contracts
// and the assessments (the latter two are routes of their own domains).
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, 'portal:read')
  const vendor = await getVendor(params.vendorId ?? '')
  if (!vendor) throw notFound()
  // An offboarded vendor is read-only: the edit buttons go (the server refuses the edits anyway).
  const offboarding = await offboardingStatusOf(vendor.id)
  const readOnly = vendor.status === 'offboarded'
  return {
    vendor,
    offboarding,
    timeZone: getEnv().INSTITUTION_TIMEZONE,
    can: { edit: !readOnly && can(user.role, 'vendor:write'), overrideTier: !readOnly && can(user.role, 'vendor:override-tier') },
  }
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Clausewise · ${data.vendor.legalName['zh-CN'] || data.vendor.legalName.en}` : 'Clausewise' },
]

/** The vendor and the reader's permissions, for the child routes (profile, edit, tier). */
export function useVendorLayoutData() {
  return useRouteLoaderData<typeof loader>('routes/vendors.$vendorId')!
}

export default function VendorLayout() {
  const { t } = useTranslation('vendors')
  const { t: to } = useTranslation('offboarding')
  const { t: td } = useTranslation('documents')
  const { vendor, can, offboarding } = useLoaderData<typeof loader>()
  const locale = useLocale()
  const location = useLocation()
  const base = `/vendors/${vendor.id}`
  const name = localized(vendor.legalName, locale)
  const otherName = locale === 'en' ? vendor.legalName['zh-CN'] : vendor.legalName.en
  const profileActive = [base, `${base}/edit`, `${base}/tier`].includes(location.pathname.replace(/\/$/, ''))
  const tab = (active: boolean) =>
    `whitespace-nowrap border-b-2 px-1 pb-2 text-sm font-medium ${active ? 'border-sky-700 text-sky-800' : 'border-transparent text-slate-600 hover:border-slate-300 hover:text-slate-900'}`
  return (
    <div data-testid="vendor-page">
      <nav aria-label="breadcrumb" className="mb-2 text-sm">
        <Link to="/vendors" className="text-sky-800 hover:underline">
          ← {t('actions.backToList')}
        </Link>
      </nav>
      <header className="mb-4 flex flex-wrap items-start justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight text-slate-900" data-testid="vendor-name">
            {name}
          </h1>
          {otherName && otherName !== name ? <p className="mt-0.5 text-sm text-slate-600">{otherName}</p> : null}
          <div className="mt-2 flex flex-wrap items-center gap-2">
            <TierBadge tier={vendor.effectiveTier} overridden={vendor.tier.override !== null} />
            <StatusBadge status={vendor.status} />
            {offboarding && offboarding !== 'accepted' ? <Badge tone="warn">{to(`badge.${offboarding}`)}</Badge> : null}
            <span className="text-sm text-slate-500">{t(`category.${vendor.category}`)}</span>
          </div>
        </div>
        <div className="flex flex-wrap gap-2">
          {can.overrideTier ? (
            <ButtonLink to={`${base}/tier`} variant="secondary">
              {t('actions.overrideTier')}
            </ButtonLink>
          ) : null}
          {can.edit ? <ButtonLink to={`${base}/edit`}>{t('actions.edit')}</ButtonLink> : null}
        </div>
      </header>
      {vendor.status === 'offboarded' ? (
        <p className="mb-4 rounded-md border border-slate-200 bg-slate-100 px-4 py-2 text-sm text-slate-800" data-testid="vendor-read-only">
          {to('readOnlyNotice')}
        </p>
      ) : null}
      <nav aria-label={t('detail.tabs.label')} className="mb-6 flex gap-6 overflow-x-auto border-b border-slate-200">
        <NavLink to={base} end className={() => tab(profileActive)} aria-current={profileActive ? 'page' : undefined}>
          {t('detail.tabs.profile')}
        </NavLink>
        <NavLink to={`${base}/contracts`} className={({ isActive }) => tab(isActive)}>
          {t('detail.tabs.contracts')}
        </NavLink>
        <NavLink to={`${base}/assessments`} className={({ isActive }) => tab(isActive)}>
          {t('detail.tabs.assessments')}
        </NavLink>
        <NavLink to={`${base}/schedule`} className={({ isActive }) => tab(isActive)}>
          {t('detail.tabs.schedule')}
        </NavLink>
        <NavLink to={`${base}/incidents`} className={({ isActive }) => tab(isActive)}>
          {t('detail.tabs.incidents')}
        </NavLink>
        <NavLink to={`${base}/documents`} className={({ isActive }) => tab(isActive)}>
          {td('tab.title')}
        </NavLink>
        <NavLink to={`${base}/offboarding`} className={({ isActive }) => tab(isActive)}>
          {to('tab')}
        </NavLink>
      </nav>
      <Outlet />
    </div>
  )
}

// Rendered inside the staff shell, so the navigation stays; a missing vendor is named as such.
export function ErrorBoundary() {
  return <GeneralErrorBoundary statusHandlers={{ 404: notFoundHandler('errorPage.notFound.vendor') }} />
}
