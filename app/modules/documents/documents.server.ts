// A vendor's documents: every evidence file of every one of its assessments, with what it is and
// until when it is valid. Read from the assessments themselves (the file's entry on the answer is
// the one record of it); a reused file is one stored file listed once, with every assessment using it.
import { Types } from 'mongoose'
import { listVendorDocumentSources } from '~/modules/assessments/assessment-store.server'
import { getEnv } from '~/env.server'
import { dayIn } from '~/modules/dates/dates'
import type { AssessmentStatus } from '~/modules/assessments/vocabulary'
import { DOCUMENT_KINDS, documentValidity, type DocumentKind, type Validity } from './documents'

type EvidenceEntry = {
  fileId: string
  filename: string
  contentType: string
  size: number
  uploadedAt: Date
  kind?: string | null
  issuedOn?: string | null
  expiresOn?: string | null
  sharedFrom?: string | null
}

export interface VendorDocument {
  fileId: string
  filename: string
  contentType: string
  size: number
  uploadedAt: string
  kind: DocumentKind
  issuedOn: string | null
  expiresOn: string | null
  /** The assessment whose stored file it is. */
  assessmentId: string
  assessmentStatus: AssessmentStatus
  /** Every assessment and question that uses it (the owner first). */
  usedBy: { assessmentId: string; questionId: string; status: AssessmentStatus; createdAt: string }[]
}

export const institutionToday = (now = new Date()) => dayIn(now, getEnv().INSTITUTION_TIMEZONE)

const kindOf = (value: unknown): DocumentKind => ((DOCUMENT_KINDS as readonly unknown[]).includes(value) ? (value as DocumentKind) : 'other')

function entriesOf(answers: unknown): [string, EvidenceEntry[]][] {
  if (!answers) return []
  const entries = answers instanceof Map ? [...answers.entries()] : Object.entries(answers as Record<string, unknown>)
  return entries.map(([questionId, answer]) => [questionId, ((answer as { evidence?: EvidenceEntry[] } | null)?.evidence ?? []) as EvidenceEntry[]])
}

/** Every document of the vendor, newest upload first. `except` leaves one assessment out. */
export async function listVendorDocuments(vendorId: string, options: { except?: string } = {}): Promise<VendorDocument[]> {
  if (!/^[a-f0-9]{24}$/.test(vendorId)) return []
  const assessments = await listVendorDocumentSources(new Types.ObjectId(vendorId))
  return documentsOfAssessments(assessments.filter((assessment) => String(assessment._id) !== options.except))
}

/** The documents of these assessments (oldest first), one per stored file. */
export function documentsOfAssessments(assessments: readonly { _id: unknown; answers?: unknown; status?: string | null; createdAt?: unknown }[]): VendorDocument[] {
  const byFile = new Map<string, VendorDocument>()
  for (const assessment of assessments) {
    const assessmentId = String(assessment._id)
    const status = assessment.status as AssessmentStatus
    const createdAt = new Date(assessment.createdAt as Date).toISOString()
    for (const [questionId, evidence] of entriesOf(assessment.answers)) {
      for (const file of evidence) {
        const use = { assessmentId, questionId, status, createdAt }
        const known = byFile.get(file.fileId)
        if (known) {
          // The owner's entry describes the document; a reuse only adds where it is used.
          if (!file.sharedFrom && known.assessmentId !== assessmentId) Object.assign(known, describe(file, assessmentId, status))
          known.usedBy.push(use)
          continue
        }
        byFile.set(file.fileId, { ...describe(file, file.sharedFrom ?? assessmentId, status), usedBy: [use] })
      }
    }
  }
  return [...byFile.values()].sort((a, b) => b.uploadedAt.localeCompare(a.uploadedAt) || a.fileId.localeCompare(b.fileId))
}

function describe(file: EvidenceEntry, assessmentId: string, status: AssessmentStatus) {
  return {
    fileId: file.fileId,
    filename: file.filename,
    contentType: file.contentType,
    size: file.size,
    uploadedAt: new Date(file.uploadedAt).toISOString(),
    kind: kindOf(file.kind),
    issuedOn: file.issuedOn ?? null,
    expiresOn: file.expiresOn ?? null,
    assessmentId,
    assessmentStatus: status,
  }
}

/** Statuses whose vendor can no longer change the files: only their documents are offered for reuse. */
const SETTLED: readonly AssessmentStatus[] = ['submitted', 'under_review', 'completed']

/** What the vendor's browser is told about a document it may reuse: nothing about other assessments. */
export interface ReusableDocument {
  fileId: string
  filename: string
  size: number
  kind: DocumentKind
  issuedOn: string | null
  expiresOn: string | null
}

/**
 * Documents of the vendor's earlier assessments that the vendor may attach again to this one:
 * the vendor's own, from assessments it can no longer change, not expired today, not attached here yet.
 */
export async function reusableDocuments(assessment: { _id: Types.ObjectId; vendorId: Types.ObjectId; answers?: unknown }, today = institutionToday()): Promise<VendorDocument[]> {
  const attached = new Set(entriesOf(assessment.answers).flatMap(([, evidence]) => evidence.map((file) => file.fileId)))
  const documents = await listVendorDocuments(String(assessment.vendorId), { except: String(assessment._id) })
  return documents
    .filter((document) => SETTLED.includes(document.assessmentStatus) && !attached.has(document.fileId))
    .filter((document) => documentValidity(document.expiresOn, today).state !== 'expired')
}

/** The few fields the vendor's browser gets for a reusable document. */
export function reusableForVendor(documents: VendorDocument[]): ReusableDocument[] {
  return documents.map(({ fileId, filename, size, kind, issuedOn, expiresOn }) => ({ fileId, filename, size, kind, issuedOn, expiresOn }))
}

export type DocumentRow = VendorDocument & { validity: Validity }

export function withValidity(documents: VendorDocument[], today: string, warningDays: number): DocumentRow[] {
  return documents.map((document) => ({ ...document, validity: documentValidity(document.expiresOn, today, warningDays) }))
}
