// Reads a posted contract form: plain or multipart (with the signed copy), never more than the
// size limit per part, the file checked by its content.
import { MaxPartSizeExceededError, unstable_createMemoryUploadHandler, unstable_parseMultipartFormData } from '@remix-run/node'
import { formDataToObject } from '~/modules/forms/form-data'
import type { FieldErrors } from '~/modules/forms/validation'
import { checkSignedCopy, type CheckedPdf } from './signed-copy.server'
import { SIGNED_COPY_MAX_BYTES } from './vocabulary'

export type ContractForm =
  | { ok: true; fields: Record<string, unknown>; signedCopy: CheckedPdf | null }
  | { ok: false; fieldErrors: FieldErrors }

export async function readContractForm(request: Request): Promise<ContractForm> {
  let formData: FormData
  if ((request.headers.get('Content-Type') ?? '').startsWith('multipart/form-data')) {
    try {
      formData = await unstable_parseMultipartFormData(request, unstable_createMemoryUploadHandler({ maxPartSize: SIGNED_COPY_MAX_BYTES }))
    } catch (error) {
      if (error instanceof MaxPartSizeExceededError) return { ok: false, fieldErrors: { signedCopy: ['contracts:errors.fileTooLarge'] } }
      return { ok: false, fieldErrors: { _form: ['errors:invalid'] } }
    }
  } else {
    formData = await request.formData()
  }
  const file = formData.get('signedCopy')
  const check = await checkSignedCopy(file instanceof File ? file : null)
  if (!check.ok) return { ok: false, fieldErrors: { signedCopy: [check.error] } }
  return { ok: true, fields: formDataToObject(formData), signedCopy: check.pdf }
}
