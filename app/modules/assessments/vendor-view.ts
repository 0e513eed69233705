// What of an assessment's content may reach the vendor's browser. Pure.
// The vendor needs the questions, the options, when a question shows and when evidence is asked
// for — never which option meets or fails which contract clause (the scoring key), nor how the
// institution rates the vendor (tier, data sensitivity, volumes, criticality).
import type { Questionnaire } from '~/modules/library/content-schema'
import type { VendorSnapshot } from './snapshot'

/** The questionnaire without the scoring key: every option's clause effects are left out. */
export function questionnaireForVendor(questionnaire: Questionnaire): Questionnaire {
  return {
    id: questionnaire.id,
    version: questionnaire.version,
    kind: questionnaire.kind,
    title: questionnaire.title,
    description: questionnaire.description,
    publishedAt: questionnaire.publishedAt,
    proposedFor: [],
    sections: questionnaire.sections.map((section) => ({
      id: section.id,
      title: section.title,
      description: section.description,
      questions: section.questions.map((question) => ({
        id: question.id,
        kind: question.kind,
        required: question.required,
        text: question.text,
        help: question.help,
        // The type keeps `clauses` (shared with scoring); for the vendor it is always empty.
        options: question.options?.map((option) => ({ id: option.id, label: option.label, clauses: [] })),
        showWhen: question.showWhen,
        evidence: question.evidence,
        min: question.min,
        max: question.max,
      })),
    })),
  }
}

/** The vendor as the portal shows it: its name and which kinds of customer data it receives. */
export interface VendorFacingSnapshot {
  legalName: VendorSnapshot['legalName']
  dataProfile: { piCategories: string[] }
}

export function vendorForVendor(snapshot: Partial<VendorSnapshot> | null | undefined): VendorFacingSnapshot {
  return {
    legalName: { 'zh-CN': snapshot?.legalName?.['zh-CN'], en: snapshot?.legalName?.en },
    dataProfile: { piCategories: [...(snapshot?.dataProfile?.piCategories ?? [])] },
  }
}
