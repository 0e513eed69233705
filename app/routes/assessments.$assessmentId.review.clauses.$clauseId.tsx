// One clause's body on the review page (its text, the answers that decided it, its override
// history), fetched when the reviewer opens the clause; the page itself sends only the summaries.
import type { LoaderFunctionArgs } from '@remix-run/node'
import { getLocale } from '~/i18n/i18n.server'
import { requireUser } from '~/modules/auth/session.server'
import { notFound } from '~/modules/http'
import { getClauseDetail } from '~/modules/review/view.server'

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireUser(request, 'portal:read')
  const locale = await getLocale(request)
  // A clause no longer in the score (the page is older than a rescoring) is { clause: null }, not
  // an error: a fetcher's error would replace the whole review page.
  const detail = await getClauseDetail(params.assessmentId ?? '', params.clauseId ?? '', locale)
  if (!detail) throw notFound()
  // A Response, not a bare object: the same JSON for the page's fetcher and for a direct request.
  return Response.json(detail)
}
