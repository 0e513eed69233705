// Reading an incident form: multipart (fields and attachments) or urlencoded, with the upload
// size capped before and while it is read.
import { MaxPartSizeExceededError, unstable_createMemoryUploadHandler, unstable_parseMultipartFormData } from '@remix-run/node'
import { VendorModel } from '~models/vendor'
import { formDataToObject } from '~/modules/forms/form-data'
import { localized, type Locale } from '~/i18n/locales'
import { EVIDENCE_MAX_BYTES } from '~/modules/evidence/policy'
import { postedFiles } from './attachments.server'
import { INCIDENT_MAX_ATTACHMENTS } from './vocabulary'

export type IncidentFormRead = { ok: true; raw: Record<string, unknown>; files: File[] } | { ok: false; status: 400 | 413; fieldErrors: Record<string, string[]> }

const tooLarge = { ok: false as const, status: 413 as const, fieldErrors: { attachments: ['incidents:errors.file.tooLarge|{"name":""}'] } }

export async function readIncidentForm(request: Request): Promise<IncidentFormRead> {
  const type = request.headers.get('content-type') ?? ''
  if (!type.startsWith('multipart/form-data')) {
    const formData = await request.formData()
    return { ok: true, raw: formDataToObject(formData), files: [] }
  }
  if (Number(request.headers.get('content-length') ?? 0) > (EVIDENCE_MAX_BYTES + 64 * 1024) * INCIDENT_MAX_ATTACHMENTS) return tooLarge
  try {
    const formData = await unstable_parseMultipartFormData(request, unstable_createMemoryUploadHandler({ maxPartSize: EVIDENCE_MAX_BYTES + 1 }))
    return { ok: true, raw: formDataToObject(formData), files: postedFiles(formData) }
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) return tooLarge
    return { ok: false, status: 400, fieldErrors: { _form: ['errors:invalid'] } }
  }
}

/** Vendors to choose from on the staff form. */
export async function vendorOptions(locale: Locale) {
  const vendors = await VendorModel.find({}, { legalName: 1 }).sort({ 'legalName.en': 1 }).limit(2000).lean()
  return vendors.map((vendor) => ({ id: String(vendor._id), name: localized({ 'zh-CN': vendor.legalName?.['zh-CN'] ?? undefined, en: vendor.legalName?.en ?? undefined }, locale) }))
}
