import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { redirect } from '@remix-run/node'
import { Form, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { FormErrorBanner } from '~/components/forms'
import { Badge, Card, EmptyState, PageHeader, buttonClass } from '~/components/ui'
import { localized, type Locale } from '~/i18n/locales'
import { requireUser } from '~/modules/auth/session.server'
import { invalid, parseForm } from '~/modules/forms/parse.server'
import { confirmDeletionSchema } from '~/modules/offboarding/schemas'
import { deleteRetainedRecords, getRetentionSettings, listRetention } from '~/modules/offboarding/retention.server'
import { institutionTimeZone } from '~/modules/schedule/settings.server'
import { formatDay } from '~/modules/vendors/labels'

// Admin → Retention: the offboarded vendors, when their records fall due, and the confirmed deletion.
export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request, 'admin:settings')
  const [entries, settings] = await Promise.all([listRetention(), getRetentionSettings()])
  return { entries, retentionYears: settings.retentionYears, timeZone: institutionTimeZone() }
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request, 'admin:settings')
  const parsed = await parseForm(request, confirmDeletionSchema)
  if (!parsed.ok) return invalid(parsed.fieldErrors)
  const result = await deleteRetainedRecords(parsed.value.offboardingId, { id: user.id, name: user.name })
  if (!result.ok) return invalid({}, result.formError, result.status)
  return redirect(`/admin/retention?deleted=${result.assessments}.${result.answers}.${result.files}`)
}

export default function RetentionPage() {
  const { t, i18n } = useTranslation('offboarding')
  const locale = i18n.language as Locale
  const { entries, retentionYears, timeZone } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>() as { fieldErrors?: Record<string, string[]>; formError?: string } | undefined
  const [search] = useSearchParams()
  const [assessments, answers, files] = (search.get('deleted') ?? '').split('.')
  return (
    <div className="max-w-5xl">
      <PageHeader title={t('retention.title')} subtitle={t('retention.subtitle')} />
      {search.get('deleted') ? (
        <p role="status" className="mb-4 rounded-md border border-emerald-200 bg-emerald-50 px-4 py-3 text-sm text-emerald-800" data-testid="retention-deleted">
          {t('retention.done', { assessments, answers, files })}
        </p>
      ) : null}
      <FormErrorBanner message={actionData?.formError ?? actionData?.fieldErrors?.confirm?.[0]} />
      <Card>
        <p className="text-sm text-slate-800">{t('retention.policy', { count: retentionYears })}</p>
        <p className="mt-1 text-xs text-slate-500">{t('retention.reason')}</p>
        <p className="mt-1 text-xs text-slate-500">{t('retention.deletes')}</p>
      </Card>
      <div className="mt-6">
        {entries.length === 0 ? (
          <EmptyState>{t('retention.empty')}</EmptyState>
        ) : (
          <Card>
            <table className="min-w-full text-left text-sm" data-testid="retention-list">
              <thead className="border-b border-slate-200 text-xs uppercase tracking-wide text-slate-500">
                <tr>
                  <th className="py-2 pr-4">{t('retention.vendor')}</th>
                  <th className="py-2 pr-4">{t('retention.acceptedAt')}</th>
                  <th className="py-2 pr-4">{t('retention.dueAt')}</th>
                  <th className="py-2 pr-4">{t('retention.state')}</th>
                  <th className="py-2" />
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {entries.map((entry) => (
                  <tr key={entry.offboardingId} data-testid="retention-row" data-due={entry.due ? 'yes' : 'no'}>
                    <td className="py-2 pr-4">
                      <a href={`/vendors/${entry.vendorId}/offboarding`} className="text-sky-800 hover:underline">
                        {localized(entry.vendorName, locale)}
                      </a>
                    </td>
                    <td className="py-2 pr-4">{formatDay(entry.acceptedAt, timeZone)}</td>
                    <td className="py-2 pr-4">{formatDay(entry.dueAt, timeZone)}</td>
                    <td className="py-2 pr-4">
                      {entry.deletedAt ? <Badge>{t('retention.deleted', { date: formatDay(entry.deletedAt, timeZone) })}</Badge> : entry.due ? <Badge tone="bad">{t('retention.due')}</Badge> : <Badge tone="good">{t('retention.notDue')}</Badge>}
                    </td>
                    <td className="py-2">
                      {entry.due ? (
                        <Form method="post" className="flex items-center gap-3">
                          <input type="hidden" name="offboardingId" value={entry.offboardingId} />
                          <label className="flex items-center gap-1 text-xs text-slate-700">
                            <input type="checkbox" name="confirm" className="h-4 w-4 rounded border-slate-300" />
                            {t('retention.confirm')}
                          </label>
                          <button type="submit" className={buttonClass.danger}>
                            {t('retention.delete')}
                          </button>
                        </Form>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Card>
        )}
      </div>
    </div>
  )
}
