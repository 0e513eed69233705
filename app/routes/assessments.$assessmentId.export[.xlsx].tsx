import type { LoaderFunctionArgs } from '@remix-run/node'
import { getLocale } from '~/i18n/i18n.server'
import { requireUser } from '~/modules/auth/session.server'
import { reportDownloadQuery } from '~/modules/reports/schemas'
import { assessmentWorkbook } from '~/modules/spreadsheets/staff-exports.server'
import { workbookResponse } from '~/modules/spreadsheets/write-workbook.server'
import { notFound } from '~/modules/http'

// GET /assessments/:id/export.xlsx?lang=…: answers, clause results and findings as a workbook.
// The same permission and the same data as the PDF report.
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireUser(request, 'report:download')
  const url = new URL(request.url)
  const query = reportDownloadQuery.safeParse({ lang: url.searchParams.get('lang') ?? (await getLocale(request)) })
  if (!query.success) throw new Response('Unsupported language', { status: 400, statusText: 'Bad Request' })
  const result = await assessmentWorkbook(String(params.assessmentId), query.data.lang)
  if (result.status === 'not_found') throw notFound()
  if (result.status === 'not_reportable') throw new Response('The assessment has not been submitted yet', { status: 409, statusText: 'Conflict' })
  return workbookResponse(result.file.workbook, result.file.filename, result.file.asciiName)
}
