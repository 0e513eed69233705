import type { TFunction } from 'i18next'
import { readFormData } from '~/modules/forms/read.server'
import { WORKBOOK_LIMITS } from '~/modules/spreadsheets/read-workbook.server'

export type WorkbookUpload = { ok: true; formData: FormData } | { ok: false; reason: string; status: 413 }

/**
 * Reads the form of a library workbook upload (clause import, standard-format import), bounded a
 * little above the workbook limit. A body over the bound comes back as the reason to show; any
 * other failure is rethrown.
 */
export async function readWorkbookUpload(request: Request, t: TFunction): Promise<WorkbookUpload> {
  try {
    return { ok: true, formData: await readFormData(request, { maxBytes: WORKBOOK_LIMITS.maxBytes + 64 * 1024 }) }
  } catch (error) {
    if (error instanceof Response && error.status === 413) return { ok: false, reason: t('spreadsheets:read.too-large', { limitMb: 20 }), status: 413 }
    throw error
  }
}
