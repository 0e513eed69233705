// The second sign-in step: the password was right, the session is pending until a code from the
// authenticator app (or a recovery code) is; then a new, full session replaces it.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { useSearchParams } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { LanguageSwitch } from '~/components/app-shell'
import { Form, FormErrorBanner, SubmitButton, TextField, useValidatedForm } from '~/components/forms'
import { twoFactorCodeSchema } from '~/modules/auth/schemas'
import { createUserSession, getPendingTwoFactor, getSessionUser, safeRedirect } from '~/modules/auth/session.server'
import { clientAddressOf } from '~/modules/auth/throttle.server'
import { verifySecondFactor } from '~/modules/auth/two-factor.server'
import { recordAudit } from '~/modules/audit/audit.server'
import { invalid, parseForm } from '~/modules/forms/parse.server'
import { useLocale } from '~/root'

export const meta: MetaFunction = () => [{ title: 'Clausewise · Two-step sign-in / 两步验证登录' }]

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getSessionUser(request)) throw redirect('/')
  if (!(await getPendingTwoFactor(request))) throw redirect(`/login${new URL(request.url).search}`)
  return null
}

export async function action({ request, context }: ActionFunctionArgs) {
  const pending = await getPendingTwoFactor(request)
  if (!pending) return invalid({}, 'auth:twoFactor.expired', 401)
  const parsed = await parseForm(request, twoFactorCodeSchema)
  if (!parsed.ok) return invalid(parsed.fieldErrors)
  const result = await verifySecondFactor(pending.userId, parsed.value.code)
  await recordAudit({
    actor: { kind: 'user', id: pending.userId, label: pending.userId },
    action: result.ok ? 'user.sign-in.two-factor' : result.reason === 'throttled' ? 'user.sign-in.two-factor-throttled' : 'user.sign-in.two-factor-failed',
    subject: { kind: 'user', id: pending.userId },
    details: { client: clientAddressOf(context), ...(result.ok ? { method: result.method } : {}) },
  })
  if (!result.ok && result.reason === 'throttled') {
    return data(
      { ok: false as const, fieldErrors: {}, formError: `auth:twoFactor.throttled|${JSON.stringify({ seconds: result.retryAfterSeconds })}` },
      { status: 429, headers: { 'Retry-After': String(result.retryAfterSeconds) } },
    )
  }
  if (!result.ok) return invalid({ code: ['auth:twoFactor.wrongCode'] }, undefined, 401)
  return createUserSession(request, pending.userId, safeRedirect(parsed.value.redirectTo), { clientAddress: clientAddressOf(context), replaceSessionId: pending.sessionId })
}

export default function TwoFactorStepPage() {
  const { t } = useTranslation('auth')
  const [searchParams] = useSearchParams()
  const locale = useLocale()
  const { form, onSubmit, formError } = useValidatedForm(twoFactorCodeSchema, { defaultValues: { code: '', redirectTo: searchParams.get('redirectTo') ?? '/' } })
  return (
    <div className="flex min-h-screen flex-col items-center justify-center bg-slate-50 px-4" data-testid="two-factor-step">
      <div className="absolute right-4 top-4">
        <LanguageSwitch locale={locale} />
      </div>
      <div className="w-full max-w-sm rounded-xl border border-slate-200 bg-white p-8 shadow-sm">
        <h1 className="text-xl font-semibold text-slate-900">{t('twoFactor.stepTitle')}</h1>
        <p className="mt-1 text-sm text-slate-600">{t('twoFactor.stepIntro')}</p>
        <div className="mt-4">
          <FormErrorBanner message={formError} />
        </div>
        <Form method="post" noValidate onSubmit={onSubmit} className="flex flex-col gap-4">
          <input type="hidden" {...form.register('redirectTo')} />
          <TextField form={form} name="code" autoComplete="one-time-code" inputMode="text" label={t('twoFactor.code')} hint={t('twoFactor.codeHint')} required autoFocus />
          <SubmitButton className="w-full" data-testid="two-factor-submit">{t('twoFactor.verify')}</SubmitButton>
        </Form>
        <form method="post" action="/logout" className="mt-4 text-center">
          <button type="submit" className="text-sm text-slate-600 underline">
            {t('twoFactor.cancel')}
          </button>
        </form>
      </div>
    </div>
  )
}
