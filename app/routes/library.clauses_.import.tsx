import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, Link, useActionData, useNavigation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { buttonClass, Card, PageHeader } from '~/components/ui'
import { getLocale, translatorFor } from '~/i18n/i18n.server'
import { redirectWithFlash, requireUser } from '~/modules/auth/session.server'
import { importClauseWorkbookDraft, type ShownProblem } from '~/modules/library/formats/import-workbook-draft.server'
import { readWorkbookUpload } from '~/modules/library/formats/workbook-upload.server'
import { ImportProblems } from '~/modules/library/import-problems'

// Upload of an edited clause-library workbook: a draft of the next clause library (docs/decisions/032).
export const meta: MetaFunction = () => [{ title: 'Clausewise · Clause library import / 条款库导入' }]

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request, 'library:publish')
  return null
}

type ImportActionData = { problems: ShownProblem[] }

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request, 'library:publish')
  const t = await translatorFor(await getLocale(request), 'library')
  const refuse = (reason: string, status = 400) => data<ImportActionData>({ problems: [{ reason }] }, { status })
  const upload = await readWorkbookUpload(request, t)
  if (!upload.ok) return refuse(upload.reason, upload.status)
  const { formData } = upload
  const file = formData.get('workbook')
  if (!(file instanceof File) || file.size === 0) return refuse(t('import.noFile'))
  const result = await importClauseWorkbookDraft(user, new Uint8Array(await file.arrayBuffer()), file.name, t)
  if (!result.ok) return data<ImportActionData>({ problems: result.problems }, { status: 422 })
  return redirectWithFlash(request, `/library/drafts/${result.draftId}`, 'draftImported')
}

export default function ClauseLibraryImportPage() {
  const { t } = useTranslation('library')
  const actionData = useActionData<typeof action>()
  const navigation = useNavigation()
  return (
    <div data-testid="clause-library-import">
      <nav aria-label={t('preview.breadcrumb')} className="mb-2 text-sm">
        <Link to="/library/clauses" className="text-sky-800 hover:underline">
          {t('clauseLibrary.title')}
        </Link>
      </nav>
      <PageHeader title={t('clauseDraft.importTitle')} subtitle={t('clauseDraft.importIntro')} />
      <Card title={t('import.title')}>
        <Form method="post" encType="multipart/form-data" className="flex flex-wrap items-center gap-3">
          <label className="text-sm">
            <span className="sr-only">{t('import.file')}</span>
            <input type="file" name="workbook" required accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" className="text-sm" data-testid="import-file" />
          </label>
          <button type="submit" className={buttonClass.primary} disabled={navigation.state === 'submitting'} data-testid="import-submit">
            {t('import.submit')}
          </button>
        </Form>
        <ImportProblems problems={actionData?.problems ?? []} />
      </Card>
    </div>
  )
}
