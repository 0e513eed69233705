// "What changed since last time": answers by value (order of a multiple choice does not matter),
// clauses whose status moved, the score delta and the direction of the residual risk.
import { describe, expect, it } from 'vitest'
import { compareAnswers, compareClauses, riskMovement, scoreDelta } from '~/modules/review/diff'

describe('changes since the last assessment', () => {
  it('compares answers by value', () => {
    const changes = compareAnswers(
      ['A-01', 'A-02', 'A-03', 'A-04', 'A-05', 'A-06'],
      { 'A-01': { value: 'yes' }, 'A-02': { value: ['b', 'a'] }, 'A-03': { value: 'no' }, 'A-04': { value: 3 }, 'A-06': { value: 'yes', comment: 'new note' } },
      { 'A-01': { value: 'yes' }, 'A-02': { value: ['a', 'b'] }, 'A-03': { value: 'yes' }, 'A-05': { value: 'x' }, 'A-06': { value: 'yes' } },
    )
    expect(changes).toEqual({ 'A-01': 'unchanged', 'A-02': 'unchanged', 'A-03': 'changed', 'A-04': 'new', 'A-05': 'removed', 'A-06': 'unchanged' })
  })

  it('lists clauses whose status changed, including ones that joined or left the contract', () => {
    expect(
      compareClauses(
        [{ clauseId: 'C-01', status: 'meets' }, { clauseId: 'C-02', status: 'fails' }, { clauseId: 'C-03', status: 'meets' }],
        [{ clauseId: 'C-01', status: 'meets' }, { clauseId: 'C-02', status: 'partial' }, { clauseId: 'C-04', status: 'fails' }],
      ),
    ).toEqual([
      { clauseId: 'C-02', before: 'partial', after: 'fails' },
      { clauseId: 'C-03', before: null, after: 'meets' },
      { clauseId: 'C-04', before: 'fails', after: null },
    ])
  })

  it('gives the score delta and the risk movement', () => {
    expect(scoreDelta(72.3, 80)).toBe(-7.7)
    expect(scoreDelta(null, 80)).toBeNull()
    expect(riskMovement('medium', 'high')).toBe('better')
    expect(riskMovement('critical', 'high')).toBe('worse')
    expect(riskMovement('low', 'low')).toBe('same')
  })
})
