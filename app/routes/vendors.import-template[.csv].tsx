import type { LoaderFunctionArgs } from '@remix-run/node'
import { getLocale } from '~/i18n/i18n.server'
import { requireUser } from '~/modules/auth/session.server'
import { downloadHeaders } from '~/modules/files/download.server'
import { vendorCsvTemplate } from '~/modules/vendors/csv.server'

// GET /vendors/import-template.csv: the import template, headings in the reader's language.
export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request, 'vendor:write')
  const locale = await getLocale(request)
  const filename = locale === 'en' ? 'vendor-import-template.csv' : '合作机构导入模板.csv'
  return new Response(await vendorCsvTemplate(locale), { headers: downloadHeaders(filename, 'text/csv; charset=utf-8', {}, { asciiName: 'vendor-import-template.csv' }) })
}
