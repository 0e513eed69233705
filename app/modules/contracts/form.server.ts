// Reads a posted contract form: plain or multipart (with the signed copy), never more than the
// size limit per part, the file checked by its content.
import { formDataToObject } from '~/modules/forms/form-data'
import type { FieldErrors } from '~/modules/forms/validation'
import { checkSignedCopy, type CheckedPdf } from './signed-copy.server'
import { SIGNED_COPY_MAX_BYTES } from './vocabulary'
import { readFormData } from '~/modules/forms/read.server'

export type ContractForm =
  | { ok: true; fields: Record<string, unknown>; signedCopy: CheckedPdf | null }
  | { ok: false; fieldErrors: FieldErrors }

export async function readContractForm(request: Request): Promise<ContractForm> {
  let formData: FormData
  try {
    // The platform's multipart parser (quoted file names with ";" or "=" survive), capped in size.
    formData = await readFormData(request, { maxBytes: SIGNED_COPY_MAX_BYTES + 64 * 1024 })
  } catch (error) {
    if (error instanceof Response && error.status === 413) return { ok: false, fieldErrors: { signedCopy: ['contracts:errors.fileTooLarge'] } }
    throw error
  }
  const upload = formData.get('signedCopy')
  if (upload instanceof File && upload.size > SIGNED_COPY_MAX_BYTES) return { ok: false, fieldErrors: { signedCopy: ['contracts:errors.fileTooLarge'] } }
  const file = formData.get('signedCopy')
  const check = await checkSignedCopy(file instanceof File ? file : null)
  if (!check.ok) return { ok: false, fieldErrors: { signedCopy: [check.error] } }
  return { ok: true, fields: formDataToObject(formData), signedCopy: check.pdf }
}
