import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { Badge, Card, EmptyState, PageHeader } from '~/components/ui'
import { getLocale, translatorFor } from '~/i18n/i18n.server'
import { redirectWithFlash, requireUser } from '~/modules/auth/session.server'
import { listOpenDrafts } from '~/modules/library/drafts.server'
import { importFormatOf } from '~/modules/library/formats/import-format'
import { importUploadedDraft, type ShownImportProblem } from '~/modules/library/formats/import-standard-draft.server'
import { readWorkbookUpload } from '~/modules/library/formats/workbook-upload.server'
import { ImportForm } from '~/modules/library/import-form'
import { library } from '~/modules/library/library.server'
import { ImportProblems } from '~/modules/library/import-problems'

export const meta: MetaFunction = () => [{ title: 'Clausewise · Drafts / 草稿' }]

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request, 'library:publish')
  return { drafts: await listOpenDrafts(), questionnaireIds: library().latest.map((questionnaire) => questionnaire.id) }
}

type ImportActionData = { problems: ShownImportProblem[] }

const latestQuestionnaireVersion = (id: string) => library().latest.find((questionnaire) => questionnaire.id === id)?.version ?? 0

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request, 'library:publish')
  const t = await translatorFor(await getLocale(request), 'library')
  const refuse = (reason: string, status = 400) => data<ImportActionData>({ problems: [{ reason }] }, { status })
  const upload = await readWorkbookUpload(request, t)
  if (!upload.ok) return refuse(upload.reason, upload.status)
  const { formData } = upload
  const files = formData.getAll('workbook').filter((file): file is File => file instanceof File && file.size > 0)
  if (files.length === 0) return refuse(t('import.noFile'))
  const questionnaireId = formData.get('questionnaireId')
  const uploaded = await Promise.all(files.map(async (file) => ({ name: file.name.slice(0, 200), bytes: new Uint8Array(await file.arrayBuffer()) })))
  const result = await importUploadedDraft(
    user,
    uploaded,
    {
      format: importFormatOf(formData.get('format')),
      questionnaireId: typeof questionnaireId === 'string' ? questionnaireId : undefined,
      // A library workbook must be the named questionnaire's (uploaded from its page, or named here).
      expected: typeof questionnaireId === 'string' && questionnaireId !== '' ? { id: questionnaireId.slice(0, 100), version: latestQuestionnaireVersion(questionnaireId) } : undefined,
    },
    t,
  )
  if (!result.ok) return data<ImportActionData>({ problems: result.problems }, { status: 422 })
  return redirectWithFlash(request, `/library/drafts/${result.draftId}`, 'draftImported')
}

export default function DraftsPage() {
  const { t, i18n } = useTranslation('library')
  const { drafts, questionnaireIds } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const navigation = useNavigation()
  const date = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' })
  return (
    <div data-testid="library-drafts">
      <nav aria-label={t('preview.breadcrumb')} className="mb-2 text-sm">
        <Link to="/library" className="text-sky-800 hover:underline">
          {t('title')}
        </Link>
      </nav>
      <PageHeader title={t('drafts.title')} subtitle={t('drafts.intro')} />
      <div className="flex flex-col gap-6">
        <Card title={t('libraryImport:title')}>
          <p className="mb-4 text-sm text-slate-600">{t('libraryImport:intro')}</p>
          <ImportForm questionnaireIds={questionnaireIds} submitting={navigation.state === 'submitting'} />
          <ImportProblems problems={actionData?.problems ?? []} />
        </Card>
        <Card title={t('drafts.open')}>
          {drafts.length === 0 ? (
            <EmptyState>{t('drafts.none')}</EmptyState>
          ) : (
            <table className="w-full text-left text-sm" data-testid="draft-list">
              <thead className="text-xs uppercase tracking-wide text-slate-500">
                <tr>
                  <th className="py-2 pr-4 font-medium">{t('questionnaires.name')}</th>
                  <th className="py-2 pr-4 font-medium">{t('drafts.status')}</th>
                  <th className="py-2 pr-4 font-medium">{t('drafts.basedOn')}</th>
                  <th className="py-2 pr-4 font-medium">{t('drafts.uploadedBy')}</th>
                  <th className="py-2 font-medium">{t('drafts.uploadedAt')}</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {drafts.map((draft) => (
                  <tr key={draft.id}>
                    <td className="py-2 pr-4">
                      <Link to={`/library/drafts/${draft.id}`} className="font-medium text-sky-800 hover:underline">
                        {t('drafts.nameVersion', { id: draft.questionnaireId, version: draft.version })}
                      </Link>
                    </td>
                    <td className="py-2 pr-4">
                      <Badge tone="info">{t(`drafts.state.${draft.state}`)}</Badge>
                    </td>
                    <td className="py-2 pr-4">{draft.basedOn ? t('questionnaires.versionN', { version: draft.basedOn }) : t('drafts.new')}</td>
                    <td className="py-2 pr-4">{draft.uploadedBy.name ?? draft.uploadedBy.id}</td>
                    <td className="py-2">{date.format(new Date(draft.createdAt))}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Card>
      </div>
    </div>
  )
}
