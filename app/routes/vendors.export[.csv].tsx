import type { LoaderFunctionArgs } from '@remix-run/node'
import { getLocale } from '~/i18n/i18n.server'
import { requireUser } from '~/modules/auth/session.server'
import { downloadHeaders } from '~/modules/files/download.server'
import { exportVendorsCsv } from '~/modules/vendors/csv.server'
import { parseVendorListQuery } from '~/modules/vendors/schemas'

// GET /vendors/export.csv?…: the vendor list with the same filters and order as the page.
export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request, 'portal:read')
  const query = parseVendorListQuery(new URL(request.url).searchParams)
  const locale = await getLocale(request)
  const csv = await exportVendorsCsv(query, locale)
  const day = new Date().toISOString().slice(0, 10)
  const filename = locale === 'en' ? `vendors-${day}.csv` : `合作机构-${day}.csv`
  return new Response(csv, { headers: downloadHeaders(filename, 'text/csv; charset=utf-8', {}, { asciiName: `vendors-${day}.csv` }) })
}
