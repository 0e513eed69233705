import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { readVsaq, stripLicence, type VsaqFile } from '~/modules/library/formats/vsaq'

const fixture = (name: string): VsaqFile => ({ name, text: readFileSync(path.resolve(__dirname, '../fixtures/vsaq', name), 'utf8') })
const target = { id: 'acme', kind: 'supplement' as const }
const file = (items: unknown[], name = 'q.json'): VsaqFile => ({ name, text: JSON.stringify({ questionnaire: [{ type: 'block', id: 'main', text: 'Main', items }] }) })
type Content = { sections: { id: string; questions: { id: string; showWhen?: unknown }[] }[] }
const contentOf = (read: ReturnType<typeof readVsaq>) => {
  if (!read.ok) throw new Error(JSON.stringify(read.problems))
  return read.content as unknown as Content
}

describe('reading VSAQ files', () => {
  it('drops the leading licence comment lines only', () => {
    expect(stripLicence('\n// Copyright\n//\n\n{"a": "// kept"}\n// kept too')).toBe('{"a": "// kept"}\n// kept too')
  })

  it('reads the fixture with its extension: sections in order, conditions as visibility rules', () => {
    const content = contentOf(readVsaq([fixture('vendor-security.json'), fixture('vendor-security-extension.json')], target))
    expect(content.sections.map((section) => section.id)).toEqual(['block-general', 'block-data', 'bank-block-outsourcing', 'block-incidents'])
    const rules = Object.fromEntries(content.sections.flatMap((section) => section.questions).filter((question) => question.showWhen).map((question) => [question.id, question.showWhen]))
    expect(rules).toEqual({
      'ACME-ENCRYPTION': { question: 'ACME-STORES-DATA', anyOf: ['yes'] },
      'ACME-ENCRYPTION-GAP': { question: 'ACME-ENCRYPTION', anyOf: ['some', 'none'] },
      'ACME-LOCATIONS': { question: 'ACME-STORES-DATA', anyOf: ['yes'] },
      'ACME-DATA-FLOW': { question: 'ACME-LOCATIONS', anyOf: ['loc_hk', 'loc_other'] },
      'ACME-BANK-SUBCONTRACTOR-NAMES': { question: 'ACME-BANK-SUBCONTRACTORS', anyOf: ['yes'] },
      'ACME-INCIDENT-PLAN': { question: 'ACME-STORES-DATA', anyOf: ['yes'] },
    })
  })

  it('inserts before an item, and places a problem of the content at the item it came from', () => {
    const extension = { name: 'x.json', text: JSON.stringify({ namespace: 'ns', extensions: [{ type: 'line', id: 'first', text: 'First', insertBefore: 'a' }] }) }
    const read = readVsaq([file([{ type: 'line', id: 'a', text: 'A' }]), extension], target)
    const content = contentOf(read)
    expect(content.sections[0]!.questions.map((question) => question.id)).toEqual(['ACME-NS-FIRST', 'ACME-A'])
    expect(read.ok && read.placeOf(['sections', 0, 'questions', 0, 'text', 'en'])).toEqual({ item: 'ns:first' })
    expect(read.ok && read.placeOf(['sections', 0])).toEqual({ item: 'main' })
  })

  it('keeps a condition inside a conditional block when it names a question of that block', () => {
    const content = contentOf(
      readVsaq([file([{ type: 'yesno', id: 'a', text: 'A?' }, { type: 'block', id: 'inner', text: 'Inner', cond: 'a', items: [{ type: 'yesno', id: 'c', text: 'C?' }, { type: 'line', id: 'd', text: 'D', cond: 'c/no' }] }])], target),
    )
    expect(content.sections[1]!.questions).toMatchObject([
      { id: 'ACME-C', showWhen: { question: 'ACME-A', anyOf: ['yes'] } },
      { id: 'ACME-D', showWhen: { question: 'ACME-C', anyOf: ['no'] } },
    ])
  })

  it('joins the "…" + "…" strings of the shipped files', () => {
    const text = '{"questionnaire": [{"type": "line", "id": "a", "text": "One, " +\n   "two \\"quoted\\" + kept"}]}'
    const content = contentOf(readVsaq([{ name: 'q.json', text }], target))
    expect(content.sections[0]!.questions[0]).toMatchObject({ text: { en: 'One, two "quoted" + kept' } })
  })

  it.each<[string, VsaqFile[], unknown[]]>([
    ['an item not an object', [file(['text'])], [{ place: { item: 'q.json: questionnaire[0].items[0]' }, code: 'notAnItem' }]],
    ['an item without a type', [file([{ id: 'x', text: 'X' }])], [{ place: { item: 'x' }, code: 'unknownType', params: { type: '' } }]],
    ['a checkgroup without choices', [file([{ type: 'checkgroup', id: 'g', text: 'G' }])], [{ place: { item: 'g' }, code: 'badChoices' }]],
    ['a question without text', [file([{ type: 'line', id: 'silent' }])], [{ place: { item: 'silent' }, code: 'missingText', params: { type: 'line' } }]],
    ['extensions only', [{ name: 'x.json', text: '{"extensions": []}' }], [{ place: { item: 'x.json' }, code: 'noBase' }]],
    ['another JSON document', [{ name: 'y.json', text: '{"items": []}' }], [{ place: { item: 'y.json' }, code: 'notVsaq' }]],
    ['an extension naming no item', [file([{ type: 'line', id: 'a', text: 'A' }]), { name: 'x.json', text: '{"extensions": [{"type": "line", "id": "b", "text": "B", "insertAfter": "nowhere"}]}' }], [{ place: { item: 'b' }, code: 'insertTargetMissing', params: { id: 'nowhere' } }]],
    [
      'a condition on a question and on its block',
      [file([{ type: 'yesno', id: 'a', text: 'A?' }, { type: 'block', id: 'inner', text: 'Inner', cond: 'a', items: [{ type: 'line', id: 'b', text: 'B', cond: 'a/no' }] }])],
      [{ place: { item: 'b' }, code: 'condAndBlock', params: { block: 'inner' } }],
    ],
    [
      "a block's broken condition, once",
      [file([{ type: 'block', id: 'inner', text: 'Inner', cond: '(a', items: [{ type: 'line', id: 'b', text: 'B' }, { type: 'line', id: 'c', text: 'C' }] }])],
      [{ place: { item: 'inner' }, code: 'condSyntax', params: { at: 3, cond: '(a' } }],
    ],
    ['a condition on a text answer', [file([{ type: 'line', id: 'a', text: 'A' }, { type: 'line', id: 'b', text: 'B', cond: 'a' }])], [{ place: { item: 'b' }, code: 'condNotChoice', params: { id: 'a', cond: 'a' } }]],
    ['a tip naming no item', [file([{ type: 'line', id: 'a', text: 'A' }, { type: 'tip', id: 't', text: 'T', cond: 'ghost' }])], [{ place: { item: 't' }, code: 'condUnknownId', params: { id: 'ghost', cond: 'ghost' } }]],
  ])('refuses %s, naming the item', (_label, files, problems) => {
    expect(readVsaq(files, target)).toEqual({ ok: false, problems })
  })
})
