import type { LoaderFunctionArgs } from '@remix-run/node'
import { isLocale } from '~/i18n/locales'
import { getLocale } from '~/i18n/i18n.server'
import { requireUser } from '~/modules/auth/session.server'
import { notFound } from '~/modules/http'
import { issueIncidentReport } from '~/modules/incidents/report.server'
import { contentDisposition } from '~/modules/reports/issue.server'

// The incident report PDF, in the language asked for (?lang=zh-CN|en) or the reader's.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, 'report:download')
  const lang = new URL(request.url).searchParams.get('lang')
  const locale = isLocale(lang) ? lang : await getLocale(request)
  const issued = await issueIncidentReport({ incidentId: params.incidentId ?? '', locale, actor: { id: user.id, name: user.name } })
  if (!issued.ok) throw notFound()
  return new Response(new Uint8Array(issued.pdf), {
    headers: {
      'Content-Type': 'application/pdf',
      'Content-Length': String(issued.pdf.byteLength),
      'Content-Disposition': contentDisposition(issued.filename),
      'Cache-Control': 'private, no-store',
      'X-Report-Fingerprint': issued.fingerprint,
    },
  })
}
