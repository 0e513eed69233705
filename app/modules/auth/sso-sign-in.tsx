import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'

export interface SignInOptions {
  sso: { name: string } | null
  passwordSignIn: 'on' | 'off' | 'admins-only'
}

/**
 * The sign-in page's single sign-on part: the "Sign in with …" button when configured, and the
 * password form (children) shown, hidden, or folded away as the administrators' break-glass way in.
 */
export function SsoSignIn({ options, redirectTo, children }: { options: SignInOptions; redirectTo: string; children: ReactNode }) {
  const { t } = useTranslation('auth')
  if (!options.sso) return <>{children}</>
  const button = (
    // A plain link and a full page load: the answer is a redirect to the identity provider's site.
    <a
      href={`/auth/oidc/start?${new URLSearchParams({ redirectTo })}`}
      data-testid="sso-sign-in"
      className="block w-full rounded-md bg-sky-700 px-4 py-2 text-center text-sm font-semibold text-white hover:bg-sky-800 focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-500"
    >
      {t('sso.button', { name: options.sso.name })}
    </a>
  )
  if (options.passwordSignIn === 'off') return button
  if (options.passwordSignIn === 'admins-only') {
    return (
      <div className="flex flex-col gap-4">
        {button}
        <details className="rounded-md border border-slate-200 px-3 py-2 text-sm text-slate-700">
          <summary className="cursor-pointer">{t('sso.breakGlass')}</summary>
          <div className="mt-3">{children}</div>
        </details>
      </div>
    )
  }
  return (
    <div className="flex flex-col gap-4">
      {button}
      <p className="text-center text-xs uppercase tracking-wide text-slate-500">{t('sso.or')}</p>
      {children}
    </div>
  )
}
