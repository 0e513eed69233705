// What a draft changes compared with the version it came from: questions added, removed and
// changed (which fields), and changed clause mappings (option → clause effects) of questions in
// both. Pure; the draft page and the tests share it.
import type { ClauseEffect, Question, Questionnaire, Section } from './content-schema'

export interface QuestionChange {
  id: string
  fields: string[] // e.g. text, help, showWhen, section, options
}

export interface MappingChange {
  questionId: string
  optionId: string
  before: { clause: string; effect: ClauseEffect }[]
  after: { clause: string; effect: ClauseEffect }[]
}

export interface DraftDifferences {
  questionnaire: string[] // top-level fields changed: title, description, kind, proposedFor
  sections: { added: string[]; removed: string[]; changed: string[] }
  added: { id: string; sectionId: string }[]
  removed: string[]
  changed: QuestionChange[]
  mappings: MappingChange[]
}

/** JSON with sorted keys and no undefined, so two equal values compare equal whatever their key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, child]) => child !== undefined)
    // Code-unit order: any fixed order will do, and localeCompare costs ICU calls per key.
    return `{${entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([key, child]) => `${JSON.stringify(key)}:${canonical(child)}`).join(',')}}`
  }
  return JSON.stringify(value)
}

const same = (a: unknown, b: unknown) => canonical(a) === canonical(b)

function located(questionnaire: Questionnaire): Map<string, { question: Question; sectionId: string }> {
  return new Map(questionnaire.sections.flatMap((section) => section.questions.map((question) => [question.id, { question, sectionId: section.id }] as const)))
}

const QUESTION_FIELDS = ['kind', 'required', 'text', 'help', 'showWhen', 'evidence', 'min', 'max'] as const

/** Options compared without their clause effects: those are mapping changes. */
const optionsWithoutEffects = (question: Question) => (question.options ?? []).map((option) => ({ id: option.id, label: option.label }))

export function draftDifferences(previous: Questionnaire | undefined, next: Questionnaire): DraftDifferences {
  const before = previous ? located(previous) : new Map<string, { question: Question; sectionId: string }>()
  const after = located(next)
  const differences: DraftDifferences = {
    questionnaire: previous ? (['kind', 'title', 'description', 'proposedFor'] as const).filter((field) => !same(previous[field], next[field])) : [],
    sections: sectionChanges(previous?.sections ?? [], next.sections),
    added: [],
    removed: [...before.keys()].filter((id) => !after.has(id)),
    changed: [],
    mappings: [],
  }
  const order = (questionnaire: Questionnaire | undefined) => questionnaire?.sections.flatMap((section) => section.questions.map((question) => question.id)) ?? []
  const positions = (ids: string[]) => new Map(ids.map((id, index) => [id, index]))
  const previousOrder = positions(order(previous).filter((id) => after.has(id)))
  const nextOrder = positions(order(next).filter((id) => before.has(id)))
  for (const [id, { question, sectionId }] of after) {
    const old = before.get(id)
    if (!old) {
      differences.added.push({ id, sectionId })
      continue
    }
    const fields: string[] = QUESTION_FIELDS.filter((field) => !same(old.question[field], question[field]))
    if (old.sectionId !== sectionId) fields.push('section')
    if (!same(optionsWithoutEffects(old.question), optionsWithoutEffects(question))) fields.push('options')
    if (previousOrder.get(id) !== nextOrder.get(id) && !fields.includes('section')) fields.push('position')
    if (fields.length > 0) differences.changed.push({ id, fields })
    const oldOptions = new Map((old.question.options ?? []).map((option) => [option.id, option.clauses]))
    for (const option of question.options ?? []) {
      const was = oldOptions.get(option.id)
      if (was && !same(was, option.clauses)) differences.mappings.push({ questionId: id, optionId: option.id, before: was, after: option.clauses })
    }
  }
  return differences
}

function sectionChanges(previous: readonly Section[], next: readonly Section[]) {
  const strip = (section: Section) => ({ title: section.title, description: section.description })
  const before = new Map(previous.map((section) => [section.id, section]))
  const after = new Map(next.map((section) => [section.id, section]))
  return {
    added: [...after.keys()].filter((id) => !before.has(id)),
    removed: [...before.keys()].filter((id) => !after.has(id)),
    changed: [...after.keys()].filter((id) => before.has(id) && !same(strip(before.get(id)!), strip(after.get(id)!))),
  }
}
