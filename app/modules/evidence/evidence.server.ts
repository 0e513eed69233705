// Evidence files live in the database (GridFS bucket "evidence"), beside the assessment they
// belong to, so a backup of the database is a backup of everything.
import { Readable } from 'node:stream'
import { fileTypeFromBuffer } from 'file-type'
import mongoose from 'mongoose'
import { storedFileName } from '~/modules/files/download-name'
import { downloadHeaders } from '~/modules/files/download.server'
import { EVIDENCE_MAX_BYTES, EVIDENCE_TYPES } from './policy'

export type SniffResult = { ok: true; contentType: string; extension: string } | { ok: false; reason: 'empty' | 'tooLarge' | 'type' }

/** Decides whether the bytes are an accepted kind of document, from the content alone. */
export async function sniffEvidence(bytes: Uint8Array): Promise<SniffResult> {
  if (bytes.byteLength === 0) return { ok: false, reason: 'empty' }
  if (bytes.byteLength > EVIDENCE_MAX_BYTES) return { ok: false, reason: 'tooLarge' }
  const detected = await fileTypeFromBuffer(bytes)
  const extension = detected ? EVIDENCE_TYPES[detected.mime] : undefined
  if (!detected || !extension) return { ok: false, reason: 'type' }
  return { ok: true, contentType: detected.mime, extension }
}

function bucket() {
  const db = mongoose.connection.db
  if (!db) throw new Error('database not connected')
  return new mongoose.mongo.GridFSBucket(db, { bucketName: 'evidence' })
}

export interface StoredEvidence {
  fileId: string
  filename: string
  contentType: string
  size: number
  uploadedAt: Date
  kind?: string
  issuedOn?: string
  expiresOn?: string
  /** The assessment that owns the stored file, when this one reuses it. */
  sharedFrom?: string
}

/** What a stored file belongs to: it is only ever served to a request for that owner. */
export type FileOwner = { assessmentId: string } | { incidentId: string } | { offboardingId: string }

/** Stores checked bytes in the evidence bucket, named after their sniffed type, tagged with the owner. */
export async function storeEvidence(input: {
  bytes: Uint8Array
  filename: string
  contentType: string
  extension: string
  metadata: FileOwner & { questionId?: string; uploadedBy?: string }
}): Promise<StoredEvidence> {
  const filename = storedFileName(input.filename, input.extension, 'evidence')
  const upload = bucket().openUploadStream(filename, { metadata: { ...input.metadata, contentType: input.contentType } })
  await new Promise<void>((resolve, reject) => {
    Readable.from([Buffer.from(input.bytes.buffer, input.bytes.byteOffset, input.bytes.byteLength)])
      .pipe(upload)
      .on('finish', () => resolve())
      .on('error', reject)
  })
  return { fileId: upload.id.toString(), filename, contentType: input.contentType, size: input.bytes.byteLength, uploadedAt: new Date() }
}

export async function deleteEvidence(fileId: string): Promise<void> {
  if (!mongoose.isValidObjectId(fileId)) return
  try {
    await bucket().delete(new mongoose.Types.ObjectId(fileId))
  } catch {
    // Already gone: nothing to delete.
  }
}

/** Lets another assessment of the same vendor read a stored file (a reused document): one update of the file's entry. */
export async function shareEvidence(fileId: string, owner: { assessmentId: string }, withAssessmentId: string): Promise<boolean> {
  if (!/^[a-f0-9]{24}$/.test(fileId)) return false
  const db = mongoose.connection.db
  if (!db) throw new Error('database not connected')
  const updated = await db.collection('evidence.files').updateOne(
    { _id: new mongoose.Types.ObjectId(fileId), 'metadata.assessmentId': owner.assessmentId },
    { $addToSet: { 'metadata.sharedWith': withAssessmentId } },
  )
  return updated.matchedCount === 1
}

/**
 * An assessment lets go of a file: its own file is deleted unless another assessment reuses it;
 * a reused file only stops being shared with it.
 */
export async function releaseEvidence(fileId: string, assessmentId: string): Promise<void> {
  if (!/^[a-f0-9]{24}$/.test(fileId)) return
  const db = mongoose.connection.db
  if (!db) throw new Error('database not connected')
  const id = new mongoose.Types.ObjectId(fileId)
  const files = db.collection<{ metadata?: { assessmentId?: string; sharedWith?: string[] } }>('evidence.files')
  const file = await files.findOne({ _id: id }, { projection: { metadata: 1 } })
  if (!file) return
  if (file.metadata?.assessmentId !== assessmentId) {
    await files.updateOne({ _id: id }, { $pull: { 'metadata.sharedWith': assessmentId } })
    return
  }
  // The entry goes only if nobody shares it at that moment (one conditional delete), then its chunks.
  const removed = await files.deleteOne({ _id: id, 'metadata.assessmentId': assessmentId, $or: [{ 'metadata.sharedWith': { $exists: false } }, { 'metadata.sharedWith': { $size: 0 } }] })
  if (removed.deletedCount === 1) await db.collection('evidence.chunks').deleteMany({ files_id: id })
}

/** The file's bytes as a web stream, only if it belongs to this owner (an assessment id, or an owner). */
export async function openEvidence(fileId: string, owner: string | FileOwner) {
  if (!/^[a-f0-9]{24}$/.test(fileId)) return null
  const id = new mongoose.Types.ObjectId(fileId)
  const [[key, value]] = Object.entries(typeof owner === 'string' ? { assessmentId: owner } : owner) as [[string, string]]
  // An assessment may also read a file of an earlier one that the vendor reused (metadata.sharedWith).
  const ownerFilter = key === 'assessmentId' ? { $or: [{ 'metadata.assessmentId': value }, { 'metadata.sharedWith': value }] } : { [`metadata.${key}`]: value }
  const [file] = await bucket().find({ _id: id, ...ownerFilter }).limit(1).toArray()
  if (!file) return null
  const stream = bucket().openDownloadStream(id)
  return {
    filename: file.filename,
    contentType: String(file.metadata?.contentType ?? 'application/octet-stream'),
    size: file.length,
    body: Readable.toWeb(stream) as ReadableStream<Uint8Array>,
  }
}

/** A download response: always an attachment, with the sniffed type and a UTF-8 file name. */
export function evidenceResponse(file: NonNullable<Awaited<ReturnType<typeof openEvidence>>>) {
  // Files stored before names carried their sniffed extension get it when served.
  const extension = EVIDENCE_TYPES[file.contentType] ?? 'bin'
  return new Response(file.body, {
    headers: downloadHeaders(storedFileName(file.filename, extension, 'evidence'), file.contentType, { 'Content-Length': String(file.size) }),
  })
}
