import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import {
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLocation,
  useRouteLoaderData,
} from '@remix-run/react'
import { useEffect } from 'react'
import { useTranslation } from 'react-i18next'
import { AppShell } from '~/components/app-shell'
import { GeneralErrorBoundary } from '~/components/general-error-boundary'
import { useNonce } from '~/components/nonce'
import { getLocale } from '~/i18n/i18n.server'
import { getSessionUserAndFlash } from '~/modules/auth/session.server'
import styles from '~/styles/app.css?url'
import { DEFAULT_LOCALE, type Locale } from '~/i18n/locales'

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: styles },
  { rel: 'icon', href: '/favicon.ico', sizes: '32x32' },
  { rel: 'icon', href: '/favicon.svg', type: 'image/svg+xml' },
]

export const meta: MetaFunction = () => [{ title: 'Clausewise' }]

export async function loader({ request }: LoaderFunctionArgs) {
  const [locale, { user, flash }] = await Promise.all([getLocale(request), getSessionUserAndFlash(request)])
  return {
    locale,
    user: user ? { id: user.id, name: user.name, email: user.email, role: user.role } : null,
    flash,
  }
}

export function useRootData() {
  return useRouteLoaderData<typeof loader>('root')
}

/** The page's language, as the root loader chose it (the default before it has run, e.g. in an error page). */
export function useLocale(): Locale {
  return useRootData()?.locale ?? DEFAULT_LOCALE
}

export function Layout({ children }: { children: React.ReactNode }) {
  const data = useRootData()
  const locale: Locale = data?.locale ?? DEFAULT_LOCALE
  const { i18n } = useTranslation()
  const nonce = useNonce()
  useEffect(() => {
    if (i18n.language !== locale) void i18n.changeLanguage(locale)
  }, [i18n, locale])
  return (
    <html lang={locale} className="h-full">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body className="h-full text-slate-900 antialiased">
        {children}
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  )
}

// Vendor pages (/v/… questionnaire, /i/… incident report, /o/… data return or deletion),
// sign-in, the forced password change and the public report check have their own frame; staff
// pages get the shell.
const OWN_FRAME = new Set(['/login', '/change-password', '/verify'])
function usesStaffShell(pathname: string) {
  return !['/v/', '/i/', '/o/'].some((prefix) => pathname.startsWith(prefix)) && !OWN_FRAME.has(pathname)
}

export default function App() {
  const data = useRootData()
  const location = useLocation()
  if (data?.user && usesStaffShell(location.pathname)) {
    return (
      <AppShell user={data.user} locale={data.locale} flash={data.flash}>
        <Outlet />
      </AppShell>
    )
  }
  return <Outlet />
}

export function ErrorBoundary() {
  const data = useRootData()
  const location = useLocation()
  const page = <GeneralErrorBoundary />
  if (data?.user && usesStaffShell(location.pathname)) {
    return (
      <AppShell user={data.user} locale={data.locale}>
        {page}
      </AppShell>
    )
  }
  return page
}
