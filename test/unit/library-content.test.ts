import { readdirSync } from 'node:fs'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { VENDOR_CATEGORIES } from '~/modules/vendors/vocabulary'
import { CHOICE_KINDS, type Question, type Questionnaire } from '~/modules/library/content-schema'
import { loadLibrary, type Library } from '~/modules/library/library.server'

// The content shipped in questionnaires/: it must load, and the properties the product relies on
// are checked here again directly on the data (not only through the loader's own checks).
const DIRECTORY = path.resolve('questionnaires')
let library: Library

beforeAll(() => {
  library = loadLibrary(DIRECTORY)
})

const questionsOf = (questionnaire: Questionnaire): Question[] => questionnaire.sections.flatMap((section) => section.questions)
const isScored = (question: Question) => CHOICE_KINDS.includes(question.kind)

describe('the shipped questionnaires/ directory', () => {
  it('loads every content file in it', () => {
    const files = readdirSync(DIRECTORY).filter((name) => /\.(ya?ml|json)$/.test(name))
    expect(files).toContain('clauses.yaml')
    expect(files).toContain('contract-templates.yaml')
    const questionnaireFiles = files.filter((name) => /-v\d+\.(ya?ml|json)$/.test(name))
    expect(library.questionnaires.map((q) => `${q.id}-v${q.version}`).sort()).toEqual(questionnaireFiles.map((name) => name.replace(/\.(ya?ml|json)$/, '')).sort())
  })

  it('has a baseline of 60 to 100 questions, a payment supplement and at least 25 clauses', () => {
    const baseline = library.latest.find((questionnaire) => questionnaire.kind === 'baseline')!
    expect(questionsOf(baseline).length).toBeGreaterThanOrEqual(60)
    expect(questionsOf(baseline).length).toBeLessThanOrEqual(100)
    const payment = library.latest.find((questionnaire) => questionnaire.kind === 'supplement' && questionnaire.proposedFor.includes('payment_platform'))
    expect(payment).toBeDefined()
    expect(questionsOf(payment!).every((question) => question.id.startsWith('PAY-'))).toBe(true)
    expect(library.clauseLibrary.clauses.length).toBeGreaterThanOrEqual(25)
  })

  it('maps every scored question to at least one existing clause', () => {
    const clauseIds = new Set(library.clauseLibrary.clauses.map((clause) => clause.id))
    const unmapped: string[] = []
    const unknown: string[] = []
    for (const questionnaire of library.questionnaires) {
      for (const question of questionsOf(questionnaire).filter(isScored)) {
        const mapped = (question.options ?? []).flatMap((option) => option.clauses.map((effect) => effect.clause))
        if (mapped.length === 0) unmapped.push(`${questionnaire.id}@${questionnaire.version}/${question.id}`)
        unknown.push(...mapped.filter((id) => !clauseIds.has(id)).map((id) => `${question.id} → ${id}`))
      }
    }
    expect(unmapped).toEqual([])
    expect(unknown).toEqual([])
  })

  it('covers every clause with at least one question of the latest versions, and lets each be met', () => {
    const effects = new Map<string, Set<string>>()
    for (const questionnaire of library.latest) {
      for (const question of questionsOf(questionnaire)) {
        for (const option of question.options ?? []) {
          for (const { clause, effect } of option.clauses) effects.set(clause, (effects.get(clause) ?? new Set()).add(effect))
        }
      }
    }
    const uncovered = library.clauseLibrary.clauses.filter((clause) => !effects.has(clause.id)).map((clause) => clause.id)
    expect(uncovered).toEqual([])
    // A clause no answer can meet would fail every vendor.
    const neverMet = library.clauseLibrary.clauses.filter((clause) => !effects.get(clause.id)?.has('meets')).map((clause) => clause.id)
    expect(neverMet).toEqual([])
  })

  it('points every condition at an earlier choice question of the same questionnaire and its real options', () => {
    const problems: string[] = []
    for (const questionnaire of library.questionnaires) {
      const seen = new Map<string, Question>()
      for (const question of questionsOf(questionnaire)) {
        if (question.showWhen) {
          const target = seen.get(question.showWhen.question)
          if (!target) problems.push(`${question.id}: ${question.showWhen.question} is not an earlier question`)
          else {
            const options = (target.options ?? []).map((option) => option.id)
            for (const option of question.showWhen.anyOf) if (!options.includes(option)) problems.push(`${question.id}: ${target.id} has no option ${option}`)
          }
        }
        const requiredWhen = question.evidence?.requiredWhen
        if (Array.isArray(requiredWhen)) {
          const options = (question.options ?? []).map((option) => option.id)
          for (const option of requiredWhen) if (!options.includes(option)) problems.push(`${question.id}: evidence for unknown option ${option}`)
        }
        seen.set(question.id, question)
      }
    }
    expect(problems).toEqual([])
  })

  it('keeps question ids unique across questionnaires and yes/no/na questions to exactly yes, no and na', () => {
    const owner = new Map<string, string>()
    const clashes: string[] = []
    for (const questionnaire of library.questionnaires) {
      for (const question of questionsOf(questionnaire)) {
        const first = owner.get(question.id)
        if (first && first !== questionnaire.id) clashes.push(`${question.id} in ${first} and ${questionnaire.id}`)
        owner.set(question.id, questionnaire.id)
        if (question.kind === 'yes_no_na') expect((question.options ?? []).map((option) => option.id).sort(), question.id).toEqual(['na', 'no', 'yes'])
      }
    }
    expect(clashes).toEqual([])
  })

  it('has a contract template for every vendor category, naming existing clauses', () => {
    const clauseIds = new Set(library.clauseLibrary.clauses.map((clause) => clause.id))
    expect(library.templates.map((template) => template.category).sort()).toEqual([...VENDOR_CATEGORIES].sort())
    for (const template of library.templates) {
      expect(template.clauses.filter((id) => !clauseIds.has(id)), template.category).toEqual([])
    }
  })

  it('gives every text in both languages and every clause a source', () => {
    for (const clause of library.clauseLibrary.clauses) {
      expect(clause.title['zh-CN'] && clause.title.en && clause.text['zh-CN'] && clause.text.en, clause.id).toBeTruthy()
      expect(clause.sources.length, clause.id).toBeGreaterThan(0)
    }
  })
})
