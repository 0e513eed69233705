// Assessment vocabulary. Pure: shared by models, routes, scoring and the scheduler. The states
// and the status sets come from the life cycle (lifecycle.ts), re-exported here for their readers.
export { ASSESSMENT_STATUSES, OPEN_STATUSES, VENDOR_EDITABLE, type AssessmentStatus } from './lifecycle'

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
