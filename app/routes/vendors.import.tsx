import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, Link, useActionData, useNavigation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { inputClass } from '~/components/forms'
import { Badge, buttonClass, Card, PageHeader } from '~/components/ui'
import { getLocale, translatorFor } from '~/i18n/i18n.server'
import { requireUser } from '~/modules/auth/session.server'
import { readFormData } from '~/modules/forms/read.server'
import { checkbox, z } from '~/modules/forms/validation'
import { importVendorsCsv, MAX_IMPORT_BYTES, type ImportReport, type ImportRowStatus } from '~/modules/vendors/csv.server'

export const meta: MetaFunction = () => [{ title: 'Clausewise · Import vendors / 导入合作机构' }]

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request, 'vendor:write')
  return null
}

// The file arrives as an upload; "import the valid rows" posts the same file back as base64.
const importFormSchema = z.object({
  validOnly: checkbox,
  content: z.string().max(Math.ceil((MAX_IMPORT_BYTES * 4) / 3) + 8).optional(),
})

type ImportActionData = { report: ImportReport; retry?: string }

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request, 'vendor:write')
  const locale = await getLocale(request)
  const t = await translatorFor(locale, 'vendors')
  const refuse = (problem: string) => data<ImportActionData>({ report: { ok: false, problem } }, { status: 400 })

  let formData: FormData
  try {
    // The retry posts the file back as base64, a third larger than the file itself.
    formData = await readFormData(request, { maxBytes: Math.ceil((MAX_IMPORT_BYTES * 4) / 3) + 64 * 1024 })
  } catch (error) {
    if (error instanceof Response && error.status === 413) return refuse(t('import.problems.tooLarge'))
    throw error
  }
  const upload = formData.get('file')
  if (upload instanceof File && upload.size > MAX_IMPORT_BYTES) return refuse(t('import.problems.tooLarge'))
  const fields = importFormSchema.safeParse({ validOnly: formData.get('validOnly') ?? undefined, content: formData.get('content') ?? undefined })
  if (!fields.success) return refuse(t('import.problems.tooLarge'))
  const file = formData.get('file')
  let bytes: Uint8Array
  if (file instanceof File && file.size > 0) bytes = new Uint8Array(await file.arrayBuffer())
  else if (fields.data.content) bytes = new Uint8Array(Buffer.from(fields.data.content, 'base64'))
  else return refuse(t('import.problems.noFile'))

  const report = await importVendorsCsv(bytes, { actor: user, locale, validOnly: fields.data.validOnly })
  if (!report.ok) return refuse(report.problem)
  if (report.committed) return data<ImportActionData>({ report })
  // Nothing saved: offer to import the valid rows of this very file without choosing it again.
  const retry = report.accepted > 0 ? Buffer.from(bytes).toString('base64') : undefined
  return data<ImportActionData>({ report, retry }, { status: 400 })
}

const STATUS_TONE: Record<ImportRowStatus, 'good' | 'info' | 'bad' | 'neutral'> = { imported: 'good', valid: 'info', rejected: 'bad', skipped: 'neutral' }
const STATUS_LABEL: Record<ImportRowStatus, string> = { imported: 'import.imported_row', valid: 'import.accepted', rejected: 'import.rejected', skipped: 'import.skipped' }

function ReportView({ report, retry }: { report: Extract<ImportReport, { ok: true }>; retry?: string }) {
  const { t } = useTranslation('vendors')
  const skipped = report.rows.filter((row) => row.status === 'skipped').length
  const outcome = report.committed
    ? skipped > 0
      ? t('import.importedSkipped', { count: report.imported, skipped })
      : t('import.imported', { count: report.imported })
    : t('import.nothingImported')
  return (
    <Card title={t('import.summary', { total: report.total, accepted: report.accepted, rejected: report.rejected })}>
      <div data-testid="import-report">
        <p
          role={report.committed ? 'status' : 'alert'}
          className={`mb-4 rounded-md border px-4 py-2 text-sm ${report.committed ? 'border-emerald-200 bg-emerald-50 text-emerald-800' : 'border-amber-200 bg-amber-50 text-amber-900'}`}
          data-testid="import-outcome"
        >
          {outcome}
          {report.committed ? (
            <>
              {' '}
              <Link to="/vendors" className="font-medium underline">
                {t('actions.backToList')}
              </Link>
            </>
          ) : null}
        </p>
        {retry ? (
          <Form method="post" encType="multipart/form-data" className="mb-4">
            <input type="hidden" name="content" value={retry} />
            <input type="hidden" name="validOnly" value="on" />
            <button type="submit" className={buttonClass.primary} data-testid="import-valid-rows">
              {t('import.importValid', { count: report.accepted })}
            </button>
          </Form>
        ) : null}
        <div className="-mx-5 overflow-x-auto">
          <table className="w-full text-left text-sm">
            <thead className="border-b border-slate-200 text-xs uppercase tracking-wide text-slate-500">
              <tr>
                <th scope="col" className="whitespace-nowrap px-3 py-2 font-medium">{t('import.columns.line')}</th>
                <th scope="col" className="whitespace-nowrap px-3 py-2 font-medium">{t('import.columns.vendor')}</th>
                <th scope="col" className="whitespace-nowrap px-3 py-2 font-medium">{t('import.columns.result')}</th>
                <th scope="col" className="whitespace-nowrap px-3 py-2 font-medium">{t('import.columns.details')}</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {report.rows.map((row) => (
                <tr key={row.line} className="align-top" data-testid="import-row" data-status={row.status}>
                  <td className="px-3 py-2 tabular-nums text-slate-500">{row.line}</td>
                  <td className="px-3 py-2 text-slate-800">{row.name || '—'}</td>
                  <td className="whitespace-nowrap px-3 py-2">
                    <Badge tone={STATUS_TONE[row.status]}>{t(STATUS_LABEL[row.status])}</Badge>
                  </td>
                  <td className="px-3 py-2 text-slate-700">
                    {row.messages.length ? (
                      <ul className="list-disc space-y-0.5 pl-4">
                        {row.messages.map((message, index) => (
                          <li key={index}>{message}</li>
                        ))}
                      </ul>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
    </Card>
  )
}

export default function ImportVendorsPage() {
  const { t } = useTranslation('vendors')
  const result = useActionData<typeof action>()
  const navigation = useNavigation()
  const busy = navigation.state === 'submitting'
  return (
    <div className="mx-auto flex max-w-5xl flex-col gap-6">
      <PageHeader title={t('import.title')} subtitle={t('import.intro')} />
      <Card>
        <div className="mb-4 text-sm text-slate-600">
          <a href="/vendors/import-template.csv" download className="font-medium text-sky-800 hover:underline" data-testid="template-link">
            {t('import.template')}
          </a>
          <p className="mt-1">{t('import.templateHint')}</p>
        </div>
        <Form method="post" encType="multipart/form-data" className="flex flex-col gap-4" data-testid="import-form">
          <div className="flex flex-col gap-1">
            <label htmlFor="import-file" className="text-sm font-medium text-slate-700">
              {t('import.file')}
            </label>
            <input id="import-file" type="file" name="file" accept=".csv,text/csv" required className={inputClass} aria-describedby="import-file-hint" />
            <p id="import-file-hint" className="text-xs text-slate-500">
              {t('import.fileHint')}
            </p>
          </div>
          <label className="flex items-center gap-2 text-sm text-slate-700">
            <input type="checkbox" name="validOnly" className="h-4 w-4 rounded border-slate-300" />
            {t('import.validOnly')}
          </label>
          <div>
            <button type="submit" className={buttonClass.primary} disabled={busy} aria-busy={busy || undefined}>
              {t('import.submit')}
            </button>
          </div>
        </Form>
      </Card>
      {result && !result.report.ok ? (
        <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-800" data-testid="import-problem">
          {result.report.problem}
        </p>
      ) : null}
      {result?.report.ok ? <ReportView report={result.report} retry={result.retry} /> : null}
    </div>
  )
}
