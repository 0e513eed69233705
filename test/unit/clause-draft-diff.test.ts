import { describe, expect, it } from 'vitest'
import { clauseDifferences, hasClauseDifferences } from '~/modules/library/clause-draft-diff'
import type { Clause, ContractTemplate } from '~/modules/library/content-schema'
import { readClauseLibraryWorkbook } from '~/modules/library/formats/clause-workbook-import'
import { CLAUSE_COLUMNS, TEMPLATE_COLUMNS } from '~/modules/library/formats/workbook-layout'

const clause = (id: string, overrides: Partial<Clause> = {}): Clause => ({
  id,
  title: { 'zh-CN': '标题', en: 'Title' },
  text: { 'zh-CN': '正文', en: 'Text' },
  severity: 'medium',
  knockOut: false,
  sources: ['PIPL Art. 21'],
  ...overrides,
})
const template = (clauses: string[], en = 'Template'): ContractTemplate => ({ category: 'cloud_it', title: { 'zh-CN': '模板', en }, clauses })

describe('clause-library draft differences', () => {
  it('names clauses added, removed and changed by field, and changed templates', () => {
    const before = { clauseLibrary: { version: 1, clauses: [clause('A-01'), clause('B-01'), clause('C-01')] }, templates: [template(['A-01', 'B-01'])] }
    const after = {
      clauseLibrary: { version: 2, clauses: [clause('A-01', { severity: 'high', title: { 'zh-CN': '标题', en: 'New title' } }), clause('C-01'), clause('D-01')] },
      templates: [template(['A-01', 'D-01'])],
    }
    expect(clauseDifferences(before, after)).toEqual({
      added: ['D-01'],
      removed: ['B-01'],
      changed: [{ id: 'A-01', fields: ['title', 'severity'] }],
      templates: [{ category: 'cloud_it', fields: ['clauses'] }],
    })
    expect(hasClauseDifferences(clauseDifferences(before, before))).toBe(false)
  })

  it('reads the Clauses and Templates sheets and places a bad knock-out cell', () => {
    const rows = new Map([
      ['Clauses', [[...CLAUSE_COLUMNS], ['A-01', 'high', 'maybe', '标题', 'Title', '正文', 'Text', 'PIPL Art. 21, PIPL Art. 22']]],
      ['Templates', [[...TEMPLATE_COLUMNS], ['cloud_it', '模板', 'Template', 'A-01']]],
    ])
    expect(readClauseLibraryWorkbook(rows)).toEqual({ ok: false, problems: [{ place: { sheet: 'Clauses', row: 2, column: 'C' }, code: 'notBoolean', params: { value: 'maybe' } }] })
    rows.get('Clauses')![1]![2] = 'TRUE'
    const read = readClauseLibraryWorkbook(rows)
    expect(read.ok && read.clauses).toEqual([{ id: 'A-01', severity: 'high', knockOut: true, title: { 'zh-CN': '标题', en: 'Title' }, text: { 'zh-CN': '正文', en: 'Text' }, sources: ['PIPL Art. 21', 'PIPL Art. 22'] }])
    expect(read.ok && read.templates).toEqual([{ category: 'cloud_it', title: { 'zh-CN': '模板', en: 'Template' }, clauses: ['A-01'] }])
    expect(readClauseLibraryWorkbook(new Map([['Clauses', [[...CLAUSE_COLUMNS]]]]))).toMatchObject({ ok: false, problems: [{ code: 'missingSheet', params: { sheet: 'Templates' } }] })
  })
})
