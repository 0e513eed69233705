import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { getLocale } from '~/i18n/i18n.server'
import { requireUser } from '~/modules/auth/session.server'
import { notFound } from '~/modules/http'
import { reviewAction } from '~/modules/review/action.server'
import { getReviewView, reviewPageOf } from '~/modules/review/view.server'
import { AnswerList } from '~/modules/review/ui/answer-list'
import { ClauseList } from '~/modules/review/ui/clause-list'
import { ReviewFindings } from '~/modules/review/ui/review-findings'
import { ClarificationPanel, ReviewStatusBanner, SignOffPanel } from '~/modules/review/ui/review-actions'
import { ScorePanel } from '~/modules/review/ui/score-panel'
import { GeneralErrorBoundary } from '~/components/general-error-boundary'

export const meta: MetaFunction = () => [{ title: 'Review · Clausewise' }]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, 'portal:read')
  const locale = await getLocale(request)
  const view = await getReviewView(params.assessmentId ?? '', locale, user)
  if (!view) throw notFound()
  // ?open=clause-<id>: the page with that clause open, for a browser without JavaScript.
  const open = new URL(request.url).searchParams.get('open')
  return reviewPageOf(view, open?.startsWith('clause-') ? open.slice('clause-'.length) : null)
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request, 'assessment:review')
  return reviewAction(request, params.assessmentId ?? '', user)
}

export default function AssessmentReview() {
  const { t } = useTranslation('review')
  const view = useLoaderData<typeof loader>()
  return (
    <div className="flex flex-col gap-6" data-testid="review" data-status={view.assessment.status}>
      <h2 className="sr-only">{t('title')}</h2>
      <ReviewStatusBanner view={view} />
      <div className="grid gap-6 lg:grid-cols-3">
        <div className="lg:col-span-2">
          <ScorePanel view={view} />
        </div>
        <div className="flex flex-col gap-6">
          <ClarificationPanel view={view} />
          <SignOffPanel view={view} />
        </div>
      </div>
      <ClauseList view={view} />
      <AnswerList view={view} />
      <ReviewFindings view={view} />
    </div>
  )
}

// An error here keeps the parent page's header and tabs around it.
export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
