import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { CheckboxGroupField, Form, FormErrorBanner, SelectField, SubmitButton, TextField, useValidatedForm } from '~/components/forms'
import { Badge, Card, PageHeader } from '~/components/ui'
import { API_SCOPES, TOKEN_LIFETIMES, apiTokenActionSchema, apiTokenCreateSchema } from '~/modules/api/scopes'
import { createApiToken, listApiTokens, revokeApiToken } from '~/modules/api/tokens.server'
import { requireUser } from '~/modules/auth/session.server'
import { readFormData } from '~/modules/forms/read.server'
import { invalid, parseFormData } from '~/modules/forms/parse.server'

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request, 'admin:api-tokens')
  return { tokens: await listApiTokens() }
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requireUser(request, 'admin:api-tokens')
  const parsed = parseFormData(await readFormData(request), apiTokenActionSchema)
  if (!parsed.ok) return invalid(parsed.fieldErrors)
  if (parsed.value.intent === 'revoke') {
    const revoked = await revokeApiToken(parsed.value.tokenId, actor)
    return revoked ? { ok: true as const, revoked: true } : invalid({}, 'errors:notFound', 404)
  }
  const { name, scopes, lifetimeDays } = parsed.value
  const created = await createApiToken({ name, scopes, lifetimeDays }, actor)
  // Shown once, in this response only: never stored in a session, a flash or the URL.
  return { ok: true as const, created: { name, token: created.token } }
}

const stateTone = { active: 'info', expired: 'warn', revoked: 'neutral' } as const

export default function ApiTokensPage() {
  const { t } = useTranslation('admin')
  const { tokens } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const created = actionData && 'created' in actionData ? actionData.created : null
  const { form, onSubmit, formError } = useValidatedForm(apiTokenCreateSchema, {
    defaultValues: { intent: 'create', name: '', scopes: [], lifetimeDays: 90 },
  })
  const when = (value: string | null) => (value ? new Date(value).toLocaleString() : '—')
  return (
    <div>
      <PageHeader
        title={t('apiTokens.title')}
        subtitle={
          <>
            {t('apiTokens.subtitle')}{' '}
            {/* A resource route outside the app's layout: a full page load, not a client navigation. */}
            <a href="/api/docs" className="text-sky-700 underline" data-testid="api-reference-link">{t('apiTokens.reference')}</a>
          </>
        }
      />
      {created ? (
        <div role="status" className="mb-4 rounded-md border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-900">
          <p>{t('apiTokens.createdOnce', { name: created.name })}</p>
          <code className="mt-1 block select-all break-all rounded bg-white px-2 py-1 font-mono" data-testid="new-api-token">
            {created.token}
          </code>
        </div>
      ) : null}
      <div className="grid gap-6 lg:grid-cols-3">
        <Card className="lg:col-span-2">
          {tokens.length === 0 ? (
            <p className="text-sm text-slate-500">{t('apiTokens.none')}</p>
          ) : (
            <table className="w-full text-left text-sm">
              <thead className="text-xs uppercase text-slate-500">
                <tr>
                  <th className="py-2">{t('apiTokens.name')}</th>
                  <th>{t('apiTokens.scopes')}</th>
                  <th>{t('apiTokens.created')}</th>
                  <th>{t('apiTokens.expires')}</th>
                  <th>{t('apiTokens.lastUsed')}</th>
                  <th>{t('apiTokens.state')}</th>
                  <th>
                    <span className="sr-only">{t('apiTokens.revoke')}</span>
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {tokens.map((token) => (
                  <tr key={token.id} data-testid={`api-token-${token.id}`}>
                    <td className="py-2 font-medium text-slate-800">{token.name}</td>
                    <td className="font-mono text-xs">{token.scopes.join(', ')}</td>
                    <td className="text-slate-500">
                      {token.createdBy}
                      <span className="block text-xs">{when(token.createdAt)}</span>
                    </td>
                    <td className="text-slate-500">{when(token.expiresAt)}</td>
                    <td className="text-slate-500">{when(token.lastUsedAt)}</td>
                    <td>
                      <Badge tone={stateTone[token.state]}>{t(`apiTokens.states.${token.state}`)}</Badge>
                      {token.revokedAt ? <span className="block text-xs text-slate-500">{when(token.revokedAt)}</span> : null}
                    </td>
                    <td className="text-right">
                      {token.state === 'active' ? (
                        <Form method="post" className="inline">
                          <input type="hidden" name="intent" value="revoke" />
                          <input type="hidden" name="tokenId" value={token.id} />
                          <button type="submit" className="text-xs text-red-700 underline" data-testid={`revoke-${token.id}`}>
                            {t('apiTokens.revoke')}
                          </button>
                        </Form>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Card>
        <Card title={t('apiTokens.add')}>
          <FormErrorBanner message={formError} />
          <Form method="post" noValidate onSubmit={onSubmit} className="flex flex-col gap-3">
            <input type="hidden" {...form.register('intent')} />
            <TextField form={form} name="name" label={t('apiTokens.name')} hint={t('apiTokens.nameHint')} required />
            <CheckboxGroupField form={form} name="scopes" label={t('apiTokens.scopes')} options={API_SCOPES.map((scope) => ({ value: scope, label: <span className="font-mono text-xs">{scope}</span> }))} />
            <SelectField form={form} name="lifetimeDays" label={t('apiTokens.lifetime')} options={TOKEN_LIFETIMES.map((days) => ({ value: String(days), label: t('apiTokens.days', { count: days }) }))} />
            <SubmitButton>{t('apiTokens.create')}</SubmitButton>
          </Form>
        </Card>
      </div>
    </div>
  )
}
