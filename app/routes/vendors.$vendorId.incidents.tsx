import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { readFormObject } from '~/modules/forms/read.server'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { ButtonLink, Card } from '~/components/ui'
import { getEnv } from '~/env.server'
import { getLocale } from '~/i18n/i18n.server'
import { can } from '~/modules/auth/roles'
import { requireUser } from '~/modules/auth/session.server'
import { invalid } from '~/modules/forms/parse.server'
import { fieldErrorsOf } from '~/modules/forms/validation'
import { notFound } from '~/modules/http'
import { listIncidents } from '~/modules/incidents/incidents.server'
import { issueIncidentLink, listIncidentLinks, revokeIncidentLink } from '~/modules/incidents/links.server'
import { linkIssueSchema, linkRevokeSchema } from '~/modules/incidents/schemas'
import { IncidentTable } from '~/modules/incidents/ui/incident-table'
import { formatDay } from '~/modules/vendors/labels'
import { useVendorLayoutData } from './vendors.$vendorId'
import { GeneralErrorBoundary } from '~/components/general-error-boundary'

// The vendor's incidents, and the contacts' standing incident-report links.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, 'portal:read')
  const vendorId = String(params.vendorId)
  const canReport = can(user.role, 'incident:report')
  return {
    vendorId,
    incidents: await listIncidents({ vendorId }, await getLocale(request)),
    links: canReport ? await listIncidentLinks(vendorId) : [],
    canReport,
    timeZone: getEnv().INSTITUTION_TIMEZONE,
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request, 'incident:report')
  const raw = await readFormObject(request)
  const vendorId = String(params.vendorId)
  if (raw.intent === 'issue-link') {
    const parsed = linkIssueSchema.safeParse(raw)
    if (!parsed.success) return invalid(fieldErrorsOf(parsed.error))
    const result = await issueIncidentLink(vendorId, parsed.data.contactId, user)
    if (!result.ok) throw notFound()
    return { ok: true as const, issued: { contactId: parsed.data.contactId, url: result.url! } }
  }
  const parsed = linkRevokeSchema.safeParse(raw)
  if (!parsed.success) return invalid(fieldErrorsOf(parsed.error))
  const result = await revokeIncidentLink(vendorId, parsed.data.linkId, user)
  if (!result.ok) throw notFound()
  return { ok: true as const, revoked: parsed.data.linkId }
}

export default function VendorIncidents() {
  const { t } = useTranslation('incidents')
  const data = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>() as { issued?: { contactId: string; url: string }; revoked?: string } | undefined
  const { vendor } = useVendorLayoutData()
  return (
    <div data-testid="vendor-incidents" className="flex flex-col gap-6">
      <div className="flex items-center justify-between gap-3">
        <h2 className="text-lg font-semibold text-slate-900">{t('vendorTab.title')}</h2>
        {data.canReport ? <ButtonLink to={`/incidents/new?vendorId=${data.vendorId}`}>{t('vendorTab.report')}</ButtonLink> : null}
      </div>
      <IncidentTable incidents={data.incidents} timeZone={data.timeZone} empty={t('vendorTab.empty')} />
      {data.canReport ? (
        <Card title={t('vendorTab.links')}>
          <p className="mb-3 text-sm text-slate-600">{t('vendorTab.linksIntro')}</p>
          {actionData?.revoked ? (
            <p role="status" className="mb-3 text-sm text-emerald-800">
              {t('vendorTab.revoked')}
            </p>
          ) : null}
          {vendor.contacts.length === 0 ? (
            <p className="text-sm text-slate-500">{t('vendorTab.noContacts')}</p>
          ) : (
            <ul className="divide-y divide-slate-100" data-testid="incident-links">
              {vendor.contacts.map((contact) => {
                const links = data.links.filter((link) => link.contactId === contact.id)
                const active = links.find((link) => link.state === 'active')
                const issued = actionData?.issued?.contactId === contact.id ? actionData.issued.url : null
                return (
                  <li key={contact.id} className="py-3 text-sm">
                    <div className="flex flex-wrap items-center justify-between gap-2">
                      <span>
                        <strong>{contact.name}</strong> <span className="text-slate-500">{contact.email}</span>
                      </span>
                      <span className="flex items-center gap-2">
                        {active ? (
                          <span className="text-xs text-slate-600">
                            {t('vendorTab.linkState.active', { date: formatDay(active.expiresAt, data.timeZone) })}
                            {active.lastUsedAt ? ` · ${t('vendorTab.lastUsed', { date: formatDay(active.lastUsedAt, data.timeZone) })}` : ''} · {t('vendorTab.reports', { count: active.reports })}
                          </span>
                        ) : null}
                        <Form method="post">
                          <input type="hidden" name="intent" value="issue-link" />
                          <input type="hidden" name="contactId" value={contact.id} />
                          <button type="submit" className="rounded-md border border-slate-300 px-2 py-1 text-xs font-medium text-slate-800 hover:bg-slate-50">
                            {active ? t('vendorTab.reissue') : t('vendorTab.issue')}
                          </button>
                        </Form>
                        {active ? (
                          <Form method="post">
                            <input type="hidden" name="intent" value="revoke-link" />
                            <input type="hidden" name="linkId" value={active.id} />
                            <button type="submit" className="rounded-md border border-red-300 px-2 py-1 text-xs font-medium text-red-800 hover:bg-red-50">
                              {t('vendorTab.revoke')}
                            </button>
                          </Form>
                        ) : null}
                      </span>
                    </div>
                    {issued ? (
                      <p className="mt-2 rounded-md bg-sky-50 p-2 text-xs text-sky-900">
                        {t('vendorTab.newLink', { name: contact.name })} <code className="break-all" data-testid="incident-link-url">{issued}</code>
                      </p>
                    ) : null}
                  </li>
                )
              })}
            </ul>
          )}
        </Card>
      ) : null}
    </div>
  )
}

// An error here keeps the parent page's header and tabs around it.
export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
