// The questionnaire versions an assessment pinned, read from the library.
import { getQuestionnaire, listQuestionnaires, latestQuestionnaire } from '~/modules/library/library.server'
import type { Questionnaire, QuestionnaireRef } from '~/modules/library/content-schema'
import type { VendorCategory } from '~/modules/vendors/vocabulary'

export function questionnairesOf(refs: readonly { id?: string | null; version?: number | null }[]): Questionnaire[] {
  return refs.map((ref) => getQuestionnaire(String(ref.id), Number(ref.version)))
}

/** The latest baseline(s) and the supplements proposed for this kind of vendor. */
export function defaultQuestionnaires(category: VendorCategory | string | undefined): QuestionnaireRef[] {
  return listQuestionnaires()
    .filter((summary) => summary.latest && (summary.kind === 'baseline' || (category !== undefined && summary.proposedFor.includes(category as VendorCategory))))
    .map((summary) => ({ id: summary.id, version: latestQuestionnaire(summary.id).version }))
}

/** The latest versions a person can choose from when starting an assessment. */
export function questionnaireChoices(category: VendorCategory | string | undefined) {
  return listQuestionnaires()
    .filter((summary) => summary.latest)
    .map((summary) => ({
      id: summary.id,
      version: summary.version,
      kind: summary.kind,
      title: summary.title,
      questionCount: summary.questionCount,
      proposed: summary.kind === 'baseline' || (category !== undefined && summary.proposedFor.includes(category as VendorCategory)),
    }))
}
