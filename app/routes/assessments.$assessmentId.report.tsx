import type { LoaderFunctionArgs } from '@remix-run/node'
import { getLocale } from '~/i18n/i18n.server'
import { requireUser } from '~/modules/auth/session.server'
import { reportDownloadQuery } from '~/modules/reports/schemas'
import { contentDisposition, issueReportStream } from '~/modules/reports/issue.server'
import { notFound } from '~/modules/http'

// The assessment's PDF report, streamed (resource route). Compliance and admins only; vendors
// have no staff session, so a vendor link never reaches it.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, 'report:download')
  const url = new URL(request.url)
  const query = reportDownloadQuery.safeParse({ lang: url.searchParams.get('lang') ?? (await getLocale(request)) })
  if (!query.success) throw new Response('Unsupported report language', { status: 400, statusText: 'Bad Request' })
  const issued = await issueReportStream({ assessmentId: String(params.assessmentId), locale: query.data.lang, actor: { id: user.id, name: user.name } })
  if (issued.status === 'not_found') throw notFound()
  if (issued.status === 'not_reportable') throw new Response('The assessment has not been submitted yet', { status: 409, statusText: 'Conflict' })
  return new Response(issued.body, {
    headers: {
      'Content-Type': 'application/pdf',
      'Content-Disposition': contentDisposition(issued.filename),
      'Cache-Control': 'private, no-store',
      'X-Report-Fingerprint': issued.fingerprint,
      'X-Content-Type-Options': 'nosniff',
    },
  })
}
