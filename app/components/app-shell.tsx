import { Form, NavLink, useLocation } from '@remix-run/react'
import { useEffect, useState, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { can, type Permission, type Role } from '~/modules/auth/roles'
import type { Locale } from '~/i18n/locales'
import type { Flash } from './flash'

type ShellUser = { name: string; email: string; role: Role }

const NAV: { to: string; key: string; permission: Permission }[] = [
  { to: '/', key: 'nav.dashboard', permission: 'portal:read' },
  { to: '/vendors', key: 'nav.vendors', permission: 'portal:read' },
  { to: '/assessments', key: 'nav.assessments', permission: 'portal:read' },
  { to: '/findings', key: 'nav.findings', permission: 'portal:read' },
  { to: '/incidents', key: 'nav.incidents', permission: 'portal:read' },
  { to: '/library', key: 'nav.library', permission: 'library:read' },
  { to: '/reports/batch', key: 'nav.reports', permission: 'report:download' },
  { to: '/reports/verify', key: 'nav.verify', permission: 'portal:read' },
]
const ADMIN_NAV: { to: string; key: string; permission: Permission }[] = [
  { to: '/admin/users', key: 'nav.users', permission: 'admin:users' },
  { to: '/admin/risk-matrix', key: 'nav.riskMatrix', permission: 'assessment:review' },
  { to: '/admin/settings', key: 'nav.settings', permission: 'admin:settings' },
  { to: '/admin/outbox', key: 'nav.outbox', permission: 'admin:outbox' },
  { to: '/admin/api-tokens', key: 'nav.apiTokens', permission: 'admin:api-tokens' },
  { to: '/admin/audit', key: 'nav.audit', permission: 'audit:read' },
  { to: '/admin/webhooks', key: 'nav.webhooks', permission: 'admin:webhooks' },
  { to: '/admin/retention', key: 'nav.retention', permission: 'admin:settings' },
]

/** The same-origin path of a location with its query and hash: where a language switch returns to. */
export function currentPlace(location: { pathname: string; search: string; hash: string }): string {
  return location.pathname + location.search + location.hash
}

const SCROLL_KEY = 'clausewise:language-switch-scroll'

/** Where the reader was, kept across the switch (the page re-renders, or even reloads, in the other language). */
function rememberScroll() {
  try {
    sessionStorage.setItem(SCROLL_KEY, JSON.stringify({ place: currentPlace(window.location), y: window.scrollY, at: Date.now() }))
  } catch {
    // Private mode without storage: the switch still works, from the top.
  }
}

function restoreScroll() {
  try {
    const saved = JSON.parse(sessionStorage.getItem(SCROLL_KEY) ?? 'null') as { place: string; y: number; at: number } | null
    if (!saved) return
    if (Date.now() - saved.at > 15_000) return sessionStorage.removeItem(SCROLL_KEY) // a switch that landed elsewhere
    if (saved.place !== currentPlace(window.location)) return
    sessionStorage.removeItem(SCROLL_KEY)
    window.scrollTo(0, saved.y)
  } catch {
    // Nothing kept: stay where the browser put us.
  }
}

export function LanguageSwitch({ locale }: { locale: Locale }) {
  const { t } = useTranslation()
  const location = useLocation()
  const other: Locale = locale === 'en' ? 'zh-CN' : 'en'
  // After the switch has landed (same place, other language), go back to where the reader was.
  useEffect(() => {
    const frame = requestAnimationFrame(restoreScroll)
    return () => cancelAnimationFrame(frame)
  }, [locale, location.key])
  return (
    <Form
      method="post"
      action="/language"
      className="inline"
      // Stay where you were: same scroll position, and the exact address at the moment of the
      // click, hash included (the questionnaire keeps its section there, set outside the router).
      preventScrollReset
      onSubmit={(event) => {
        const target = event.currentTarget.elements.namedItem('redirectTo')
        if (target instanceof HTMLInputElement) target.value = currentPlace(window.location)
        rememberScroll()
      }}
    >
      <input type="hidden" name="locale" value={other} />
      <input type="hidden" name="redirectTo" value={currentPlace(location)} />
      <button
        type="submit"
        className="rounded-md px-2 py-1 text-sm text-slate-600 ring-1 ring-inset ring-slate-300 hover:bg-slate-100"
        aria-label={t('language.switchTo', { language: t(`language.${other}`) })}
        lang={other}
        data-testid="language-switch"
      >
        {other === 'en' ? 'English' : '中文'}
      </button>
    </Form>
  )
}

/**
 * Administration pages behind one menu entry, so the main menu stays on one line whatever the
 * role (a <details> element: works before hydration and without JavaScript).
 */
function AdminMenu({ links, className }: { links: { to: string; key: string }[]; className: (state: { isActive: boolean }) => string }) {
  const { t } = useTranslation()
  const location = useLocation()
  const active = links.some((item) => location.pathname.startsWith(item.to))
  return (
    // Keyed by the page, so it closes once a link is followed.
    <details key={location.pathname} className="relative hidden lg:block" data-testid="admin-menu">
      <summary className={`${className({ isActive: active })} flex cursor-pointer list-none items-center gap-1 [&::-webkit-details-marker]:hidden`}>
        {t('nav.administration')}
        <span aria-hidden="true" className="text-xs">▾</span>
      </summary>
      <div className="absolute right-0 z-30 mt-1 flex w-52 flex-col rounded-md border border-slate-200 bg-white py-1 shadow-lg lg:left-0 lg:right-auto">
        {links.map((item) => (
          <NavLink key={item.to} to={item.to} className={({ isActive }) => `px-3 py-2 text-sm ${isActive ? 'bg-sky-50 text-sky-800' : 'text-slate-700 hover:bg-slate-100'}`}>
            {t(item.key)}
          </NavLink>
        ))}
      </div>
    </details>
  )
}

/** The message an action's redirect left ("Vendor saved"): on the page it led to, until the reader moves on. */
function FlashMessage({ flash }: { flash: Flash }) {
  const { t } = useTranslation()
  const location = useLocation()
  const [shownAt, setShownAt] = useState<{ id: string; locationKey: string } | null>(null)
  const [dismissed, setDismissed] = useState<string | null>(null)
  useEffect(() => {
    if (shownAt?.id !== flash.id) setShownAt({ id: flash.id, locationKey: location.key })
  }, [flash.id, location.key, shownAt])
  const arrivedAt = shownAt?.id === flash.id ? shownAt.locationKey : location.key
  if (dismissed === flash.id || arrivedAt !== location.key) return null
  return (
    <div role="status" className="mb-6 flex items-start justify-between gap-4 rounded-md border border-emerald-200 bg-emerald-50 px-4 py-2 text-sm text-emerald-900" data-testid="flash" data-flash={flash.key}>
      <span>{t(`flash.${flash.key}`, { subject: flash.subject ?? '' })}</span>
      <button type="button" className="text-emerald-800 hover:text-emerald-950" aria-label={t('flash.dismiss')} onClick={() => setDismissed(flash.id)}>
        ×
      </button>
    </div>
  )
}

export function AppShell({ user, locale, flash, children }: { user: ShellUser; locale: Locale; flash?: Flash | null; children: ReactNode }) {
  const { t } = useTranslation()
  const link = ({ isActive }: { isActive: boolean }) =>
    `whitespace-nowrap rounded-md px-2 py-2 text-sm font-medium 2xl:px-3 ${isActive ? 'bg-sky-50 text-sky-800' : 'text-slate-600 hover:bg-slate-100 hover:text-slate-900'}`
  const adminLinks = ADMIN_NAV.filter((item) => can(user.role, item.permission))
  return (
    <div className="min-h-screen">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:rounded focus:bg-white focus:p-2">
        {t('nav.skip')}
      </a>
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-4 gap-y-2 px-4 py-3 2xl:gap-x-6">
          <NavLink to="/" className="flex items-center gap-2 text-lg font-semibold text-slate-900">
            <span aria-hidden="true" className="inline-block h-6 w-6 rounded bg-sky-700 text-center text-sm leading-6 text-white">C</span>
            Clausewise
          </NavLink>
          <nav aria-label={t('nav.main')} className="order-last -mx-1 flex w-full items-center gap-0.5 overflow-x-auto pb-1 lg:order-none lg:mx-0 lg:w-auto lg:flex-1 lg:flex-wrap lg:overflow-visible lg:pb-0 2xl:gap-1">
            {NAV.filter((item) => can(user.role, item.permission)).map((item) => (
              <NavLink key={item.to} to={item.to} end={item.to === '/'} className={link}>
                {t(item.key)}
              </NavLink>
            ))}
            {adminLinks.length ? (
              <>
                {/* On a phone the menu is one scrolling row: the administration pages stay in it. */}
                <span className="contents lg:hidden">
                  <span className="mx-1 h-5 w-px shrink-0 bg-slate-200" aria-hidden="true" />
                  {adminLinks.map((item) => (
                    <NavLink key={item.to} to={item.to} className={link}>
                      {t(item.key)}
                    </NavLink>
                  ))}
                </span>
                <AdminMenu links={adminLinks} className={link} />
              </>
            ) : null}
          </nav>
          <div className="ml-auto flex items-center gap-3 lg:ml-0">
            <LanguageSwitch locale={locale} />
            <NavLink to="/account/sessions" className="hidden max-w-[9rem] text-right text-xs leading-tight text-slate-600 hover:text-sky-800 sm:block" data-testid="current-user" title={user.name}>
              {/* Long names end in an ellipsis (the full name is in the title), not cut mid-letter. */}
              <span className="block truncate font-medium text-slate-800">{user.name}</span>
              <span className="block truncate">{t(`roles.${user.role}`)}</span>
            </NavLink>
            <Form method="post" action="/logout">
              <button type="submit" className="rounded-md px-2 py-1 text-sm text-slate-600 hover:bg-slate-100">
                {t('nav.signOut')}
              </button>
            </Form>
          </div>
        </div>
      </header>
      <main id="main" className="mx-auto max-w-7xl px-4 py-8">
        {flash ? <FlashMessage flash={flash} /> : null}
        {children}
      </main>
    </div>
  )
}
