// Two-step sign-in for the signed-in user: enrol (scan, confirm with a code, see the recovery codes
// once) or turn it off with a fresh code. The one page open to a user whose role requires it
// before they have enrolled (requireUser's twoFactorEnrolment option).
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { redirect } from '@remix-run/node'
import { Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { Form, FormErrorBanner, SubmitButton, TextField, useValidatedForm } from '~/components/forms'
import { Card, PageHeader } from '~/components/ui'
import { twoFactorIntentSchema } from '~/modules/auth/schemas'
import { getSessionId, requireUser, safeRedirect } from '~/modules/auth/session.server'
import { confirmEnrolment, disableTwoFactor, enrolmentFor, startEnrolment } from '~/modules/auth/two-factor.server'
import { invalid, parseFormData } from '~/modules/forms/parse.server'
import { readFormData } from '~/modules/forms/read.server'

export const meta: MetaFunction = () => [{ title: 'Clausewise · Two-step sign-in / 两步验证登录' }]

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request, undefined, { twoFactorEnrolment: true })
  const enrolment = await enrolmentFor(user)
  const next = safeRedirect(new URL(request.url).searchParams.get('redirectTo'))
  const required = Boolean(user.mustEnrolTwoFactor)
  if (enrolment.state === 'enrolled') return { state: 'enrolled' as const, next, required, enabledAt: enrolment.enabledAt.toISOString(), recoveryCodesLeft: enrolment.recoveryCodesLeft }
  if (enrolment.state === 'not-started') return { state: 'not-started' as const, next, required }
  return { state: 'pending' as const, next, required, secret: enrolment.secret, qrDataUrl: enrolment.qrDataUrl }
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request, undefined, { twoFactorEnrolment: true })
  const formData = await readFormData(request)
  if (formData.get('intent') === 'start') {
    await startEnrolment(user)
    const url = new URL(request.url)
    return redirect(url.pathname + url.search)
  }
  const parsed = parseFormData(formData, twoFactorIntentSchema)
  if (!parsed.ok) return invalid(parsed.fieldErrors)
  if (parsed.value.intent === 'confirm') {
    const confirmed = await confirmEnrolment(user, parsed.value.code)
    if (!confirmed.ok) return invalid(confirmed.fieldErrors)
    return { ok: true as const, recoveryCodes: confirmed.recoveryCodes }
  }
  const disabled = await disableTwoFactor(user, parsed.value.code, await getSessionId(request))
  if (!disabled.ok) return invalid(disabled.fieldErrors, undefined, disabled.status)
  return redirect('/account/two-factor?disabled=1')
}

export default function TwoFactorPage() {
  const { t, i18n } = useTranslation('auth')
  const page = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const [search] = useSearchParams()
  const recoveryCodes = actionData && 'recoveryCodes' in actionData ? actionData.recoveryCodes : null
  const next = page.next
  return (
    <div className="max-w-2xl" data-testid="two-factor-page">
      <PageHeader title={t('twoFactor.enrolTitle')} />
      {page.required ? (
        <p role="status" className="mb-4 rounded-md border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-900" data-testid="two-factor-required">
          {t('twoFactor.enrolRequired')}
        </p>
      ) : null}
      {search.get('disabled') === '1' && page.state !== 'enrolled' ? (
        <p role="status" className="mb-4 text-sm text-emerald-800">
          {t('twoFactor.disabled')}
        </p>
      ) : null}
      {recoveryCodes ? (
        <Card title={t('twoFactor.recoveryTitle')}>
          <p className="mb-3 text-sm text-slate-600">{t('twoFactor.recoveryIntro')}</p>
          <ul className="grid grid-cols-2 gap-2 font-mono text-sm" data-testid="recovery-codes">
            {recoveryCodes.map((code) => (
              <li key={code} className="select-all rounded bg-slate-50 px-2 py-1 ring-1 ring-inset ring-slate-200">
                {code}
              </li>
            ))}
          </ul>
          <Link to={next} className="mt-4 inline-block rounded-md bg-sky-700 px-4 py-2 text-sm font-medium text-white hover:bg-sky-800" data-testid="two-factor-continue">
            {t('twoFactor.continue')}
          </Link>
        </Card>
      ) : page.state === 'enrolled' ? (
        <Card title={t('twoFactor.disableTitle')}>
          <p className="text-sm text-slate-700" data-testid="two-factor-enabled">
            {t('twoFactor.enabledSince', { date: new Date(page.enabledAt).toLocaleString(i18n.language) })} {t('twoFactor.recoveryLeft', { count: page.recoveryCodesLeft })}
          </p>
          <p className="mb-3 mt-2 text-sm text-slate-600">{t('twoFactor.disableIntro')}</p>
          <CodeForm intent="disable" submitLabel={t('twoFactor.disable')} />
        </Card>
      ) : page.state === 'not-started' ? (
        <Card>
          <p className="mb-3 text-sm text-slate-600">{t('twoFactor.startIntro')}</p>
          <Form method="post">
            <input type="hidden" name="intent" value="start" />
            <SubmitButton data-testid="two-factor-start">{t('twoFactor.start')}</SubmitButton>
          </Form>
        </Card>
      ) : (
        <Card>
          <p className="mb-3 text-sm text-slate-600">{t('twoFactor.enrolIntro')}</p>
          <img src={page.qrDataUrl} alt={t('twoFactor.qrAlt')} width={220} height={220} className="mb-3 rounded ring-1 ring-slate-200" data-testid="two-factor-qr" />
          <p className="text-xs text-slate-500">{t('twoFactor.manualKey')}</p>
          <code className="mb-4 block select-all break-all font-mono text-sm" data-testid="two-factor-secret">
            {page.secret}
          </code>
          <CodeForm intent="confirm" submitLabel={t('twoFactor.confirm')} />
        </Card>
      )}
    </div>
  )
}

function CodeForm({ intent, submitLabel }: { intent: 'confirm' | 'disable'; submitLabel: string }) {
  const { t } = useTranslation('auth')
  const { form, onSubmit, formError } = useValidatedForm(twoFactorIntentSchema, { defaultValues: { intent, code: '' } })
  return (
    <>
      <FormErrorBanner message={formError} />
      <Form method="post" noValidate onSubmit={onSubmit} className="flex flex-col gap-3">
        <input type="hidden" {...form.register('intent')} />
        <TextField form={form} name="code" autoComplete="one-time-code" label={t('twoFactor.code')} required />
        <div>
          <SubmitButton>{submitLabel}</SubmitButton>
        </div>
      </Form>
    </>
  )
}
