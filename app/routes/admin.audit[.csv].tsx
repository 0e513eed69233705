import type { LoaderFunctionArgs } from '@remix-run/node'
import { getEnv } from '~/env.server'
import { getLocale, translatorFor } from '~/i18n/i18n.server'
import { recordAudit } from '~/modules/audit/audit.server'
import { auditCsvStream } from '~/modules/audit/csv.server'
import { parseAuditFilters } from '~/modules/audit/filters'
import { requireUser } from '~/modules/auth/session.server'
import { clientAddressOf } from '~/modules/auth/throttle.server'
import { downloadHeaders } from '~/modules/files/download.server'

// GET /admin/audit.csv?…: every event matching the page's filters (all pages), newest first.
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, 'audit:read')
  const parsed = parseAuditFilters(new URL(request.url).searchParams)
  if (!parsed.ok) throw new Response('Bad Request', { status: 400, statusText: 'Bad Request' })
  const locale = await getLocale(request)
  const t = await translatorFor(locale, 'admin')
  const { before: _ignored, ...filters } = parsed.filters
  // Reading the whole trail out is itself worth a line in it.
  await recordAudit({ actor: { kind: 'user', id: user.id, label: user.email }, action: 'report.audit-export', subject: { kind: 'audit', id: 'csv' }, details: { filters }, clientAddress: clientAddressOf(context) })
  const day = new Date().toISOString().slice(0, 10)
  const filename = locale === 'en' ? `audit-trail-${day}.csv` : `审计记录-${day}.csv`
  return new Response(auditCsvStream(filters, getEnv().INSTITUTION_TIMEZONE, t), { headers: downloadHeaders(filename, 'text/csv; charset=utf-8', {}, { asciiName: `audit-trail-${day}.csv` }) })
}
