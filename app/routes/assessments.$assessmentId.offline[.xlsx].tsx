import type { LoaderFunctionArgs } from '@remix-run/node'
import { translatorFor } from '~/i18n/i18n.server'
import { requireUser } from '~/modules/auth/session.server'
import { offlineWorkbookFor, staffFiller } from '~/modules/assessments/offline-fill.server'
import { workbookResponse } from '~/modules/spreadsheets/write-workbook.server'
import { notFound } from '~/modules/http'

// GET /assessments/:id/offline.xlsx: the vendor's workbook, for staff filling in on the vendor's behalf (audited).
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, 'assessment:manage')
  const t = await translatorFor(user.locale, 'offline')
  const filler = await staffFiller(String(params.assessmentId), user, t)
  if (!filler) throw notFound()
  const { workbook, filename, asciiName } = await offlineWorkbookFor(filler, user.locale, t)
  return workbookResponse(workbook, filename, asciiName)
}
