import type { LoaderFunctionArgs } from '@remix-run/node'
import { getLocale, translatorFor } from '~/i18n/i18n.server'
import { requireVendorAccess } from '~/modules/assessments/access.server'
import { offlineWorkbookFor } from '~/modules/assessments/offline-fill.server'
import { workbookResponse } from '~/modules/spreadsheets/write-workbook.server'

// GET /v/:token/offline.xlsx: the vendor's questionnaire with their current answers, to fill offline.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const access = await requireVendorAccess(params.token)
  const locale = await getLocale(request)
  const { workbook, filename, asciiName } = await offlineWorkbookFor({ kind: 'link', access }, locale, await translatorFor(locale, 'offline'))
  return workbookResponse(workbook, filename, asciiName)
}
