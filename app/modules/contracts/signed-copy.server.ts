// Signed copies of contracts: PDFs of at most 10 MB, checked by their content (not their name or
// the browser's claim), kept in the GridFS bucket "contracts".
import { Readable } from 'node:stream'
import { fileTypeFromBuffer } from 'file-type'
import mongoose, { Types } from 'mongoose'
import { connectDb } from '~/db.server'
import { storedFileName } from '~/modules/files/download-name'
import { SIGNED_COPY_MAX_BYTES, SIGNED_COPY_MIME } from './vocabulary'

export interface CheckedPdf {
  bytes: Uint8Array
  filename: string
}

export type SignedCopyCheck = { ok: true; pdf: CheckedPdf | null } | { ok: false; error: string }

/** An empty file input means "no file"; anything else must be a PDF within the size limit. */
export async function checkSignedCopy(file: File | null | undefined): Promise<SignedCopyCheck> {
  if (!file || (file.size === 0 && !file.name)) return { ok: true, pdf: null }
  if (file.size === 0) return { ok: false, error: 'contracts:errors.emptyFile' }
  if (file.size > SIGNED_COPY_MAX_BYTES) return { ok: false, error: 'contracts:errors.fileTooLarge' }
  const bytes = new Uint8Array(await file.arrayBuffer())
  const type = await fileTypeFromBuffer(bytes)
  if (type?.mime !== SIGNED_COPY_MIME) return { ok: false, error: 'contracts:errors.notPdf' }
  return { ok: true, pdf: { bytes, filename: storedFileName(file.name, 'pdf', 'signed-copy') } }
}

async function bucket() {
  const connection = (await connectDb()).connection
  return new mongoose.mongo.GridFSBucket(connection.db!, { bucketName: 'contracts' })
}

export async function storeSignedCopy(pdf: CheckedPdf, metadata: { vendorId: string; uploadedBy: string }): Promise<Types.ObjectId> {
  const contracts = await bucket()
  const upload = contracts.openUploadStream(pdf.filename, { metadata: { ...metadata, contentType: SIGNED_COPY_MIME } })
  await new Promise<void>((resolve, reject) => {
    Readable.from([Buffer.from(pdf.bytes)]).pipe(upload).on('finish', () => resolve()).on('error', reject)
  })
  return upload.id as Types.ObjectId
}

/** Removes a stored file that no contract ended up referring to (the write after the upload failed). */
export async function discardSignedCopy(fileId: Types.ObjectId): Promise<void> {
  const contracts = await bucket()
  await contracts.delete(fileId).catch(() => undefined)
}

export async function readSignedCopy(fileId: string): Promise<Buffer | null> {
  if (!Types.ObjectId.isValid(fileId)) return null
  const contracts = await bucket()
  const chunks: Buffer[] = []
  try {
    for await (const chunk of contracts.openDownloadStream(new Types.ObjectId(fileId))) chunks.push(chunk as Buffer)
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return null
    throw error
  }
  return Buffer.concat(chunks)
}
