// Files attached to an incident: the same checks as questionnaire evidence (type sniffed from the
// content, size limit, clean file name) and the same GridFS bucket, tagged with the incident.
import { deleteEvidence, evidenceResponse, openEvidence, sniffEvidence, storeEvidence } from '~/modules/evidence/evidence.server'

export { evidenceResponse as attachmentResponse }

export interface StoredAttachment {
  fileId: string
  filename: string
  contentType: string
  size: number
  uploadedAt: Date
  uploadedBy: string
}

export type AttachmentCheck = { ok: true; bytes: Uint8Array; name: string; contentType: string; extension: string } | { ok: false; reason: 'empty' | 'tooLarge' | 'type' }

/** The posted files that are not empty placeholders (a form without a chosen file posts one). */
export function postedFiles(formData: FormData, name = 'attachments'): File[] {
  return formData.getAll(name).filter((value): value is File => typeof value === 'object' && value !== null && 'arrayBuffer' in value && (value as File).size > 0)
}

export async function checkAttachment(file: File): Promise<AttachmentCheck> {
  const bytes = new Uint8Array(await file.arrayBuffer())
  const sniffed = await sniffEvidence(bytes)
  if (!sniffed.ok) return sniffed
  return { ok: true, bytes, name: file.name, contentType: sniffed.contentType, extension: sniffed.extension }
}

export async function storeAttachment(checked: Extract<AttachmentCheck, { ok: true }>, incidentId: string, uploadedBy: string): Promise<StoredAttachment> {
  const stored = await storeEvidence({ bytes: checked.bytes, filename: checked.name, contentType: checked.contentType, extension: checked.extension, metadata: { incidentId, uploadedBy } })
  return { ...stored, uploadedBy }
}

export const deleteAttachment = deleteEvidence

/** The file, only if it belongs to this incident. */
export const openAttachment = (fileId: string, incidentId: string) => openEvidence(fileId, { incidentId })
