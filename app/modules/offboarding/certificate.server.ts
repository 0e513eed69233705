// Deletion certificates live beside the evidence (GridFS bucket "evidence"), checked like it by
// content, and tagged with their offboarding rather than an assessment.
import { deleteEvidence, openEvidence, storeEvidence } from '~/modules/evidence/evidence.server'

export async function storeCertificate(input: { bytes: Uint8Array; filename: string; contentType: string; extension: string; offboardingId: string }) {
  return storeEvidence({ bytes: input.bytes, filename: input.filename, contentType: input.contentType, extension: input.extension, metadata: { offboardingId: input.offboardingId } })
}

export const deleteCertificate = deleteEvidence

/** The certificate's bytes, only if it belongs to this offboarding. */
export const openCertificate = (fileId: string, offboardingId: string) => openEvidence(fileId, { offboardingId })
