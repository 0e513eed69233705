// Benchmark: question answers scored per second on one core, for a 100-question assessment
// against a 30-clause contract. Goal ≥ 100,000 answers/s.
//
//   npm run bench:scoring
//
// Two figures: "warm" (the library hands the same questionnaire object to every assessment, so
// its precomputed index is reused — the normal case) and "cold" (a fresh copy of the
// questionnaire for every assessment, so every run also builds the index).
import { cpus, loadavg } from 'node:os'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import type { Answer } from '~/modules/assessments/vocabulary'
import type { Clause, ClauseEffect, Question, Questionnaire, Severity } from '~/modules/library/content-schema'
import { scoreAssessment } from '~/modules/scoring/score'

const GOAL = 100_000
const SAMPLES = 21
const ASSESSMENTS_PER_SAMPLE = 500
const ANSWER_SETS = 64

/** A small deterministic generator, so every run scores the same data. */
function random(seed: number) {
  let state = seed >>> 0
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0
    return state / 2 ** 32
  }
}

const text = (words: string) => ({ 'zh-CN': words, en: words })

function syntheticContract(): Clause[] {
  // 30 clauses: 5 critical (3 of them knock-out), 8 high, 10 medium, 7 low.
  const plan: [Severity, number][] = [['critical', 5], ['high', 8], ['medium', 10], ['low', 7]]
  const clauses: Clause[] = []
  for (const [severity, count] of plan) {
    for (let i = 0; i < count; i++) {
      const n = clauses.length + 1
      clauses.push({ id: `CL-${String(n).padStart(2, '0')}`, title: text(`Clause ${n}`), text: text(`Clause ${n}`), severity, knockOut: severity === 'critical' && i < 3, sources: ['bench'] })
    }
  }
  return clauses
}

function syntheticQuestionnaire(clauses: Clause[]): Questionnaire {
  const next = random(42)
  const pickClause = () => clauses[Math.floor(next() * clauses.length)].id
  const targets = (n: number) => [...new Set(Array.from({ length: n }, pickClause))]
  const sections: Questionnaire['sections'] = []
  for (let s = 0; s < 10; s++) {
    const questions: Question[] = []
    for (let q = 0; q < 10; q++) {
      const id = `BQ-${s}${q}`
      const base = { id, required: true, text: text(`Question ${id}`) }
      let question: Question
      if (q < 6) {
        const bears = targets(1 + Math.floor(next() * 2))
        const effect = (e: ClauseEffect) => bears.map((clause) => ({ clause, effect: e }))
        question = { ...base, kind: 'yes_no_na', options: [
          { id: 'yes', label: text('Yes'), clauses: effect('meets') },
          { id: 'no', label: text('No'), clauses: effect('fails') },
          { id: 'na', label: text('N/A'), clauses: effect('not_applicable') },
        ] }
        if (q % 3 === 0) question.evidence = { requiredWhen: ['yes'] }
        // A follow-up asked only after a "yes" (e.g. "is the plan tested every year?").
        if (q === 2 || q === 5) question.showWhen = { question: `BQ-${s}${q - 1}`, anyOf: ['yes'] }
      } else if (q < 8) {
        const bears = targets(2)
        const grade = (effects: ClauseEffect[]) => bears.map((clause, i) => ({ clause, effect: effects[i % effects.length] }))
        question = { ...base, kind: 'single_choice', evidence: { requiredWhen: ['full', 'most'] }, options: [
          { id: 'full', label: text('Fully'), clauses: grade(['meets']) },
          { id: 'most', label: text('Mostly'), clauses: grade(['meets', 'partial']) },
          { id: 'some', label: text('Partly'), clauses: grade(['partial']) },
          { id: 'none', label: text('Not at all'), clauses: grade(['fails']) },
        ] }
      } else if (q === 8) {
        question = { ...base, kind: 'multi_choice', options: ['mfa', 'sso', 'vpn', 'ip_allowlist', 'none'].map((option) => ({
          id: option,
          label: text(option),
          clauses: targets(1).map((clause) => ({ clause, effect: option === 'none' ? ('fails' as const) : next() < 0.3 ? ('partial' as const) : ('meets' as const) })),
        })) }
      } else {
        question = { ...base, kind: s % 2 === 0 ? 'long_text' : 'number', required: s % 3 !== 0 }
        if (s % 4 === 0) question.evidence = { requiredWhen: 'always' }
      }
      questions.push(question)
    }
    sections.push({ id: `section-${s}`, title: text(`Section ${s}`), questions })
  }
  return { id: 'bench-baseline', version: 1, kind: 'baseline', title: text('Bench'), description: text('Bench'), publishedAt: '2025-01-01', proposedFor: [], sections }
}

/** A vendor's answers: mostly good, some "no", some missing files; follow-ups answered only when shown. */
function syntheticAnswers(questionnaire: Questionnaire, seed: number): Record<string, Answer> {
  const next = random(seed)
  const file = { fileId: 'f', filename: 'evidence.pdf', contentType: 'application/pdf', size: 1000, uploadedAt: '2025-01-02T00:00:00.000Z' }
  const answers: Record<string, Answer> = {}
  for (const section of questionnaire.sections) {
    for (const question of section.questions) {
      const roll = next()
      if (question.showWhen && answers[question.showWhen.question]?.value !== 'yes') continue
      let value: Answer['value']
      switch (question.kind) {
        case 'yes_no_na': value = roll < 0.88 ? 'yes' : roll < 0.94 ? 'no' : 'na'; break
        case 'single_choice': value = roll < 0.6 ? 'full' : roll < 0.85 ? 'most' : roll < 0.96 ? 'some' : 'none'; break
        case 'multi_choice': value = roll < 0.1 ? ['none'] : ['mfa', 'sso', 'vpn', 'ip_allowlist'].filter(() => next() < 0.6); break
        case 'number': value = Math.floor(roll * 100); break
        default: value = 'We keep an access review procedure.'
      }
      answers[question.id] = { value, evidence: next() < 0.85 ? [file] : [], rev: 1, updatedAt: '2025-01-02T00:00:00.000Z' }
    }
  }
  return answers
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

const clauses = syntheticContract()
const questionnaire = syntheticQuestionnaire(clauses)
const answerSets = Array.from({ length: ANSWER_SETS }, (_, i) => syntheticAnswers(questionnaire, 1000 + i))
const answerCounts = answerSets.map((answers) => Object.keys(answers).length)
const questionCount = questionnaire.sections.reduce((sum, section) => sum + section.questions.length, 0)

let sink = 0 // keeps the results alive so nothing is optimised away
/** Time per answer (ms) over one sample. */
function run(questionnaires: (i: number) => Questionnaire): number {
  let answers = 0
  const start = performance.now()
  for (let i = 0; i < ASSESSMENTS_PER_SAMPLE; i++) {
    answers += answerCounts[i % ANSWER_SETS]
    const result = scoreAssessment({ questionnaires: [questionnaires(i)], clauses, answers: answerSets[i % ANSWER_SETS], inherentTier: ((i % 4) + 1) as 1 | 2 | 3 | 4 })
    sink += result.score ?? 0
  }
  return (performance.now() - start) / answers
}

// What a typical result looks like, so the data is shown to be realistic.
const example = scoreAssessment({ questionnaires: [questionnaire], clauses, answers: answerSets[0], inherentTier: 2 })
const meanAnswers = answerCounts.reduce((a, b) => a + b, 0) / ANSWER_SETS
console.log(`Synthetic assessment: ${questionCount} questions in ${questionnaire.sections.length} sections, ${clauses.length} clauses, ${ANSWER_SETS} answer sets of ${Math.min(...answerCounts)}–${Math.max(...answerCounts)} answers (mean ${meanAnswers.toFixed(1)})`)
console.log(`  example: score ${example.score}, residual ${example.residualRisk}, counts ${JSON.stringify(example.counts)}, gaps ${example.gaps.length}, hidden answers ignored ${example.ignoredHiddenAnswers.length}`)

// Node runs this on one core; other processes on the machine slow it down, so say how busy it was.
console.log(`  load average ${loadavg()[0].toFixed(1)} on ${cpus().length} cores (figures fall when the machine is busy)`)

for (let i = 0; i < 5; i++) run(() => questionnaire) // warm-up (JIT)

// The cold copies are made before the timing; collecting garbage twice moves them out of the young
// generation, so the timing measures scoring rather than the copying of freshly made copies.
setFlagsFromString('--expose-gc')
const collectGarbage = runInNewContext('gc') as () => void

const warm: number[] = []
const cold: number[] = []
for (let sample = 0; sample < SAMPLES; sample++) {
  warm.push(run(() => questionnaire))
  const copies = Array.from({ length: ASSESSMENTS_PER_SAMPLE }, () => structuredClone(questionnaire)) // built outside the timing
  collectGarbage()
  collectGarbage()
  cold.push(run((i) => copies[i]))
}

for (const [label, samples] of [['warm (cached questionnaire index)', warm], ['cold (index built every time)', cold]] as const) {
  const msPerAnswer = median(samples)
  const perSecond = 1000 / msPerAnswer
  const best = 1000 / Math.min(...samples)
  console.log(
    `${label}: median ${(msPerAnswer * meanAnswers * 1000).toFixed(1)} µs per assessment over ${SAMPLES} samples of ${ASSESSMENTS_PER_SAMPLE}` +
      ` → ${Math.round(perSecond).toLocaleString('en')} answers/s (${(perSecond / GOAL).toFixed(1)}× the goal of ${GOAL.toLocaleString('en')});` +
      ` best sample ${Math.round(best).toLocaleString('en')} answers/s`,
  )
}
const warmPerSecond = 1000 / median(warm)
console.log(`Goal (${GOAL.toLocaleString('en')} answers/s, warm median — the normal case: the library keeps each questionnaire for the life of the process): ${warmPerSecond >= GOAL ? 'met' : 'NOT met'}`)
if (sink === Number.NEGATIVE_INFINITY) console.log(sink)
