import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  getClause,
  getClauseLibrary,
  getContractTemplate,
  getQuestionnaire,
  latestQuestionnaire,
  listQuestionnaires,
  questionsBearingOn,
  reloadLibrary,
} from '~/modules/library/library.server'
import { compareVersions } from '~/modules/library/catalog'

// The loader's interface, on the small fixture set (the shipped content has its own test).
beforeAll(() => {
  reloadLibrary(path.resolve('test/fixtures/questionnaires/valid'))
})

describe('the library interface', () => {
  it('lists every version, baselines first and newest first, marking the latest', () => {
    expect(listQuestionnaires().map(({ id, version, kind, latest, proposedFor, questionCount, sectionCount }) => ({ id, version, kind, latest, proposedFor, questionCount, sectionCount }))).toEqual([
      { id: 'baseline', version: 2, kind: 'baseline', latest: true, proposedFor: [], questionCount: 8, sectionCount: 2 },
      { id: 'baseline', version: 1, kind: 'baseline', latest: false, proposedFor: [], questionCount: 2, sectionCount: 2 },
      { id: 'payment', version: 1, kind: 'supplement', latest: true, proposedFor: ['payment_platform'], questionCount: 2, sectionCount: 1 },
    ])
  })

  it('keeps old versions loadable and finds the latest', () => {
    expect(getQuestionnaire('baseline', 1).sections[1]!.questions[0]!.options!.map((option) => option.id)).toEqual(['all', 'none'])
    expect(latestQuestionnaire('baseline').version).toBe(2)
    expect(() => getQuestionnaire('baseline', 3)).toThrow('unknown questionnaire baseline version 3')
    expect(() => latestQuestionnaire('nope')).toThrow('unknown questionnaire nope')
  })

  it('gives clauses and templates', () => {
    expect(getClauseLibrary().clauses).toHaveLength(4)
    expect(getClause('PRIV-01')).toMatchObject({ severity: 'critical', knockOut: true, sources: ['PIPL Art. 21', 'GDPR Art. 28(3)(a)'] })
    expect(getClause('NOPE-01')).toBeUndefined()
    expect(getContractTemplate('payment_platform').clauses).toEqual(['PRIV-01', 'SEC-01', 'INC-01', 'PCI-01'])
    expect(getContractTemplate('other').title.en).toBe('Personal information processing agreement')
  })

  it('says which questions of the latest versions bear on a clause', () => {
    const bearings = questionsBearingOn('INC-01')
    // baseline v1's SEC-01 "none" also mapped INC-01, but v1 is no longer the latest.
    expect(bearings.map((bearing) => `${bearing.questionnaireId}@${bearing.version}/${bearing.questionId}`)).toEqual(['baseline@2/SEC-02'])
    expect(bearings[0]!.effects.map((effect) => `${effect.optionId}:${effect.effect}`)).toEqual(['phone:meets', 'email:partial', 'none:fails'])
  })

  it('shares the content read-only', () => {
    const clause = getClause('PRIV-01')!
    expect(() => {
      ;(clause as { severity: string }).severity = 'low'
    }).toThrow(TypeError)
    expect(getClause('PRIV-01')!.severity).toBe('critical')
  })

  it('shows what changed between versions', () => {
    expect(compareVersions(getQuestionnaire('baseline', 1), getQuestionnaire('baseline', 2))).toEqual({
      added: ['GOV-02', 'GOV-03', 'GOV-04', 'GOV-05', 'SEC-02', 'SEC-03'],
      removed: [],
      changed: ['GOV-01', 'SEC-01'],
    })
  })
})
