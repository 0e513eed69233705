// Assessment life cycle. Pure: shared by models, routes, scoring and the scheduler.
export const ASSESSMENT_STATUSES = [
  'invited', // sent, nobody has answered yet
  'in_progress', // the vendor has saved at least one answer
  'submitted', // attested and submitted by the vendor; read-only for them
  'under_review', // compliance has started reviewing
  'clarification_requested', // some questions reopened to the vendor
  'completed', // signed off: immutable
  'cancelled',
] as const
export type AssessmentStatus = (typeof ASSESSMENT_STATUSES)[number]

/** Statuses in which the vendor may edit (all questions, or only the reopened ones). */
export const VENDOR_EDITABLE: readonly AssessmentStatus[] = ['invited', 'in_progress', 'clarification_requested']
/** Statuses that count as "open" (not yet signed off or cancelled). */
export const OPEN_STATUSES: readonly AssessmentStatus[] = ['invited', 'in_progress', 'submitted', 'under_review', 'clarification_requested']

/** An answer's value: option id (yes_no_na, single_choice), option ids (multi_choice), text, number or ISO date. */
export type AnswerValue = string | string[] | number | null

export interface EvidenceFile {
  fileId: string // GridFS id in the "evidence" bucket
  filename: string
  contentType: string // sniffed from the content, not the extension
  size: number
  uploadedAt: string | Date
}

export interface Answer {
  value: AnswerValue
  comment?: string
  evidence: EvidenceFile[]
  rev: number // per-answer version: a save must name the rev it edited
  updatedAt: string | Date
  updatedBy?: string
}
