import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Answer } from '~/modules/assessments/vocabulary'
import type { ClauseEffect, Question, QuestionOption } from '~/modules/library/content-schema'
import { loadLibrary } from '~/modules/library/library.server'
import { scoreAssessment } from '~/modules/scoring/score'

// The shipped questionnaires scored against the shipped contract templates: a vendor that gives
// the most favourable answer everywhere (with evidence) scores high with no gaps; one that gives
// the least favourable answer everywhere scores low and fails knock-out clauses.
const library = loadLibrary(path.resolve('questionnaires'))
const FILE = { fileId: 'f1', filename: 'evidence.pdf', contentType: 'application/pdf', size: 1000, uploadedAt: '2025-01-02T00:00:00.000Z' }

const RANK: Record<ClauseEffect, number> = { fails: 0, partial: 1, not_applicable: 2, meets: 3 }
/** An option's worst effect (not applicable counts as neutral); an option without effects is neutral. */
const optionRank = (option: QuestionOption) => (option.clauses.length === 0 ? 2 : Math.min(...option.clauses.map((c) => RANK[c.effect])))

function answerFor(question: Question, favourable: boolean): Answer {
  const options = question.options ?? []
  const ranked = [...options].sort((a, b) => (favourable ? optionRank(b) - optionRank(a) : optionRank(a) - optionRank(b)))
  let value: Answer['value']
  switch (question.kind) {
    case 'yes_no_na':
    case 'single_choice':
      value = ranked[0]!.id
      break
    case 'multi_choice': {
      const target = optionRank(ranked[0]!)
      value = options.filter((option) => optionRank(option) === target).map((option) => option.id)
      break
    }
    case 'number':
      value = question.min ?? question.max ?? 1
      break
    case 'date':
      value = '2025-01-01'
      break
    default:
      value = 'Documented in our policy.'
  }
  return { value, evidence: [FILE], rev: 1, updatedAt: '2025-01-02T00:00:00.000Z' }
}

describe('scoring the shipped content', () => {
  for (const template of library.templates) {
    const questionnaires = library.latest.filter((q) => q.kind === 'baseline' || q.proposedFor.includes(template.category))
    const clauses = template.clauses.map((id) => library.clauseById.get(id)!)
    const answersOf = (favourable: boolean) =>
      Object.fromEntries(questionnaires.flatMap((q) => q.sections.flatMap((s) => s.questions.map((question) => [question.id, answerFor(question, favourable)]))))

    it(`${template.category}: the most favourable answers score high, with no gap and every clause assessed`, () => {
      const result = scoreAssessment({ questionnaires, clauses, answers: answersOf(true), inherentTier: 1 })
      expect(result.score).toBeGreaterThanOrEqual(85)
      expect(result.knockOutsFailed).toEqual([])
      expect(result.gaps).toEqual([])
      expect(result.counts.not_assessed).toBe(0)
      // Tier 1 with a score ≥ 85 is the best a critical vendor can get.
      expect(result.residualRisk).toBe('medium')
      expect(scoreAssessment({ questionnaires, clauses, answers: answersOf(true), inherentTier: 4 }).residualRisk).toBe('low')
    })

    it(`${template.category}: the least favourable answers score low and fail knock-out clauses`, () => {
      const result = scoreAssessment({ questionnaires, clauses, answers: answersOf(false), inherentTier: 4 })
      expect(result.score).not.toBeNull()
      expect(result.score!).toBeLessThan(50)
      expect(result.knockOutsFailed.length).toBeGreaterThan(0)
      expect(result.residualRisk).toBe('high') // tier 4 × under 50 is medium; the knock-out lifts it
    })
  }
})
