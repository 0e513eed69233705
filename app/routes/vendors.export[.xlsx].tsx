import type { LoaderFunctionArgs } from '@remix-run/node'
import { getLocale } from '~/i18n/i18n.server'
import { requireUser } from '~/modules/auth/session.server'
import { vendorsWorkbook } from '~/modules/spreadsheets/staff-exports.server'
import { workbookResponse } from '~/modules/spreadsheets/write-workbook.server'
import { parseVendorListQuery } from '~/modules/vendors/schemas'

// GET /vendors/export.xlsx?…: the vendor list with the same filters, order and columns as the CSV.
export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request, 'portal:read')
  const query = parseVendorListQuery(new URL(request.url).searchParams)
  const { workbook, filename, asciiName } = await vendorsWorkbook(query, await getLocale(request))
  return workbookResponse(workbook, filename, asciiName)
}
