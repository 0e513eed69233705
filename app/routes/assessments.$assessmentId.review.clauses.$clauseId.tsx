// One clause's body on the review page (its text, the answers that decided it, its override
// history), fetched when the reviewer opens the clause; the page itself sends only the summaries.
import type { LoaderFunctionArgs } from '@remix-run/node'
import { getLocale } from '~/i18n/i18n.server'
import { requireUser } from '~/modules/auth/session.server'
import { notFound } from '~/modules/http'
import { clauseDetailOf, getReviewView, type ClauseDetailResponse } from '~/modules/review/view.server'

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, 'portal:read')
  const locale = await getLocale(request)
  const view = await getReviewView(params.assessmentId ?? '', locale, user)
  if (!view) throw notFound()
  // A clause no longer in the score (the page is older than a rescoring) is an empty answer, not an
  // error: a fetcher's error would replace the whole review page.
  const clause = view.clauses.find((entry) => entry.id === params.clauseId)
  const body: ClauseDetailResponse = { clause: clause ? clauseDetailOf(clause) : null }
  // A Response, not a bare object: the same JSON for the page's fetcher and for a direct request.
  return Response.json(body)
}
