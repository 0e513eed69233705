// Deletion certificates live beside the evidence (GridFS bucket "evidence"), checked like it by
// content, and tagged with their offboarding rather than an assessment.
import { Readable } from 'node:stream'
import mongoose from 'mongoose'
import { storedFileName } from '~/modules/files/download-name'

function bucket() {
  const db = mongoose.connection.db
  if (!db) throw new Error('database not connected')
  return new mongoose.mongo.GridFSBucket(db, { bucketName: 'evidence' })
}

export async function storeCertificate(input: { bytes: Uint8Array; filename: string; contentType: string; extension: string; offboardingId: string }) {
  const filename = storedFileName(input.filename, input.extension)
  const upload = bucket().openUploadStream(filename, { metadata: { offboardingId: input.offboardingId, contentType: input.contentType } })
  await new Promise<void>((resolve, reject) => {
    Readable.from([Buffer.from(input.bytes.buffer, input.bytes.byteOffset, input.bytes.byteLength)])
      .pipe(upload)
      .on('finish', () => resolve())
      .on('error', reject)
  })
  return { fileId: upload.id.toString(), filename, contentType: input.contentType, size: input.bytes.byteLength, uploadedAt: new Date() }
}

export async function deleteCertificate(fileId: string) {
  if (!/^[a-f0-9]{24}$/.test(fileId)) return
  try {
    await bucket().delete(new mongoose.Types.ObjectId(fileId))
  } catch {
    // Already gone.
  }
}

/** The certificate's bytes, only if it belongs to this offboarding. */
export async function openCertificate(fileId: string, offboardingId: string) {
  if (!/^[a-f0-9]{24}$/.test(fileId)) return null
  const id = new mongoose.Types.ObjectId(fileId)
  const [file] = await bucket().find({ _id: id, 'metadata.offboardingId': offboardingId }).limit(1).toArray()
  if (!file) return null
  return {
    filename: file.filename,
    contentType: String(file.metadata?.contentType ?? 'application/octet-stream'),
    size: file.length,
    body: Readable.toWeb(bucket().openDownloadStream(id)) as ReadableStream<Uint8Array>,
  }
}
