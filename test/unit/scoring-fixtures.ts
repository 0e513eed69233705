// Small builders for scoring tests: questionnaires and clauses written as compactly as the cases
// need, completed with the fields the content schema requires.
import type { Answer } from '~/modules/assessments/vocabulary'
import type { Clause, ClauseEffect, Question, Questionnaire, Severity } from '~/modules/library/content-schema'

const text = (words: string) => ({ 'zh-CN': words, en: words })

export function clause(id: string, severity: Severity, knockOut = false): Clause {
  return { id, title: text(id), text: text(`Clause ${id}`), severity, knockOut, sources: ['test'] }
}

/** Option id → the clause effects it states. */
export type OptionSpec = Record<string, [clauseId: string, effect: ClauseEffect][]>

export function question(
  id: string,
  kind: Question['kind'],
  options: OptionSpec = {},
  extra: Partial<Omit<Question, 'id' | 'kind' | 'options'>> = {},
): Question {
  const optionIds = Object.keys(options)
  return {
    id,
    kind,
    required: true,
    text: text(`Question ${id}`),
    ...(optionIds.length > 0
      ? { options: optionIds.map((optionId) => ({ id: optionId, label: text(optionId), clauses: options[optionId].map(([c, effect]) => ({ clause: c, effect })) })) }
      : {}),
    ...extra,
  }
}

export function questionnaire(
  id: string,
  version: number,
  sections: Record<string, Question[]>,
  kind: Questionnaire['kind'] = 'baseline',
): Questionnaire {
  return {
    id,
    version,
    kind,
    title: text(id),
    description: text(id),
    publishedAt: '2025-01-01',
    proposedFor: [],
    sections: Object.entries(sections).map(([sectionId, questions]) => ({ id: sectionId, title: text(sectionId), questions })),
  }
}

const FILE = { fileId: 'f1', filename: 'policy.pdf', contentType: 'application/pdf', size: 1234, uploadedAt: '2025-01-02T00:00:00.000Z' }

/** An answer as stored: value, optional evidence file(s). */
export function answer(value: Answer['value'], files = 0): Answer {
  return { value, evidence: Array.from({ length: files }, (_, i) => ({ ...FILE, fileId: `f${i + 1}` })), rev: 1, updatedAt: '2025-01-02T00:00:00.000Z' }
}
