import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { readFormData } from '~/modules/forms/read.server'
import { useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { Form, FormErrorBanner, SelectField, SubmitButton, TextField, useValidatedForm } from '~/components/forms'
import { Badge, Card, PageHeader } from '~/components/ui'
import { LOCALES } from '~/i18n/locales'
import { ROLES } from '~/modules/auth/roles'
import { resetPassword } from '~/modules/auth/password-change.server'
import { newUserSchema, resetPasswordSchema, userIdIntentSchema } from '~/modules/auth/schemas'
import { endAllSessions } from '~/modules/auth/sessions.server'
import { resetTwoFactorByAdmin } from '~/modules/auth/two-factor.server'
import { redirectWithFlash, requireUser } from '~/modules/auth/session.server'
import { createUser, generatePassword, isEmailTaken, listUsers } from '~/modules/auth/users.server'
import { invalid, parseFormData } from '~/modules/forms/parse.server'

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request, 'admin:users')
  const users = await listUsers()
  return {
    users: users.map((user) => ({
      id: user._id.toString(),
      name: user.name,
      email: user.email,
      role: user.role,
      active: user.active,
      lastSignInAt: user.lastSignInAt?.toISOString() ?? null,
      mustChangePassword: Boolean(user.mustChangePassword),
      twoFactor: Boolean(user.twoFactor?.enabledAt),
    })),
  }
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requireUser(request, 'admin:users')
  const formData = await readFormData(request)
  if (formData.get('intent') === 'reset-password') {
    // A generated one-time password, shown to the admin once: the user must replace it at sign-in.
    const reset = parseFormData(formData, resetPasswordSchema)
    if (!reset.ok) return invalid(reset.fieldErrors)
    const result = await resetPassword(reset.value.userId, actor, generatePassword)
    if (!result.ok) return invalid({}, 'errors:notFound', 404)
    return { ok: true as const, reset: { email: result.email, password: result.password } }
  }
  const intent = formData.get('intent')
  if (intent === 'reset-two-factor' || intent === 'end-sessions') {
    const target = parseFormData(formData, userIdIntentSchema)
    if (!target.ok) return invalid(target.fieldErrors)
    if (target.value.intent === 'end-sessions') {
      const ended = await endAllSessions(target.value.userId, actor)
      return ended === null ? invalid({}, 'errors:notFound', 404) : { ok: true as const, sessionsEnded: ended }
    }
    const reset = await resetTwoFactorByAdmin(target.value.userId, actor)
    return reset.ok ? { ok: true as const, twoFactorReset: reset.email ?? '' } : invalid({}, 'errors:notFound', 404)
  }
  const parsed = parseFormData(formData, newUserSchema)
  if (!parsed.ok) return invalid(parsed.fieldErrors)
  if (await isEmailTaken(parsed.value.email)) return invalid({ email: ['admin:emailTaken'] })
  // The admin knows this password: it is one-time, like a reset.
  await createUser(parsed.value, actor, { temporaryPassword: true })
  return redirectWithFlash(request, '/admin/users', 'userCreated', parsed.value.email)
}

export default function UsersPage() {
  const { t } = useTranslation('admin')
  const { users } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const reset = actionData && 'reset' in actionData ? actionData.reset : null
  const done = actionData && 'twoFactorReset' in actionData ? t('users.twoFactorResetDone', { email: actionData.twoFactorReset }) : actionData && 'sessionsEnded' in actionData ? t('users.sessionsEnded', { count: actionData.sessionsEnded }) : null
  const { form, onSubmit, formError } = useValidatedForm(newUserSchema, {
    defaultValues: { name: '', email: '', role: 'viewer', locale: 'zh-CN', password: '' },
  })
  return (
    <div>
      <PageHeader title={t('users.title')} subtitle={t('users.subtitle')} />
      {reset ? (
        <p role="status" className="mb-4 rounded-md border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-900" data-testid="reset-password">
          {t('users.resetDone', { email: reset.email })} <code className="select-all rounded bg-white px-1 font-mono">{reset.password}</code>
        </p>
      ) : null}
      {done ? (
        <p role="status" className="mb-4 rounded-md border border-emerald-200 bg-emerald-50 px-4 py-3 text-sm text-emerald-800" data-testid="user-action-done">
          {done}
        </p>
      ) : null}
      <div className="grid gap-6 lg:grid-cols-3">
        <Card className="lg:col-span-2">
          <table className="w-full text-left text-sm">
            <thead className="text-xs uppercase text-slate-500">
              <tr>
                <th className="py-2">{t('users.name')}</th>
                <th>{t('users.email')}</th>
                <th>{t('users.role')}</th>
                <th>{t('users.lastSignIn')}</th>
                <th>{t('users.twoFactor')}</th>
                <th>
                  <span className="sr-only">{t('users.resetPassword')}</span>
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {users.map((user) => (
                <tr key={user.id}>
                  <td className="py-2 font-medium text-slate-800">{user.name}</td>
                  <td>{user.email}</td>
                  <td>
                    <Badge tone={user.role === 'admin' ? 'info' : 'neutral'}>{t(`common:roles.${user.role}`)}</Badge>
                  </td>
                  <td className="text-slate-500">{user.lastSignInAt ? new Date(user.lastSignInAt).toLocaleString() : '—'}</td>
                  <td data-testid={`two-factor-${user.email}`}>{user.twoFactor ? <Badge tone="info">{t('users.twoFactorOn')}</Badge> : <span className="text-slate-500">{t('users.twoFactorOff')}</span>}</td>
                  <td className="text-right">
                    {user.mustChangePassword ? <Badge tone="warn">{t('users.mustChange')}</Badge> : null}
                    <Form method="post" className="inline">
                      <input type="hidden" name="intent" value="reset-password" />
                      <input type="hidden" name="userId" value={user.id} />
                      <button type="submit" className="ml-2 text-xs text-sky-800 underline" data-testid={`reset-${user.email}`}>
                        {t('users.resetPassword')}
                      </button>
                    </Form>
                    {user.twoFactor ? (
                      <Form method="post" className="inline">
                        <input type="hidden" name="intent" value="reset-two-factor" />
                        <input type="hidden" name="userId" value={user.id} />
                        <button type="submit" className="ml-2 text-xs text-sky-800 underline" data-testid={`reset-two-factor-${user.email}`}>
                          {t('users.resetTwoFactor')}
                        </button>
                      </Form>
                    ) : null}
                    <Form method="post" className="inline">
                      <input type="hidden" name="intent" value="end-sessions" />
                      <input type="hidden" name="userId" value={user.id} />
                      <button type="submit" className="ml-2 text-xs text-sky-800 underline" data-testid={`end-sessions-${user.email}`}>
                        {t('users.endSessions')}
                      </button>
                    </Form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </Card>
        <Card title={t('users.add')}>
          <FormErrorBanner message={formError} />
          <Form method="post" noValidate onSubmit={onSubmit} className="flex flex-col gap-3">
            <TextField form={form} name="name" label={t('users.name')} required />
            <TextField form={form} name="email" type="email" label={t('users.email')} required />
            <SelectField form={form} name="role" label={t('users.role')} options={ROLES.map((role) => ({ value: role, label: t(`common:roles.${role}`) }))} />
            <SelectField form={form} name="locale" label={t('users.locale')} options={LOCALES.map((locale) => ({ value: locale, label: t(`common:language.${locale}`) }))} />
            <TextField form={form} name="password" type="password" autoComplete="new-password" label={t('users.password')} hint={t('users.passwordHint')} required />
            <SubmitButton>{t('users.create')}</SubmitButton>
          </Form>
        </Card>
      </div>
    </div>
  )
}
