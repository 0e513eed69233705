import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { useLoaderData, useSearchParams } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { LanguageSwitch } from '~/components/app-shell'
import { Form, FormErrorBanner, SubmitButton, TextField, useValidatedForm } from '~/components/forms'
import { signInSchema } from '~/modules/auth/schemas'
import { createUserSession, getPendingTwoFactor, getSessionUser, safeRedirect } from '~/modules/auth/session.server'
import { clientAddressOf } from '~/modules/auth/throttle.server'
import { signInOptions } from '~/modules/auth/oidc.server'
import { auditPasswordSignIn, passwordSignInAllowedFor, passwordSignInClosed } from '~/modules/auth/password-sign-in.server'
import { SsoSignIn } from '~/modules/auth/sso-sign-in'
import { hasTwoFactor } from '~/modules/auth/two-factor.server'
import { verifySignIn } from '~/modules/auth/users.server'
import { invalid, parseForm } from '~/modules/forms/parse.server'
import { useLocale } from '~/root'

export const meta: MetaFunction = () => [{ title: 'Clausewise · Sign in / 登录' }]

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getSessionUser(request)) throw redirect('/')
  if (await getPendingTwoFactor(request)) throw redirect(`/login/two-factor${new URL(request.url).search}`)
  return signInOptions()
}

export async function action({ request, context }: ActionFunctionArgs) {
  const parsed = await parseForm(request, signInSchema)
  if (!parsed.ok) return invalid(parsed.fieldErrors)
  const clientAddress = clientAddressOf(context)
  if (passwordSignInClosed()) {
    await auditPasswordSignIn(parsed.value.email, { ok: false, reason: 'password-sign-in-off' }, clientAddress)
    return invalid({}, 'auth:sso.passwordOff', 403)
  }
  const result = await verifySignIn(parsed.value.email, parsed.value.password, clientAddress)
  if (result.ok && !(await passwordSignInAllowedFor(result.userId))) {
    await auditPasswordSignIn(parsed.value.email, { ok: false, reason: 'admins-only', userId: result.userId }, clientAddress)
    return invalid({}, 'auth:sso.passwordAdminsOnly', 403)
  }
  await auditPasswordSignIn(parsed.value.email, result, clientAddress)
  if (!result.ok && result.reason === 'throttled') {
    return data(
      { ok: false as const, fieldErrors: {}, formError: `errors:signInThrottled|${JSON.stringify({ seconds: result.retryAfterSeconds })}` },
      { status: 429, headers: { 'Retry-After': String(result.retryAfterSeconds) } },
    )
  }
  if (!result.ok) return invalid({}, 'auth:invalidCredentials', 401)
  const redirectTo = safeRedirect(parsed.value.redirectTo)
  // An enrolled user's password opens only the code step (login_.two-factor.tsx), never a full session.
  if (await hasTwoFactor(result.userId)) {
    return createUserSession(request, result.userId, `/login/two-factor?${new URLSearchParams({ redirectTo })}`, { clientAddress: clientAddressOf(context), pendingTwoFactor: true })
  }
  return createUserSession(request, result.userId, redirectTo, { clientAddress: clientAddressOf(context) })
}

export default function LoginPage() {
  const { t } = useTranslation('auth')
  const [searchParams] = useSearchParams()
  const locale = useLocale()
  const options = useLoaderData<typeof loader>()
  const { form, onSubmit, formError } = useValidatedForm(signInSchema, {
    defaultValues: { email: '', password: '', redirectTo: searchParams.get('redirectTo') ?? '/' },
  })
  return (
    <div className="flex min-h-screen flex-col items-center justify-center bg-slate-50 px-4">
      <div className="absolute right-4 top-4">
        <LanguageSwitch locale={locale} />
      </div>
      <div className="w-full max-w-sm rounded-xl border border-slate-200 bg-white p-8 shadow-sm">
        <div className="mb-6 text-center">
          <span aria-hidden="true" className="mx-auto mb-3 block h-10 w-10 rounded-lg bg-sky-700 text-center text-xl font-bold leading-10 text-white">C</span>
          <h1 className="text-xl font-semibold text-slate-900">{t('title')}</h1>
          <p className="mt-1 text-sm text-slate-600">{t('subtitle')}</p>
        </div>
        <FormErrorBanner message={formError} />
        <SsoSignIn options={options} redirectTo={searchParams.get('redirectTo') ?? '/'}>
          <Form method="post" noValidate onSubmit={onSubmit} className="flex flex-col gap-4">
            <input type="hidden" {...form.register('redirectTo')} />
            <TextField form={form} name="email" type="email" autoComplete="username" label={t('email')} required autoFocus={!options.sso} />
            <TextField form={form} name="password" type="password" autoComplete="current-password" label={t('password')} required />
            <SubmitButton className="w-full">{t('submit')}</SubmitButton>
          </Form>
        </SsoSignIn>
      </div>
    </div>
  )
}
