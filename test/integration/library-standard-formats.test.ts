// Standard questionnaire formats imported as drafts: a VSAQ questionnaire written for these tests
// (every item type, an extension file with a namespace and insertAfter, conditions) and a CAIQ-style
// sheet built here with exceljs, through the real drafts store and the drafts page's action.
// Every bad input is a 4xx naming its place, with nothing stored.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import ExcelJS from 'exceljs'
import { beforeAll, describe, expect, it } from 'vitest'
import { LibraryDraftModel } from '~models/library-draft'
import { AuditEventModel } from '~models/audit-event'
import { createUserSession, type SessionUser } from '~/modules/auth/session.server'
import { translatorFor } from '~/i18n/i18n.server'
import type { Question } from '~/modules/library/content-schema'
import { differencesOf, getDraft, importDraft, publishDraft } from '~/modules/library/drafts.server'
import { importUploadedDraft } from '~/modules/library/formats/import-standard-draft.server'
import { readVsaq } from '~/modules/library/formats/vsaq'
import { library, reloadLibrary } from '~/modules/library/library.server'
import { action } from '~/routes/library.drafts._index'
import { loader as exportDraft } from '~/routes/library.drafts.$draftId.export[.xlsx]'
import { readQuestionnaireWorkbook } from '~/modules/library/formats/workbook-import'
import { sheetRowsOf } from '~/modules/library/formats/workbook-rows.server'
import { readWorkbook } from '~/modules/spreadsheets/read-workbook.server'
import { staffUser } from '../fixtures/vendors'

const FIXTURES = path.resolve(__dirname, '../fixtures/vsaq')
const vsaqFile = (name: string) => ({ name, bytes: new Uint8Array(readFileSync(path.join(FIXTURES, name))) })
const BASE = vsaqFile('vendor-security.json')
const EXTENSION = vsaqFile('vendor-security-extension.json')
const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value))

let uploader: SessionUser
let reviewer: SessionUser

beforeAll(async () => {
  reloadLibrary()
  uploader = await staffUser('compliance')
  reviewer = await staffUser('admin')
})

const questionsOf = (draft: { questionnaire: { sections: { questions: Question[] }[] } }) => new Map(draft.questionnaire.sections.flatMap((section) => section.questions).map((question) => [question.id, question]))

async function caiqWorkbook(rows: (string | null)[][]): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook()
  const sheet = workbook.addWorksheet('CAIQv4.0.3')
  sheet.addRow(['Consensus Assessments Initiative Questionnaire v4.0.3'])
  sheet.addRow([])
  sheet.addRow(['Question ID', 'Question', 'CSP CAIQ Answer', 'SSRM Control Ownership', 'CCM Control ID', 'CCM Control Title', 'CCM Domain Title'])
  for (const row of rows) sheet.addRow(row)
  return new Uint8Array(await workbook.xlsx.writeBuffer())
}

describe('VSAQ questionnaires', () => {
  it('import with their extension as a new questionnaire: every item type, the right visibility, tips as suggestions', async () => {
    const t = await translatorFor('en', 'library')
    const result = await importUploadedDraft(uploader, [BASE, EXTENSION], { format: 'auto', questionnaireId: 'vendor-security' }, t)
    expect(result).toMatchObject({ ok: true })
    if (!result.ok) return
    const draft = (await getDraft(result.draftId))!
    expect(draft).toMatchObject({ source: 'vsaq', questionnaireId: 'vendor-security', version: 1, basedOn: undefined, state: 'draft' })
    // Blocks are sections; the extension block comes right after the block it names.
    expect(draft.questionnaire.sections.map((section) => section.id)).toEqual(['block-general', 'block-data', 'bank-block-outsourcing', 'block-incidents'])
    const questions = questionsOf(draft)
    const q = (id: string) => questions.get(`VENDOR-SECURITY-${id}`)!
    expect([...questions.keys()].map((id) => [id.replace('VENDOR-SECURITY-', ''), questions.get(id)!.kind])).toEqual([
      ['CONTACT-NAME', 'short_text'],
      ['SERVICE-SUMMARY', 'long_text'],
      ['STORES-DATA', 'single_choice'],
      ['ENCRYPTION', 'single_choice'],
      ['ENCRYPTION-GAP', 'short_text'],
      ['LOCATIONS', 'multi_choice'],
      ['DATA-FLOW', 'file'],
      ['BANK-SUBCONTRACTORS', 'single_choice'],
      ['BANK-SUBCONTRACTOR-NAMES', 'short_text'],
      ['INCIDENT-PLAN', 'single_choice'],
    ])
    // info: the next question's help, or its text when it has none; the block's last info its description.
    expect(q('CONTACT-NAME')).toMatchObject({ required: true, help: { en: 'Tell us who answers this questionnaire.' } })
    expect(q('ENCRYPTION').text.en).toBe('How is the data encrypted at rest?')
    expect(draft.questionnaire.sections[3]!.description?.en).toBe('Incidents are notified to the bank within 24 hours.')
    // English only: both languages hold the English text until translated; the usual Yes/No keep theirs.
    expect(q('ENCRYPTION-GAP').text).toEqual({ 'zh-CN': 'Which stores are not encrypted?', en: 'Which stores are not encrypted?' })
    expect(q('BANK-SUBCONTRACTORS').options!.map((option) => option.label)).toEqual([
      { 'zh-CN': '是', en: 'Yes' },
      { 'zh-CN': '否', en: 'No' },
    ])
    expect(q('STORES-DATA').options!.map((option) => [option.id, option.label.en])).toEqual([
      ['yes', 'Yes, we store it'],
      ['no', 'No'],
    ])
    expect(q('ENCRYPTION').options!.map((option) => option.id)).toEqual(['always', 'some', 'none'])
    expect(q('DATA-FLOW').evidence).toEqual({ requiredWhen: 'always' })
    // cond → showWhen.
    expect(q('CONTACT-NAME').showWhen).toBeUndefined()
    expect(q('ENCRYPTION').showWhen).toEqual({ question: 'VENDOR-SECURITY-STORES-DATA', anyOf: ['yes'] })
    expect(q('ENCRYPTION-GAP').showWhen).toEqual({ question: 'VENDOR-SECURITY-ENCRYPTION', anyOf: ['some', 'none'] })
    expect(q('LOCATIONS').showWhen).toEqual({ question: 'VENDOR-SECURITY-STORES-DATA', anyOf: ['yes'] }) // !stores_data/no
    expect(q('DATA-FLOW').showWhen).toEqual({ question: 'VENDOR-SECURITY-LOCATIONS', anyOf: ['loc_hk', 'loc_other'] })
    expect(q('BANK-SUBCONTRACTOR-NAMES').showWhen).toEqual({ question: 'VENDOR-SECURITY-BANK-SUBCONTRACTORS', anyOf: ['yes'] })
    expect(q('INCIDENT-PLAN').showWhen).toEqual({ question: 'VENDOR-SECURITY-STORES-DATA', anyOf: ['yes'] }) // the block's cond
    // tips → suggestions for the reviewer, on the answers their condition names.
    expect(draft.suggestions).toEqual([
      { sourceId: 'encryption_tip', questionId: 'VENDOR-SECURITY-ENCRYPTION', optionIds: ['some', 'none'], text: '[high] Data at rest should be encrypted.' },
      { sourceId: 'transfer_tip', questionId: 'VENDOR-SECURITY-LOCATIONS', optionIds: ['loc_other'], text: 'Cross-border transfer needs a PIPL assessment.' },
      { sourceId: 'plan_tip', questionId: 'VENDOR-SECURITY-INCIDENT-PLAN', optionIds: ['no'], text: 'An incident response plan is expected.' },
    ])
    // Unmapped questions are allowed in a draft; publishing asks for the clause mappings.
    const published = await publishDraft(reviewer, result.draftId)
    expect(published).toMatchObject({ ok: false, refusal: 'invalid' })
    expect(!published.ok && published.problems?.some((problem) => problem.code.endsWith('unmapped') && problem.params?.id === 'VENDOR-SECURITY-STORES-DATA')).toBe(true)
  })

  it('refuses to replace a questionnaire whose clauses it would leave uncovered, storing nothing', async () => {
    const latest = library().latest.find((questionnaire) => questionnaire.id === 'baseline')!
    const read = readVsaq([{ name: 'vendor-security.json', text: new TextDecoder().decode(BASE.bytes) }], { id: 'baseline', kind: latest.kind, title: latest.title, description: latest.description })
    expect(read.ok).toBe(true)
    if (!read.ok) return
    const before = await LibraryDraftModel.countDocuments()
    const result = await importDraft(uploader, { source: 'vsaq', content: read.content, placeOf: read.placeOf, suggestions: read.suggestions })
    expect(result.ok).toBe(false)
    expect(!result.ok && result.problems.some((problem) => problem.code.endsWith('clauseNotCovered') && problem.params?.clause === 'GOV-ACCT-01')).toBe(true)
    expect(await LibraryDraftModel.countDocuments()).toBe(before)
  })

  it('imports through importDraft as the next version of a questionnaire once published with its clause mappings', async () => {
    // v1: the VSAQ draft, its scored questions mapped by the reviewer (as a workbook edit does), published by a second person.
    const read = readVsaq([BASE, EXTENSION].map((file) => ({ name: file.name, text: new TextDecoder().decode(file.bytes) })), { id: 'vendor-mapped', kind: 'supplement' })
    if (!read.ok) throw new Error(JSON.stringify(read.problems))
    const mapped = structuredClone(read.content) as { sections: { questions: { options?: { clauses: unknown[] }[] }[] }[] }
    for (const question of mapped.sections.flatMap((section) => section.questions)) for (const option of question.options ?? []) option.clauses = [{ clause: 'SEC-ACCESS-01', effect: 'meets' }]
    const first = await importDraft(uploader, { source: 'workbook', content: mapped })
    if (!first.ok) throw new Error(JSON.stringify(first.problems))
    expect(await publishDraft(reviewer, first.draftId)).toEqual({ ok: true, version: 1 })

    const t = await translatorFor('en', 'library')
    const result = await importUploadedDraft(uploader, [BASE], { format: 'vsaq', questionnaireId: 'vendor-mapped' }, t)
    if (!result.ok) throw new Error(JSON.stringify(result.problems))
    const draft = (await getDraft(result.draftId))!
    expect(draft).toMatchObject({ version: 2, basedOn: 1, source: 'vsaq', questionnaire: { kind: 'supplement' } })
    const differences = differencesOf(draft)
    // Without the extension its two questions are removed; the mappings are the reviewer's to redo.
    expect(differences.removed).toEqual(['VENDOR-MAPPED-BANK-SUBCONTRACTORS', 'VENDOR-MAPPED-BANK-SUBCONTRACTOR-NAMES'])
    expect(differences.mappings.find((mapping) => mapping.questionId === 'VENDOR-MAPPED-STORES-DATA' && mapping.optionId === 'yes')).toEqual({
      questionId: 'VENDOR-MAPPED-STORES-DATA',
      optionId: 'yes',
      before: [{ clause: 'SEC-ACCESS-01', effect: 'meets' }],
      after: [],
    })
  })

  it('downloads a draft as a workbook whose upload is the same next version, for mapping and translating', async () => {
    const t = await translatorFor('en', 'library')
    const imported = await importUploadedDraft(uploader, [BASE], { format: 'vsaq', questionnaireId: 'vendor-roundtrip' }, t)
    if (!imported.ok) throw new Error(JSON.stringify(imported.problems))
    const cookie = (await createUserSession(new Request('http://127.0.0.1/login'), reviewer.id, '/')).headers.get('Set-Cookie')!.split(';')[0]!
    const response = await exportDraft({ request: new Request(`http://127.0.0.1/library/drafts/${imported.draftId}/export.xlsx`, { headers: { Cookie: cookie } }), params: { draftId: imported.draftId }, context: {} })
    const read = readQuestionnaireWorkbook(sheetRowsOf(await readWorkbook(new Uint8Array(await response.arrayBuffer()))))
    if (!read.ok) throw new Error(JSON.stringify(read.problems))
    const again = await importDraft(reviewer, { source: 'workbook', content: read.content, locator: read.locator })
    if (!again.ok) throw new Error(JSON.stringify(again.problems))
    const [first, second] = [(await getDraft(imported.draftId))!, (await getDraft(again.draftId))!]
    expect(second.version).toBe(first.version)
    expect(second.questionnaire.sections).toEqual(first.questionnaire.sections)
  })

  it('reports a problem the validator finds at the VSAQ item it came from', async () => {
    const t = await translatorFor('en', 'library')
    // A condition naming a later question is valid VSAQ but not a valid visibility rule.
    const file = { questionnaire: [{ type: 'block', id: 'b', text: 'B', items: [{ type: 'line', id: 'early', text: 'Early', cond: 'late' }, { type: 'yesno', id: 'late', text: 'Late?' }] }] }
    const result = await importUploadedDraft(uploader, [{ name: 'forward.json', bytes: encode(file) }], { format: 'vsaq', questionnaireId: 'forward-ref' }, t)
    expect(result).toEqual({ ok: false, problems: [expect.objectContaining({ item: 'early', reason: expect.stringContaining('comes at or after this question') })] })
  })
})

describe('CAIQ-style sheets', () => {
  it('import with domains as sections, yes/no/na questions and control ids as suggestions', async () => {
    const t = await translatorFor('en', 'library')
    const bytes = await caiqWorkbook([
      ['A&A-01.1', 'Are audit and assurance policies established and documented?', 'Yes', 'Shared', 'A&A-01', 'Audit and Assurance Policy and Procedures', 'Audit & Assurance'],
      ['A&A-02.1', 'Are independent audits performed at least annually?', null, null, 'A&A-02', 'Independent Assessments', null],
      ['DSP-01.1', 'Are data security policies established?', 'NA', 'CSP-owned', 'DSP-01', 'Security and Privacy Policy', 'Data Security and Privacy'],
    ])
    const result = await importUploadedDraft(uploader, [{ name: 'caiq.xlsx', bytes }], { format: 'auto', questionnaireId: 'cloud-security' }, t)
    expect(result).toMatchObject({ ok: true })
    if (!result.ok) return
    const draft = (await getDraft(result.draftId))!
    expect(draft).toMatchObject({ source: 'caiq', version: 1 })
    expect(draft.questionnaire.sections.map((section) => [section.id, section.title.en, section.questions.map((question) => question.id)])).toEqual([
      ['audit-assurance', 'Audit & Assurance', ['CLOUD-SECURITY-A-A-01-1', 'CLOUD-SECURITY-A-A-02-1']],
      ['data-security-and-privacy', 'Data Security and Privacy', ['CLOUD-SECURITY-DSP-01-1']],
    ])
    const question = draft.questionnaire.sections[0]!.questions[0]!
    expect(question).toMatchObject({ kind: 'yes_no_na', text: { en: 'Are audit and assurance policies established and documented?' } })
    expect(question.options!.map((option) => option.id)).toEqual(['yes', 'no', 'na'])
    expect(draft.suggestions[0]).toEqual({ questionId: 'CLOUD-SECURITY-A-A-01-1', optionIds: ['no'], sourceId: 'A&A-01', text: 'A&A-01 — Audit and Assurance Policy and Procedures' })
  })

  it('refuses a duplicate question id and an answer that is not yes/no/na, with sheet, row and column', async () => {
    const t = await translatorFor('zh-CN', 'library')
    const bytes = await caiqWorkbook([
      ['A&A-01.1', 'Q one', 'Maybe', null, 'A&A-01', null, 'Audit'],
      ['A&A-01.1', 'Q again', 'Yes', null, 'A&A-01', null, 'Audit'],
    ])
    const before = await LibraryDraftModel.countDocuments()
    const result = await importUploadedDraft(uploader, [{ name: 'caiq.xlsx', bytes }], { format: 'caiq', questionnaireId: 'cloud-dup' }, t)
    expect(result).toEqual({
      ok: false,
      problems: [
        { sheet: 'CAIQv4.0.3', row: 4, column: 'C', reason: '“Maybe”不是 Yes、No 或 NA。' },
        { sheet: 'CAIQv4.0.3', row: 5, column: 'A', reason: '问题编号“A&A-01.1”也出现在第 4 行。' },
      ],
    })
    expect(await LibraryDraftModel.countDocuments()).toBe(before)
  })
})

describe('bad input on the drafts page', () => {
  async function cookieOf(user: SessionUser) {
    const response = await createUserSession(new Request('http://127.0.0.1/login'), user.id, '/')
    return response.headers.get('Set-Cookie')!.split(';')[0]!
  }
  async function upload(files: { name: string; bytes: Uint8Array }[], fields: Record<string, string>, locale = 'en') {
    const form = new FormData()
    for (const [name, value] of Object.entries(fields)) form.set(name, value)
    for (const file of files) form.append('workbook', new File([new Uint8Array(file.bytes)], file.name))
    const request = new Request('http://127.0.0.1/library/drafts', { method: 'POST', headers: { Cookie: await cookieOf(uploader), 'Accept-Language': locale }, body: form })
    const response = (await action({ request, params: {}, context: {} })) as unknown as { init?: { status?: number }; data?: { problems: { item?: string; reason: string }[] }; status?: number; headers?: Headers }
    return response
  }
  const vsaq = (items: unknown[]) => ({ name: 'bad.json', bytes: encode({ questionnaire: [{ type: 'block', id: 'main', text: 'Main', items }] }) })

  it.each<[string, () => { name: string; bytes: Uint8Array }, { item: string; reason: RegExp }]>([
    ['invalid UTF-8', () => ({ name: 'latin1.json', bytes: new Uint8Array([0x7b, 0x22, 0xe9, 0x22, 0x7d]) }), { item: 'latin1.json', reason: /not UTF-8 text/ }],
    ['a file over the size limit', () => ({ name: 'huge.json', bytes: new Uint8Array(2 * 1024 * 1024 + 1).fill(0x20) }), { item: 'huge.json', reason: /larger than 2 MB/ }],
    ['broken JSON', () => ({ name: 'broken.json', bytes: new TextEncoder().encode('// licence\n{"questionnaire": [') }), { item: 'broken.json', reason: /not valid JSON/ }],
    ['broken cond syntax', () => vsaq([{ type: 'yesno', id: 'a', text: 'A?' }, { type: 'line', id: 'b', text: 'B', cond: 'a &&' }]), { item: 'b', reason: /“a &&” cannot be read at character 5/ }],
    ['a cond naming no item', () => vsaq([{ type: 'line', id: 'b', text: 'B', cond: 'nobody' }]), { item: 'b', reason: /names “nobody”/ }],
    ['a cond no rule can express', () => vsaq([{ type: 'yesno', id: 'a', text: 'A?' }, { type: 'yesno', id: 'c', text: 'C?' }, { type: 'line', id: 'b', text: 'B', cond: 'a && c' }]), { item: 'b', reason: /several answers at once/ }],
    ['duplicate ids', () => vsaq([{ type: 'line', id: 'same', text: 'One' }, { type: 'radiogroup', id: 'r', text: 'R', choices: [{ same: 'Two' }, { other: 'Three' }] }]), { item: 'r', reason: /“same” is used twice/ }],
    ['an unknown type', () => vsaq([{ type: 'slider', id: 'volume', text: 'Volume' }]), { item: 'volume', reason: /type “slider”/ }],
  ])('%s: 4xx naming the place, nothing stored', async (_label, file, expected) => {
    const drafts = await LibraryDraftModel.countDocuments()
    const audits = await AuditEventModel.countDocuments()
    const response = await upload([file()], { format: 'auto', questionnaireId: 'bad-input' })
    expect(response.init?.status).toBe(422)
    expect(response.data?.problems).toEqual([{ item: expected.item, reason: expect.stringMatching(expected.reason) }])
    expect(await LibraryDraftModel.countDocuments()).toBe(drafts)
    expect(await AuditEventModel.countDocuments()).toBe(audits)
  })

  it('answers in the user’s language and asks for the questionnaire id a VSAQ file becomes', async () => {
    const zh = await upload([vsaq([{ type: 'slider', id: 'volume', text: 'Volume' }])], { format: 'vsaq', questionnaireId: 'bad-input' }, 'zh-CN')
    expect(zh.data?.problems[0]?.reason).toContain('无法导入“slider”类型的项目')
    const missing = await upload([BASE], { format: 'vsaq', questionnaireId: '' })
    expect(missing.init?.status).toBe(422)
    expect(missing.data?.problems[0]?.reason).toMatch(/Give the questionnaire id/)
    const invalid = await upload([BASE], { format: 'vsaq', questionnaireId: 'Not An Id' })
    expect(invalid.data?.problems[0]?.reason).toMatch(/is not a questionnaire id/)
  })
})
