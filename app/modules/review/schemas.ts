// The review forms. Pure: one schema each, shared by the browser and the review action. Messages
// are i18n keys (see app/modules/forms/validation.ts).
import { CLAUSE_EFFECTS } from '~/modules/library/content-schema'
import { optionalText, z } from '~/modules/forms/validation'
import { ANSWER_DECISIONS } from './state'
import { calendarDay, requiredText } from '~/modules/forms/fields'

const itemId = z.string().trim().max(64).regex(/^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$/, 'errors:format')
/** A calendar day, YYYY-MM-DD. */
const day = calendarDay()
/** Justifications are kept, shown and printed in the report: a word or two is not one. */
export const JUSTIFICATION_MIN = 10

export const REVIEW_INTENTS = ['start', 'decide', 'accept-clause', 'override', 'withdraw-override', 'send-clarification', 'sign-off'] as const
export type ReviewIntent = (typeof REVIEW_INTENTS)[number]

export const startReviewSchema = z.object({ intent: z.literal('start') })

export const decideAnswerSchema = z
  .object({
    intent: z.literal('decide'),
    questionId: itemId,
    decision: z.enum(ANSWER_DECISIONS),
    answerRev: z.coerce.number().int().min(0),
    comment: optionalText(2000),
  })
  .superRefine((value, context) => {
    if (value.decision === 'clarification' && !value.comment) {
      context.addIssue({ code: 'custom', path: ['comment'], message: 'review:errors.clarificationComment' })
    }
  })

/** Accept a clause's computed result: every answer behind it is accepted as it stands. */
export const acceptClauseSchema = z.object({
  intent: z.literal('accept-clause'),
  clauseId: itemId,
})

export const overrideClauseSchema = z.object({
  intent: z.literal('override'),
  clauseId: itemId,
  status: z.enum(CLAUSE_EFFECTS),
  justification: requiredText(2000, { min: JUSTIFICATION_MIN, multiline: true }),
})

export const withdrawOverrideSchema = z.object({
  intent: z.literal('withdraw-override'),
  clauseId: itemId,
  justification: requiredText(2000, { min: JUSTIFICATION_MIN, multiline: true }),
})

export const sendClarificationSchema = z.object({
  intent: z.literal('send-clarification'),
  respondBy: day,
  message: optionalText(2000),
})

export const signOffSchema = z.object({
  intent: z.literal('sign-off'),
  version: z.coerce.number().int().min(0),
  name: requiredText(100),
  date: day,
  comment: requiredText(2000, { multiline: true }),
  /** The score the confirmation page summarised: a sign-off over a different result is refused. */
  scoreHash: z.string().trim().regex(/^[0-9a-f]{64}$/, 'errors:format'),
  /** The explicit confirmation on the summary page. */
  confirm: z.literal('on', 'review:errors.confirmSignOff'),
})

export type DecideAnswerInput = z.output<typeof decideAnswerSchema>
export type OverrideClauseInput = z.output<typeof overrideClauseSchema>
export type WithdrawOverrideInput = z.output<typeof withdrawOverrideSchema>
export type SendClarificationInput = z.output<typeof sendClarificationSchema>
export type SignOffInput = z.output<typeof signOffSchema>
