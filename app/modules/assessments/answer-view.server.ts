// What every view of a stored answer shows of it (the staff overview, the vendor's portal). No I/O; server-side because it reads the stored record type.
import type { AnswerRecord } from '~models/assessment'
import { isoOrNull } from '~/modules/dates/dates'

/** A stored answer's value, comment, revision and last change, as they reach the browser. */
export function answerFields(answer: AnswerRecord) {
  return {
    value: answer.value ?? null,
    comment: answer.comment ?? null,
    rev: answer.rev ?? 0,
    updatedAt: isoOrNull(answer.updatedAt),
    updatedBy: answer.updatedBy ?? null,
  }
}
