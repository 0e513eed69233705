import type { LoaderFunctionArgs } from '@remix-run/node'
import { getLocale } from '~/i18n/i18n.server'
import { requireUser } from '~/modules/auth/session.server'
import { vendorCsvTemplate } from '~/modules/vendors/csv.server'

// GET /vendors/import-template.csv: the import template, headings in the reader's language.
export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request, 'vendor:write')
  const locale = await getLocale(request)
  return new Response(await vendorCsvTemplate(locale), {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="vendor-import-template.csv"; filename*=UTF-8''${encodeURIComponent(locale === 'en' ? 'vendor-import-template.csv' : '合作机构导入模板.csv')}`,
      'Cache-Control': 'no-store',
    },
  })
}
