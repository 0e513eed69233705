// The zod schemas of the vendor questionnaire, built from the questionnaire definition. Pure: the
// browser validates with them as the vendor types, and the autosave and submit actions re-validate
// every value with the very same schema before anything reaches the database.
import type { AnswerValue } from './vocabulary'
import { findQuestion } from './questions'
import type { Question, Questionnaire } from '~/modules/library/content-schema'
import { checkbox, fieldErrorsOf, z, type FieldErrors } from '~/modules/forms/validation'
import { requiredText } from '~/modules/forms/fields'

export const LIMITS = { shortText: 500, longText: 10_000, comment: 4_000, multiChoice: 50 } as const

/** Ids in URLs and payloads: the same pattern as the questionnaire meta-schema. */
export const questionIdSchema = z.string().max(64).regex(/^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$/)

const blankToNull = (value: unknown) => (value === undefined || (typeof value === 'string' && value.trim() === '') ? null : value)

const schemaCache = new WeakMap<Question, z.ZodType<AnswerValue>>()

/** Schema of one answer's value for this question; null always means "not answered yet". */
export function answerValueSchema(question: Question): z.ZodType<AnswerValue> {
  let schema = schemaCache.get(question)
  if (!schema) {
    schema = buildValueSchema(question)
    schemaCache.set(question, schema)
  }
  return schema
}

function buildValueSchema(question: Question): z.ZodType<AnswerValue> {
  const optionIds = (question.options ?? []).map((option) => option.id)
  switch (question.kind) {
    case 'yes_no_na':
    case 'single_choice':
      return z.preprocess(blankToNull, optionIds.length ? z.enum(optionIds as [string, ...string[]]).nullable() : z.null())
    case 'multi_choice':
      return z.preprocess(
        (value) => (value === undefined || value === null || value === '' ? null : Array.isArray(value) && value.length === 0 ? null : value),
        z
          .array(z.enum(optionIds as [string, ...string[]]))
          .max(LIMITS.multiChoice)
          .refine((ids) => new Set(ids).size === ids.length, 'errors:invalid')
          .nullable(),
      )
    case 'short_text':
      return z.preprocess(blankToNull, z.string().max(LIMITS.shortText).nullable())
    case 'long_text':
      return z.preprocess(blankToNull, z.string().max(LIMITS.longText).nullable())
    case 'number': {
      let number = z.number()
      if (question.min !== undefined) number = number.min(question.min)
      if (question.max !== undefined) number = number.max(question.max)
      // A number typed into a form arrives as text; anything else that is not a number stays invalid.
      return z.preprocess((value) => {
        const blank = blankToNull(value)
        if (typeof blank !== 'string') return blank
        return /^\s*-?\d+(\.\d+)?\s*$/.test(blank) ? Number(blank) : blank
      }, number.refine(Number.isFinite, 'errors:invalid').nullable())
    }
    case 'date':
      return z.preprocess(blankToNull, z.iso.date('errors:date').nullable())
    case 'file':
      // The answer is the evidence itself; there is no value to type.
      return z.preprocess(blankToNull, z.null())
  }
}

export const commentSchema = z.preprocess(blankToNull, z.string().max(LIMITS.comment).nullable())

function answerSchema(question: Question) {
  return z.object({ value: answerValueSchema(question), comment: commentSchema })
}

/** The whole questionnaire as one form: { answers: { [questionId]: { value, comment } } }. */
export function questionnaireFormSchema(questionnaires: readonly Questionnaire[]) {
  const shape: Record<string, ReturnType<typeof answerSchema>> = {}
  for (const questionnaire of questionnaires) {
    for (const section of questionnaire.sections) for (const question of section.questions) shape[question.id] ??= answerSchema(question)
  }
  return z.object({ answers: z.object(shape) })
}

/** One autosave: which answer, which revision the browser edited, and the new value and comment. */
export const saveRequestSchema = z.strictObject({
  questionId: questionIdSchema,
  baseRev: z.number().int().min(0).max(1_000_000_000),
  value: z.unknown(),
  comment: z.unknown().optional(),
})

export type SaveInput = { questionId: string; baseRev: number; value: AnswerValue; comment: string | null }

/**
 * Validates an autosave payload against the assessment's questionnaires: shape first (only
 * primitives get through), then the question must exist and the value must fit its kind.
 */
export function parseSaveRequest(
  questionnaires: readonly Questionnaire[],
  payload: unknown,
): { ok: true; value: SaveInput; question: Question } | { ok: false; fieldErrors: FieldErrors } {
  const envelope = saveRequestSchema.safeParse(payload)
  if (!envelope.success) return { ok: false, fieldErrors: fieldErrorsOf(envelope.error) }
  const question = findQuestion(questionnaires, envelope.data.questionId)
  if (!question) return { ok: false, fieldErrors: { questionId: ['vendorPortal:errors.unknownQuestion'] } }
  const value = answerValueSchema(question).safeParse(envelope.data.value)
  const comment = commentSchema.safeParse(envelope.data.comment)
  if (!value.success || !comment.success) {
    const fieldErrors: FieldErrors = {}
    if (!value.success) fieldErrors.value = value.error.issues.map((issue) => issue.message)
    if (!comment.success) fieldErrors.comment = comment.error.issues.map((issue) => issue.message)
    return { ok: false, fieldErrors }
  }
  return {
    ok: true,
    question,
    value: { questionId: question.id, baseRev: envelope.data.baseRev, value: value.data, comment: comment.data as string | null },
  }
}

/** The attestation that goes with a submission; the key makes a double click submit once. */
export const attestationSchema = z.object({
  name: requiredText(100),
  title: requiredText(100),
  confirm: checkbox.refine((value) => value === true, 'vendorPortal:errors.confirmRequired'),
  submissionKey: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/),
})
export type Attestation = z.infer<typeof attestationSchema>

/** Removing one evidence file from an answer. */
export const removeEvidenceSchema = z.strictObject({
  intent: z.literal('remove'),
  questionId: questionIdSchema,
  fileId: z.string().regex(/^[a-f0-9]{24}$/),
})

/** Attaching again a document of an earlier assessment (the same stored file). */
export const reuseEvidenceSchema = z.strictObject({
  intent: z.literal('reuse'),
  questionId: questionIdSchema,
  fileId: z.string().regex(/^[a-f0-9]{24}$/),
})

/** "Nothing changed in this section": confirms the carried answers of one section. */
export const confirmSectionSchema = z.strictObject({
  questionnaireId: z.string().max(64).regex(/^[a-z][a-z0-9-]*$/),
  sectionId: z.string().max(64).regex(/^[a-z][a-z0-9-]*$/),
})
