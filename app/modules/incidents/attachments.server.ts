// Files attached to an incident: the same checks as questionnaire evidence (type sniffed from the
// content, size limit, clean file name) and the same GridFS bucket, tagged with the incident.
import { Readable } from 'node:stream'
import mongoose from 'mongoose'
import { sniffEvidence, evidenceResponse } from '~/modules/evidence/evidence.server'
import { storedFileName } from '~/modules/files/download-name'

export { evidenceResponse as attachmentResponse }

function bucket() {
  const db = mongoose.connection.db
  if (!db) throw new Error('database not connected')
  return new mongoose.mongo.GridFSBucket(db, { bucketName: 'evidence' })
}

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
  const filename = storedFileName(checked.name, checked.extension)
  const upload = bucket().openUploadStream(filename, { metadata: { incidentId, contentType: checked.contentType, uploadedBy } })
  await new Promise<void>((resolve, reject) => {
    Readable.from([Buffer.from(checked.bytes.buffer, checked.bytes.byteOffset, checked.bytes.byteLength)])
      .pipe(upload)
      .on('finish', () => resolve())
      .on('error', reject)
  })
  return { fileId: upload.id.toString(), filename, contentType: checked.contentType, size: checked.bytes.byteLength, uploadedAt: new Date(), uploadedBy }
}

export async function deleteAttachment(fileId: string) {
  if (!mongoose.isValidObjectId(fileId)) return
  await bucket()
    .delete(new mongoose.Types.ObjectId(fileId))
    .catch(() => undefined)
}

/** The file, only if it belongs to this incident. */
export async function openAttachment(fileId: string, incidentId: string) {
  if (!/^[a-f0-9]{24}$/.test(fileId)) return null
  const id = new mongoose.Types.ObjectId(fileId)
  const [file] = await bucket().find({ _id: id, 'metadata.incidentId': incidentId }).limit(1).toArray()
  if (!file) return null
  return {
    filename: file.filename,
    contentType: String(file.metadata?.contentType ?? 'application/octet-stream'),
    size: file.length,
    body: Readable.toWeb(bucket().openDownloadStream(id)) as ReadableStream<Uint8Array>,
  }
}
