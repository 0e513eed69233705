import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { Form, FormErrorBanner, SelectField, SubmitButton, TextField, useValidatedForm } from '~/components/forms'
import { Badge, Card, PageHeader } from '~/components/ui'
import { LOCALES } from '~/i18n/locales'
import { ROLES } from '~/modules/auth/roles'
import { newUserSchema } from '~/modules/auth/schemas'
import { requireUser } from '~/modules/auth/session.server'
import { createUser, isEmailTaken, listUsers } from '~/modules/auth/users.server'
import { invalid, parseForm } from '~/modules/forms/parse.server'
import { redirect } from '@remix-run/node'

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
    })),
  }
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requireUser(request, 'admin:users')
  const parsed = await parseForm(request, newUserSchema)
  if (!parsed.ok) return invalid(parsed.fieldErrors)
  if (await isEmailTaken(parsed.value.email)) return invalid({ email: ['admin:emailTaken'] })
  await createUser(parsed.value, actor)
  return redirect('/admin/users')
}

export default function UsersPage() {
  const { t } = useTranslation('admin')
  const { users } = useLoaderData<typeof loader>()
  const { form, onSubmit, formError } = useValidatedForm(newUserSchema, {
    defaultValues: { name: '', email: '', role: 'viewer', locale: 'zh-CN', password: '' },
  })
  return (
    <div>
      <PageHeader title={t('users.title')} subtitle={t('users.subtitle')} />
      <div className="grid gap-6 lg:grid-cols-3">
        <Card className="lg:col-span-2">
          <table className="w-full text-left text-sm">
            <thead className="text-xs uppercase text-slate-500">
              <tr>
                <th className="py-2">{t('users.name')}</th>
                <th>{t('users.email')}</th>
                <th>{t('users.role')}</th>
                <th>{t('users.lastSignIn')}</th>
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
