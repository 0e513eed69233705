// Progress that does not mislead: a question whose answer needs evidence is not done until the file
// is there — overall and in its section — and the total says how much conditional questions may add.
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { progressOf } from '~/modules/assessments/questions'
import { loadLibrary } from '~/modules/library/library.server'
import type { Questionnaire } from '~/modules/library/content-schema'

let questionnaires: Questionnaire[]
beforeAll(() => {
  questionnaires = loadLibrary(path.resolve(__dirname, '../fixtures/portal-questionnaires')).latest
})

const complete = {
  'GOV-01': { value: 'yes', evidence: [{}] },
  'GOV-03': { value: 12 },
  'GOV-04': { value: '2025-03-01' },
  'SEC-01': { value: 'all' },
  'SEC-02': { value: ['email'] },
  'PAY-01': { value: 'no' },
}
const section = (progress: ReturnType<typeof progressOf>, id: string) => progress.sections.find((entry) => entry.sectionId === id)!

describe('progress', () => {
  it('is 100% with every section complete only when the answers and their evidence are all there', () => {
    const progress = progressOf(questionnaires, complete)
    expect(progress).toMatchObject({ percent: 100, missing: [], missingEvidence: [] })
    expect(progress.answered).toBe(progress.required)
    for (const entry of progress.sections) expect(entry.done).toBe(entry.total)
  })

  it('counts an answer without its required evidence as not done, overall and in its section', () => {
    const progress = progressOf(questionnaires, { ...complete, 'GOV-01': { value: 'yes', evidence: [] } })
    expect(progress.missing).toEqual([])
    expect(progress.missingEvidence).toEqual(['GOV-01'])
    expect(progress.percent).toBeLessThan(100)
    expect(progress.answered).toBe(progress.required - 1)
    const governance = section(progress, 'governance')
    expect(governance.done).toBe(governance.total - 1)
    expect(governance.missingEvidence).toEqual(['GOV-01'])
    expect(section(progress, 'security').done).toBe(section(progress, 'security').total)
  })

  it('counts an optional answer that calls for evidence until the file is attached', () => {
    const without = progressOf(questionnaires, { ...complete, 'PAY-01': { value: 'yes', evidence: [] }, 'PAY-02': { value: '2025-02-01' } })
    expect(without.missingEvidence).toEqual(['PAY-01'])
    expect(section(without, 'pci')).toMatchObject({ missingEvidence: ['PAY-01'] })
    expect(section(without, 'pci').done).toBeLessThan(section(without, 'pci').total)
  })

  it('says how many required questions may still appear, and the total never grows past that', () => {
    const empty = progressOf(questionnaires, {})
    expect(empty.mayAppear).toBeGreaterThan(0) // PAY-02 is hidden until PAY-01 is "yes"
    const revealed = progressOf(questionnaires, { 'PAY-01': { value: 'yes', evidence: [{}] } })
    expect(revealed.required).toBeLessThanOrEqual(empty.required + empty.mayAppear)
    expect(revealed.mayAppear).toBe(empty.mayAppear - 1)
    // The sections add up to the whole.
    for (const progress of [empty, revealed]) {
      expect(progress.sections.reduce((sum, entry) => sum + entry.total, 0)).toBe(progress.required)
      expect(progress.sections.reduce((sum, entry) => sum + entry.done, 0)).toBe(progress.answered)
      expect(progress.sections.reduce((sum, entry) => sum + entry.mayAppear, 0)).toBe(progress.mayAppear)
    }
  })
})
