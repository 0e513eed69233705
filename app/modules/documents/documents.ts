// Vendor documents: what kind of document an evidence file is, when it was issued and until when
// it is valid. Pure: the vendor's upload form, the upload action, the scoring engine, the
// Documents tab and the expiry job all use these rules (docs/decisions/028-vendor-documents-with-validity.md).
import { optionalCalendarDay } from '../forms/fields'
import { z } from '../forms/validation'

export const DOCUMENT_KINDS = [
  'iso27001_certificate',
  'soc2_type2_report',
  'pci_dss_aoc',
  'pentest_report',
  'dpa',
  'mlps_report',
  'business_licence',
  'other',
] as const
export type DocumentKind = (typeof DOCUMENT_KINDS)[number]

/** Certificates and attestations of compliance are only worth something until they expire: the vendor must say when. */
export const EXPIRY_REQUIRED: ReadonlySet<DocumentKind> = new Set(['iso27001_certificate', 'pci_dss_aoc'])

/** Days before expiry on which procurement and the vendor's contacts are reminded, by default. */
export const DEFAULT_DOCUMENT_EXPIRY_WARNING_DAYS = 30

/** What an evidence file says about itself: stored with the file's entry on the answer. */
export interface DocumentFacts {
  kind?: DocumentKind | null
  issuedOn?: string | null // YYYY-MM-DD
  expiresOn?: string | null // YYYY-MM-DD: the last day it is valid
}

/**
 * The fields sent with an upload, beside the file. A form posted without a kind (an older page,
 * a script) records "other": the kind is a description, the dates are what the rules use.
 */
export const documentFieldsSchema = z
  .object({
    kind: z.preprocess((value) => (value === undefined || value === null || value === '' ? 'other' : value), z.enum(DOCUMENT_KINDS)),
    issuedOn: optionalCalendarDay(),
    expiresOn: optionalCalendarDay(),
  })
  .superRefine((value, context) => {
    if (EXPIRY_REQUIRED.has(value.kind) && !value.expiresOn) context.addIssue({ code: 'custom', path: ['expiresOn'], message: 'documents:errors.expiryRequired' })
    if (value.issuedOn && value.expiresOn && value.expiresOn < value.issuedOn) context.addIssue({ code: 'custom', path: ['expiresOn'], message: 'documents:errors.expiryBeforeIssue' })
  })
export type DocumentFields = z.output<typeof documentFieldsSchema>

export type Validity =
  | { state: 'no_expiry' }
  | { state: 'valid'; days: number } // more than the warning period left
  | { state: 'expiring'; days: number } // within the warning period (0 = the last valid day is today)
  | { state: 'expired'; days: number } // days since the last valid day

/** Whole days from one calendar day to another (both YYYY-MM-DD). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000)
}

/** A document is valid through its expiry day; the day after, it is expired. */
export function documentValidity(expiresOn: string | null | undefined, today: string, warningDays = DEFAULT_DOCUMENT_EXPIRY_WARNING_DAYS): Validity {
  if (!expiresOn) return { state: 'no_expiry' }
  const left = daysBetween(today, expiresOn)
  if (left < 0) return { state: 'expired', days: -left }
  return left <= warningDays ? { state: 'expiring', days: left } : { state: 'valid', days: left }
}

export function isExpired(document: { expiresOn?: string | null } | null | undefined, today: string | undefined): boolean {
  return Boolean(today && document?.expiresOn && document.expiresOn < today)
}

/** The day a document's expiry reminder is due: `warningDays` before its expiry day. */
export function reminderDayOf(expiresOn: string, warningDays: number): string {
  const day = new Date(Date.parse(`${expiresOn}T00:00:00Z`) - warningDays * 86_400_000)
  return day.toISOString().slice(0, 10)
}

/**
 * Which of a vendor's documents the expiry job looks at: a document of a kind (other than "other")
 * is superseded by a document of the same kind that is valid longer — an ISO certificate renewed in
 * this year's assessment ends the reminders about last year's.
 */
export function currentDocuments<D extends { fileId: string; kind: DocumentKind; expiresOn: string | null }>(documents: readonly D[]): D[] {
  const latest = new Map<DocumentKind, string>()
  for (const document of documents) {
    if (document.kind === 'other') continue
    const expiry = document.expiresOn ?? '9999-12-31' // no expiry outlasts every dated one
    if (expiry > (latest.get(document.kind) ?? '')) latest.set(document.kind, expiry)
  }
  return documents.filter((document) => document.kind === 'other' || (document.expiresOn ?? '9999-12-31') === latest.get(document.kind))
}

/** Reminder due today (or missed since its day, until the expiry): from the reminder day through the expiry day. */
export function reminderDue(expiresOn: string | null, today: string, warningDays: number): boolean {
  return Boolean(expiresOn && today >= reminderDayOf(expiresOn, warningDays) && today <= expiresOn)
}
