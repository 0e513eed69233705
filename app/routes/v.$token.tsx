import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Outlet, isRouteErrorResponse, useLoaderData, useRouteError } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { LanguageSwitch } from '~/components/app-shell'
import { useLocale } from '~/root'
import { requireVendorAccess } from '~/modules/assessments/access.server'
import { getEnv } from '~/env.server'
import { LinkProblemPage } from '~/modules/assessments/portal/link-problem'
import type { VendorSnapshot } from '~/modules/assessments/snapshot'
import { vendorForVendor } from '~/modules/assessments/vendor-view'
import type { ReactNode } from 'react'

export const meta: MetaFunction = () => [{ title: 'Clausewise' }, { name: 'robots', content: 'noindex, nofollow' }, { name: 'referrer', content: 'same-origin' }]

// The vendor portal's frame. Every child loader and action checks the link again on its own.
export async function loader({ params }: LoaderFunctionArgs) {
  const access = await requireVendorAccess(params.token)
  return { institution: getEnv().INSTITUTION_NAME, vendor: { legalName: vendorForVendor(access.assessment.vendorSnapshot as VendorSnapshot).legalName } }
}

function Frame({ institution, children }: { institution?: string; children: ReactNode }) {
  const { t } = useTranslation('vendorPortal')
  const locale = useLocale()
  return (
    <div className="min-h-screen bg-slate-50">
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-6xl items-center justify-between gap-3 px-4 py-3">
          <div className="flex min-w-0 items-center gap-3">
            <span aria-hidden="true" className="inline-block h-8 w-8 shrink-0 rounded-md bg-sky-700 text-center text-base font-bold leading-8 text-white">
              C
            </span>
            <div className="min-w-0 leading-tight">
              <p className="truncate text-sm font-semibold text-slate-900">{institution ?? 'Clausewise'}</p>
              <p className="truncate text-xs text-slate-500">{t('frame.subtitle')}</p>
            </div>
          </div>
          <LanguageSwitch locale={locale} />
        </div>
      </header>
      <main id="main" className="mx-auto max-w-6xl px-4 py-6 sm:py-8">
        {children}
      </main>
      <footer className="mx-auto max-w-6xl px-4 pb-8 text-xs text-slate-500">{t('frame.footer')}</footer>
    </div>
  )
}

export default function VendorFrame() {
  const { institution } = useLoaderData<typeof loader>()
  return (
    <Frame institution={institution}>
      <Outlet />
    </Frame>
  )
}

export function ErrorBoundary() {
  const error = useRouteError()
  const problem = isRouteErrorResponse(error) && error.data && typeof error.data === 'object' ? (error.data as { linkProblem?: string; institution?: string }) : null
  return (
    <Frame institution={problem?.institution}>
      <LinkProblemPage problem={problem?.linkProblem ?? (isRouteErrorResponse(error) && error.status < 500 ? 'invalid' : 'error')} institution={problem?.institution} />
    </Frame>
  )
}
