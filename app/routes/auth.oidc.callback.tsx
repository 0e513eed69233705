import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { LanguageSwitch } from '~/components/app-shell'
import { finishOidcSignIn, signInOptions, type CallbackRefusal } from '~/modules/auth/oidc.server'
import { createUserSession } from '~/modules/auth/session.server'
import { clientAddressOf } from '~/modules/auth/throttle.server'
import { useLocale } from '~/root'

export const meta: MetaFunction = () => [{ title: 'Clausewise · Single sign-on / 单点登录' }]

const STATUS: Record<CallbackRefusal, number> = { unmapped: 403, inactive: 403, 'email-taken': 409, 'no-email': 403, expired: 400, cancelled: 400, unverified: 400, unavailable: 503 }

export async function loader({ request, context }: LoaderFunctionArgs) {
  const params = new URL(request.url).searchParams
  const name = signInOptions().sso?.name ?? ''
  // Sent here by /auth/oidc/start when the provider cannot be reached.
  if (params.get('refused') === 'unavailable' && !params.has('code')) return data({ reason: 'unavailable' as CallbackRefusal, name }, { status: 503 })
  const result = await finishOidcSignIn(request, clientAddressOf(context))
  if (result.ok) {
    const response = await createUserSession(request, result.userId, result.redirectTo)
    response.headers.append('Set-Cookie', result.clearCookie)
    return response
  }
  return data({ reason: result.reason, name }, { status: STATUS[result.reason], headers: { 'Set-Cookie': result.clearCookie, 'Cache-Control': 'no-store' } })
}

/** Why single sign-on did not let the person in, in their language, with the way forward. */
export default function SsoRefusedPage() {
  const { reason, name } = useLoaderData<typeof loader>()
  const { t } = useTranslation('auth')
  const locale = useLocale()
  return (
    <div className="flex min-h-screen flex-col items-center justify-center bg-slate-50 px-4">
      <div className="absolute right-4 top-4">
        <LanguageSwitch locale={locale} />
      </div>
      <div className="w-full max-w-md rounded-xl border border-slate-200 bg-white p-8 shadow-sm" data-testid="sso-refused" data-reason={reason}>
        <h1 className="text-xl font-semibold text-slate-900">{t(`sso.refused.${reason}.title`)}</h1>
        <p className="mt-3 text-sm text-slate-700">{t(`sso.refused.${reason}.body`, { name })}</p>
        <div className="mt-6">
          <Link to="/login" className="rounded-md bg-sky-700 px-4 py-2 text-sm font-semibold text-white hover:bg-sky-800">
            {t('sso.backToSignIn')}
          </Link>
        </div>
      </div>
    </div>
  )
}
