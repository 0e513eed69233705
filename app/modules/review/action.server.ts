// The review page's action: one form per intent, each handled by one review write.
import { formDataToObject } from '~/modules/forms/form-data'
import { invalid } from '~/modules/forms/parse.server'
import type { SessionUser } from '~/modules/auth/session.server'
import { acceptClauseResult, decideAnswer, overrideClause, sendClarificationRequest, signOff, startReview, withdrawOverride, type ReviewWriteResult } from './review.server'
import { REVIEW_INTENTS, type ReviewIntent } from './schemas'
import { readFormData } from '~/modules/forms/read.server'

export async function reviewAction(request: Request, assessmentId: string, user: SessionUser) {
  const formData = await readFormData(request)
  const intent = formData.get('intent')
  if (typeof intent !== 'string' || !(REVIEW_INTENTS as readonly string[]).includes(intent)) return invalid({ intent: ['errors:choice'] })
  const raw = formDataToObject(formData)
  const handlers: Record<ReviewIntent, () => Promise<ReviewWriteResult | { ok: true }>> = {
    start: () => startReview(assessmentId, user),
    decide: () => decideAnswer(assessmentId, raw, user),
    'accept-clause': () => acceptClauseResult(assessmentId, raw, user),
    override: () => overrideClause(assessmentId, raw, user),
    'withdraw-override': () => withdrawOverride(assessmentId, raw, user),
    'send-clarification': () => sendClarificationRequest(assessmentId, raw, user),
    'sign-off': () => signOff(assessmentId, raw, user),
  }
  const result = await handlers[intent as ReviewIntent]()
  if (!result.ok) return invalid(result.fieldErrors, result.formError, result.status)
  return { ok: true as const, intent }
}
