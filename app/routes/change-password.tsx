// Replacing one's password. Reached by every signed-in user; the only page open to someone signed
// in with a one-time password (requireUser sends them here).
import { readFormData } from '~/modules/forms/read.server'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { redirect } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { LanguageSwitch } from '~/components/app-shell'
import { Form, FormErrorBanner, SubmitButton, TextField, useValidatedForm } from '~/components/forms'
import { changePassword } from '~/modules/auth/password-change.server'
import { changePasswordSchema } from '~/modules/auth/schemas'
import { getSessionId, getSessionUser, safeRedirect } from '~/modules/auth/session.server'
import { formDataToObject } from '~/modules/forms/form-data'
import { invalid } from '~/modules/forms/parse.server'
import { useLocale } from '~/root'

export const meta: MetaFunction = () => [{ title: 'Clausewise · Change password / 修改密码' }]

async function signedIn(request: Request) {
  const user = await getSessionUser(request)
  if (!user) {
    const url = new URL(request.url)
    throw redirect(`/login?${new URLSearchParams({ redirectTo: url.pathname + url.search })}`)
  }
  return user
}

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await signedIn(request)
  return { forced: Boolean(user.mustChangePassword), email: user.email }
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await signedIn(request)
  const formData = await readFormData(request)
  const result = await changePassword(user, formDataToObject(formData), await getSessionId(request))
  if (!result.ok) return invalid(result.fieldErrors, result.formError, result.status)
  return redirect(safeRedirect(new URL(request.url).searchParams.get('redirectTo')))
}

export default function ChangePasswordPage() {
  const { t } = useTranslation('auth')
  const { forced, email } = useLoaderData<typeof loader>()
  const locale = useLocale()
  const { form, onSubmit, formError } = useValidatedForm(changePasswordSchema, { defaultValues: { currentPassword: '', newPassword: '', confirmPassword: '' } })
  return (
    <div className="flex min-h-screen flex-col items-center justify-center bg-slate-50 px-4" data-testid="change-password">
      <div className="absolute right-4 top-4">
        <LanguageSwitch locale={locale} />
      </div>
      <div className="w-full max-w-sm rounded-xl border border-slate-200 bg-white p-8 shadow-sm">
        <h1 className="text-xl font-semibold text-slate-900">{t('changePassword.title')}</h1>
        <p className="mt-1 text-sm text-slate-600">{forced ? t('changePassword.forced', { email }) : t('changePassword.intro')}</p>
        <div className="mt-4">
          <FormErrorBanner message={formError} />
        </div>
        <Form method="post" noValidate onSubmit={onSubmit} className="flex flex-col gap-4">
          <input type="text" name="username" autoComplete="username" value={email} readOnly hidden />
          <TextField form={form} name="currentPassword" type="password" autoComplete="current-password" label={t('changePassword.current')} required autoFocus />
          <TextField form={form} name="newPassword" type="password" autoComplete="new-password" label={t('changePassword.new')} hint={t('changePassword.newHint')} required />
          <TextField form={form} name="confirmPassword" type="password" autoComplete="new-password" label={t('changePassword.confirm')} required />
          <SubmitButton className="w-full">{t('changePassword.submit')}</SubmitButton>
        </Form>
        <form method="post" action="/logout" className="mt-4 text-center">
          <button type="submit" className="text-sm text-slate-600 underline">
            {t('changePassword.signOut')}
          </button>
        </form>
      </div>
    </div>
  )
}
