import type { LoaderFunctionArgs } from '@remix-run/node'
import { getLocale } from '~/i18n/i18n.server'
import { requireUser } from '~/modules/auth/session.server'
import { parseFindingListQuery } from '~/modules/findings/schemas'
import { findingsWorkbook } from '~/modules/spreadsheets/staff-exports.server'
import { workbookResponse } from '~/modules/spreadsheets/write-workbook.server'

// GET /findings/export.xlsx?…: every finding the list's filters match, as the list shows them.
export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request, 'portal:read')
  const query = parseFindingListQuery(new URL(request.url).searchParams)
  const { workbook, filename, asciiName } = await findingsWorkbook(query, await getLocale(request))
  return workbookResponse(workbook, filename, asciiName)
}
