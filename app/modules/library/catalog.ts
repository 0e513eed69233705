// Views over validated library content: which questions bear on a clause, how versions differ.
// Pure, so the pages, scoring and the tests can share them.
import type { ClauseEffect, LocalizedText, Question, Questionnaire } from './content-schema'

/** One question of a questionnaire version whose answers say something about a clause. */
export interface ClauseBearing {
  questionnaireId: string
  version: number
  sectionId: string
  questionId: string
  text: LocalizedText
  effects: { optionId: string; label: LocalizedText; effect: ClauseEffect }[]
}

/** For every clause id, the questions (of the given questionnaire versions) bearing on it. */
export function clauseBearings(questionnaires: readonly Questionnaire[]): Map<string, ClauseBearing[]> {
  const bearings = new Map<string, ClauseBearing[]>()
  for (const questionnaire of questionnaires) {
    for (const section of questionnaire.sections) {
      for (const question of section.questions) {
        const byClause = new Map<string, ClauseBearing>()
        for (const option of question.options ?? []) {
          for (const { clause, effect } of option.clauses) {
            let bearing = byClause.get(clause)
            if (!bearing) {
              bearing = {
                questionnaireId: questionnaire.id,
                version: questionnaire.version,
                sectionId: section.id,
                questionId: question.id,
                text: question.text,
                effects: [],
              }
              byClause.set(clause, bearing)
            }
            bearing.effects.push({ optionId: option.id, label: option.label, effect })
          }
        }
        for (const [clause, bearing] of byClause) {
          const list = bearings.get(clause) ?? []
          list.push(bearing)
          bearings.set(clause, list)
        }
      }
    }
  }
  return bearings
}

export function questionsOf(questionnaire: Questionnaire): Question[] {
  return questionnaire.sections.flatMap((section) => section.questions)
}

/** What changed from one version of a questionnaire to the next, by question id. */
export interface VersionChanges {
  added: string[]
  removed: string[]
  changed: string[]
}

export function compareVersions(previous: Questionnaire, next: Questionnaire): VersionChanges {
  const before = new Map(questionsOf(previous).map((question) => [question.id, JSON.stringify(question)]))
  const after = new Map(questionsOf(next).map((question) => [question.id, JSON.stringify(question)]))
  return {
    added: [...after.keys()].filter((id) => !before.has(id)),
    removed: [...before.keys()].filter((id) => !after.has(id)),
    changed: [...after.keys()].filter((id) => before.has(id) && before.get(id) !== after.get(id)),
  }
}
