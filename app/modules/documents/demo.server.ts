// Demo documents: the evidence files the earlier demo steps attached get a kind and dates, so the
// demo vendors have documents that are valid, about to expire and expired (one update per assessment).
import { listAllAnswers, setDemoFields } from '~/modules/assessments/assessment-store.server'
import { recomputeScore } from '~/modules/review/score.server'
import type { DocumentKind } from './documents'
import { institutionToday } from './documents.server'
import { addDaysTo } from '~/modules/dates/dates'

type Log = (line: string) => void

/** Kind, issued (days from today) and expiry (days from today; null: none), in turn per file. */
const PLAN: [DocumentKind, number, number | null][] = [
  ['iso27001_certificate', -300, 795], // valid for years
  ['pci_dss_aoc', -353, 12], // expires in 12 days: inside the reminder period
  ['pentest_report', -380, -15], // expired two weeks ago
  ['soc2_type2_report', -60, 305],
  ['dpa', -500, null],
  ['mlps_report', -340, 25], // expires in 25 days
  ['business_licence', -2000, null],
]

const dayFrom = addDaysTo

export async function seedDocumentsDemo(log: Log) {
  const today = institutionToday()
  const assessments = await listAllAnswers()
  let turn = 0
  let documents = 0
  for (const assessment of assessments) {
    const set: Record<string, string> = {}
    const answers = Object.entries(assessment.answers ?? {})
    for (const [questionId, answer] of answers) {
      ;(answer?.evidence ?? []).forEach((_file, index) => {
        const [kind, issued, expires] = PLAN[turn++ % PLAN.length]!
        const path = `answers.${questionId}.evidence.${index}`
        set[`${path}.kind`] = kind
        set[`${path}.issuedOn`] = dayFrom(today, issued)
        if (expires !== null) set[`${path}.expiresOn`] = dayFrom(today, expires)
        documents++
      })
    }
    if (Object.keys(set).length === 0) continue
    await setDemoFields(assessment._id, set)
    // A score stored before the documents had dates would say an expired one still counts.
    // (recomputeScore leaves signed-off and cancelled assessments as they are.)
    await recomputeScore(String(assessment._id))
  }
  log(`[clausewise] demo documents: ${documents} with kinds and validity`)
}
