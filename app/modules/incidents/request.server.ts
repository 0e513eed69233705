// Reading an incident form: multipart (fields and attachments) or urlencoded, with the upload
// size capped before and while it is read.
import { listVendorsBy } from '~/modules/vendors/vendor-store.server'
import { formDataToObject } from '~/modules/forms/form-data'
import { readFormData } from '~/modules/forms/read.server'
import { localized, type Locale } from '~/i18n/locales'
import { EVIDENCE_MAX_BYTES } from '~/modules/evidence/policy'
import { postedFiles } from './attachments.server'
import { INCIDENT_MAX_ATTACHMENTS } from './vocabulary'

export type IncidentFormRead = { ok: true; raw: Record<string, unknown>; files: File[] } | { ok: false; status: 400 | 413; fieldErrors: Record<string, string[]> }

const tooLarge = { ok: false as const, status: 413 as const, fieldErrors: { attachments: ['incidents:errors.file.tooLarge|{"name":""}'] } }

export async function readIncidentForm(request: Request): Promise<IncidentFormRead> {
  const type = request.headers.get('content-type') ?? ''
  const multipart = type.startsWith('multipart/form-data')
  // The capped reader (forms/read.server.ts): a 400/413/415 Response for anything else than a
  // readable form of bounded size; file names with ";" or "=" arrive intact.
  const formData = await readFormData(request, multipart ? { maxBytes: (EVIDENCE_MAX_BYTES + 64 * 1024) * INCIDENT_MAX_ATTACHMENTS } : undefined).catch((error: unknown) => {
    if (error instanceof Response && error.status === 413) return 'tooLarge' as const
    throw error
  })
  if (formData === 'tooLarge') return tooLarge
  const files = multipart ? postedFiles(formData) : []
  if (files.some((file) => file.size > EVIDENCE_MAX_BYTES)) return tooLarge
  return { ok: true, raw: formDataToObject(formData), files }
}

/** Vendors to choose from on the staff form. */
export async function vendorOptions(locale: Locale) {
  const vendors = await listVendorsBy({ fields: 'name', order: 'englishName', limit: 2000 })
  return vendors.map((vendor) => ({ id: String(vendor._id), name: localized({ 'zh-CN': vendor.legalName?.['zh-CN'] ?? undefined, en: vendor.legalName?.en ?? undefined }, locale) }))
}
