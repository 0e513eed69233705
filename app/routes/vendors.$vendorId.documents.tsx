import type { LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { Badge, EmptyState } from '~/components/ui'
import { getEnv } from '~/env.server'
import type { Locale } from '~/i18n/locales'
import { formatCalendarDay, formatDay } from '~/modules/dates/dates'
import { requireUser } from '~/modules/auth/session.server'
import type { Validity } from '~/modules/documents/documents'
import { institutionToday, listVendorDocuments, withValidity } from '~/modules/documents/documents.server'
import { notFound } from '~/modules/http'
import { getSettings } from '~/modules/schedule/settings.server'
import { getVendor } from '~/modules/vendors/vendors.server'
import { GeneralErrorBoundary } from '~/components/general-error-boundary'

// The vendor's documents: every evidence file of every assessment, with its validity today.
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireUser(request, 'portal:read')
  const vendor = await getVendor(String(params.vendorId ?? ''))
  if (!vendor) throw notFound()
  const { documentExpiryWarningDays } = await getSettings()
  const documents = withValidity(await listVendorDocuments(vendor.id), institutionToday(), documentExpiryWarningDays)
  return { documents, timeZone: getEnv().INSTITUTION_TIMEZONE }
}

const TONE: Record<Validity['state'], 'good' | 'warn' | 'bad' | 'neutral'> = { valid: 'good', expiring: 'warn', expired: 'bad', no_expiry: 'neutral' }

export default function VendorDocuments() {
  const { t, i18n } = useTranslation('documents')
  const { documents, timeZone } = useLoaderData<typeof loader>()
  const locale = i18n.language as Locale
  const day = (value: string | null) => (value ? formatCalendarDay(value, locale) : '—')
  const count = (state: Validity['state']) => documents.filter((document) => document.validity.state === state).length
  const validityText = (validity: Validity) =>
    validity.state === 'expiring' ? t('validity.expiring', { count: validity.days }) : t(`validity.${validity.state}`)
  return (
    <div data-testid="vendor-documents" className="flex flex-col gap-4">
      <div>
        <h2 className="text-lg font-semibold text-slate-900">{t('tab.title')}</h2>
        <p className="mt-1 max-w-3xl text-sm text-slate-600">{t('tab.intro')}</p>
        {documents.length ? (
          <p className="mt-2 text-sm text-slate-700" data-testid="document-counts">
            {t('tab.counts', { valid: count('valid') + count('no_expiry'), expiring: count('expiring'), expired: count('expired') })}
          </p>
        ) : null}
      </div>
      {documents.length === 0 ? (
        <EmptyState>{t('tab.empty')}</EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="min-w-full divide-y divide-slate-200 text-sm">
            <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
              <tr>
                <th className="px-4 py-2">{t('tab.document')}</th>
                <th className="px-4 py-2">{t('tab.kind')}</th>
                <th className="px-4 py-2">{t('tab.issuedOn')}</th>
                <th className="px-4 py-2">{t('tab.expiresOn')}</th>
                <th className="px-4 py-2">{t('tab.validity')}</th>
                <th className="px-4 py-2">{t('tab.usedIn')}</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {documents.map((document) => (
                <tr key={document.fileId} data-testid="document-row" data-validity={document.validity.state}>
                  <td className="max-w-xs px-4 py-2">
                    <a href={`/assessments/${document.assessmentId}/evidence/${document.fileId}`} className="break-words text-sky-800 underline" download title={t('tab.download')}>
                      {document.filename}
                    </a>
                  </td>
                  <td className="px-4 py-2 text-slate-700">{t(`kind.${document.kind}`)}</td>
                  <td className="whitespace-nowrap px-4 py-2 text-slate-700">{day(document.issuedOn)}</td>
                  <td className="whitespace-nowrap px-4 py-2 text-slate-700">{day(document.expiresOn)}</td>
                  <td className="whitespace-nowrap px-4 py-2">
                    <Badge tone={TONE[document.validity.state]}>{validityText(document.validity)}</Badge>
                  </td>
                  <td className="px-4 py-2">
                    <ul className="space-y-0.5">
                      {document.usedBy.map((use) => (
                        <li key={`${use.assessmentId}:${use.questionId}`}>
                          <Link to={`/assessments/${use.assessmentId}`} className="text-sky-800 hover:underline">
                            {t('tab.assessment', { date: formatDay(use.createdAt, locale, timeZone) })}
                          </Link>{' '}
                          <span className="font-mono text-xs text-slate-500">{use.questionId}</span>
                        </li>
                      ))}
                    </ul>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  )
}

// An error here keeps the parent page's header and tabs around it.
export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
