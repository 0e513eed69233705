import type { LoaderFunctionArgs } from '@remix-run/node'
import { requireUser } from '~/modules/auth/session.server'
import { notFound } from '~/modules/http'
import { exportQuestionnaireWorkbook } from '~/modules/library/formats/workbook-export.server'
import { findQuestionnaire, getClauseLibrary } from '~/modules/library/library.server'
import { workbookResponse } from '~/modules/library/formats/workbook-response.server'

// One questionnaire version as an editable workbook (resource route); its import becomes a draft.
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireUser(request, 'library:read')
  const version = /^[1-9][0-9]{0,5}$/.test(params.version ?? '') ? Number(params.version) : NaN
  const questionnaire = Number.isNaN(version) ? undefined : findQuestionnaire(String(params.questionnaireId), version)
  if (!questionnaire) throw notFound('Questionnaire version not found')
  const bytes = await exportQuestionnaireWorkbook(questionnaire, getClauseLibrary())
  return workbookResponse(bytes, `${questionnaire.id}-v${questionnaire.version}.xlsx`)
}
