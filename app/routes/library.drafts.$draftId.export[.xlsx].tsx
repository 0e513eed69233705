import type { LoaderFunctionArgs } from '@remix-run/node'
import { requireUser } from '~/modules/auth/session.server'
import { notFound } from '~/modules/http'
import { getDraft } from '~/modules/library/drafts.server'
import { exportQuestionnaireWorkbook } from '~/modules/library/formats/workbook-export.server'
import { workbookResponse } from '~/modules/library/formats/workbook-response.server'
import { getClauseLibrary } from '~/modules/library/library.server'

// An open draft as a workbook, so the reviewer can map clauses and translate an imported (VSAQ,
// CAIQ) draft before it can be published. It is written as the version the draft was based on:
// uploaded again it is an edit of that version, i.e. the same next version (docs/decisions/031).
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireUser(request, 'library:publish')
  const draft = await getDraft(String(params.draftId))
  if (!draft || draft.state !== 'draft') throw notFound('Draft not found')
  const questionnaire = { ...draft.questionnaire, version: draft.basedOn ?? 1 }
  const bytes = await exportQuestionnaireWorkbook(questionnaire, getClauseLibrary())
  return workbookResponse(bytes, `${draft.questionnaireId}-draft-v${draft.version}.xlsx`)
}
