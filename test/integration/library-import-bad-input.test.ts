// Bad questionnaire workbooks posted to the drafts page's import action, signed in with a real
// session, in English and in Chinese: each is refused with a 4xx and a reason in the user's
// language naming the sheet, row and column where there is one, and no draft is stored.
import ExcelJS from 'exceljs'
import JSZip from 'jszip'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LibraryDraftModel } from '~models/library-draft'
import { localeCookie } from '~/i18n/i18n.server'
import { createUserSession, type SessionUser } from '~/modules/auth/session.server'
import { getDraft, importDraft, publishDraft } from '~/modules/library/drafts.server'
import { exportQuestionnaireWorkbook } from '~/modules/library/formats/workbook-export.server'
import { readQuestionnaireWorkbook } from '~/modules/library/formats/workbook-import'
import { sheetRowsOf } from '~/modules/library/formats/workbook-rows.server'
import { library, reloadLibrary } from '~/modules/library/library.server'
import { readWorkbook } from '~/modules/spreadsheets/read-workbook.server'
import { action } from '~/routes/library.drafts._index'
import { staffUser } from '../fixtures/vendors'

const BASE = 'http://127.0.0.1'
const LOCALES = ['en', 'zh-CN'] as const
type Locale = (typeof LOCALES)[number]
interface Shown {
  sheet?: string
  row?: number
  column?: string
  reason: string
}

let compliance: SessionUser
let cookie = ''

beforeAll(async () => {
  reloadLibrary()
  compliance = await staffUser('compliance')
  const response = await createUserSession(new Request(`${BASE}/login`), compliance.id, '/')
  cookie = response.headers.get('Set-Cookie')!.split(';')[0]!
})
afterAll(() => reloadLibrary())

const baseline = () => library().latest.find((questionnaire) => questionnaire.id === 'baseline')!

async function exported(id = 'baseline'): Promise<ExcelJS.Workbook> {
  const questionnaire = library().latest.find((candidate) => candidate.id === id)!
  const workbook = new ExcelJS.Workbook()
  await workbook.xlsx.load((await exportQuestionnaireWorkbook(questionnaire, library().clauseLibrary)) as unknown as ExcelJS.Buffer)
  return workbook
}

const bytesOf = async (workbook: ExcelJS.Workbook) => Buffer.from(await workbook.xlsx.writeBuffer())

/** Posts the file to the import action as the browser's form does; the status and the problems shown. */
async function upload(bytes: Uint8Array, locale: Locale, fields: Record<string, string> = {}, name = 'baseline-v1.xlsx'): Promise<{ status: number; problems: Shown[]; location?: string }> {
  const form = new FormData()
  form.set('workbook', new File([new Uint8Array(bytes)], name, { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }))
  for (const [key, value] of Object.entries(fields)) form.set(key, value)
  const lng = (await localeCookie.serialize(locale)).split(';')[0]!
  const request = new Request(`${BASE}/library/drafts`, { method: 'POST', headers: { Cookie: `${cookie}; ${lng}` }, body: form })
  let result: unknown
  try {
    result = await action({ request, params: {}, context: {} })
  } catch (thrown) {
    if (thrown instanceof Response) return { status: thrown.status, problems: [] }
    throw thrown
  }
  if (result instanceof Response) return { status: result.status, problems: [], location: result.headers.get('Location') ?? undefined }
  const { data, init } = result as { data: { problems: Shown[] }; init?: { status?: number } }
  return { status: init?.status ?? 200, problems: data.problems }
}

const HAN = /[\u4e00-\u9fff]/

/**
 * Uploads in both languages; each time a 4xx, nothing stored, and the problems in that language.
 * Returns the problems of each language for the case's own assertions.
 */
async function refusedInBothLanguages(bytes: Uint8Array, fields: Record<string, string> = {}): Promise<Record<Locale, Shown[]>> {
  const shown = {} as Record<Locale, Shown[]>
  for (const locale of LOCALES) {
    const before = await LibraryDraftModel.countDocuments()
    const started = Date.now()
    const { status, problems } = await upload(bytes, locale, fields)
    expect(status, JSON.stringify(problems)).toBeGreaterThanOrEqual(400)
    expect(status).toBeLessThan(500)
    expect(Date.now() - started).toBeLessThan(10_000)
    expect(await LibraryDraftModel.countDocuments()).toBe(before)
    expect(problems.length).toBeGreaterThan(0)
    for (const problem of problems) {
      expect(problem.reason).not.toMatch(/at \w+ \(|Error:|undefined|\{\{/) // no stack, no raw keys
      if (locale === 'zh-CN') expect(problem.reason).toMatch(HAN)
    }
    shown[locale] = problems
  }
  // Same problems, same places, different words.
  expect(shown['zh-CN'].map(({ sheet, row, column }) => ({ sheet, row, column }))).toEqual(shown.en.map(({ sheet, row, column }) => ({ sheet, row, column })))
  shown.en.forEach((problem, index) => expect(shown['zh-CN'][index]!.reason).not.toBe(problem.reason))
  return shown
}

function rowOf(sheet: ExcelJS.Worksheet, column: number, value: string): number {
  for (let row = 2; row <= sheet.rowCount; row++) if (sheet.getRow(row).getCell(column).value === value) return row
  throw new Error(`no row with ${value}`)
}

describe('bad questionnaire workbooks posted to the import', () => {
  it('a file that is not a workbook, renamed .xlsx', async () => {
    const csv = Buffer.from('section,id,kind\ngovernance,GOV-01,yes_no_na\n')
    const shown = await refusedInBothLanguages(csv)
    expect(shown.en).toEqual([{ reason: expect.stringContaining('not an Excel workbook') }])
    expect(shown['zh-CN'][0]!.reason).toContain('.xlsx')
  })

  it('a zip bomb: a small file that inflates far past what a workbook of its size holds', async () => {
    const zip = await JSZip.loadAsync(await bytesOf(await exported()))
    zip.file('xl/media/image1.bin', Buffer.alloc(4 * 1024 * 1024, 0))
    const bomb = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 9 } })
    expect(bomb.length).toBeLessThan(1024 * 1024)
    const shown = await refusedInBothLanguages(bomb)
    expect(shown.en).toEqual([{ reason: expect.stringContaining('unpacks to far more data') }])
  })

  it('a workbook over 20 MB, refused before it is read', async () => {
    const big = Buffer.alloc(21 * 1024 * 1024, 0x41)
    const shown = await refusedInBothLanguages(big)
    expect(shown.en[0]!.reason).toMatch(/larger than 20 MB/)
    expect(shown['zh-CN'][0]!.reason).toMatch(/20\s*MB/)
  })

  it('a sheet of more than 50,000 rows, refused before exceljs builds them, naming the sheet', async () => {
    const zip = await JSZip.loadAsync(await bytesOf(await exported()))
    // Sheets are written in order: Questionnaire, Sections, Questions, Options, …
    const rows = Array.from({ length: 50_001 }, (_, index) => `<row r="${index + 2}"><c r="A${index + 2}" t="inlineStr"><is><t>GOV-01</t></is></c></row>`).join('')
    const xml = (await zip.file('xl/worksheets/sheet4.xml')!.async('string')).replace(/<\/sheetData>/, `${rows}</sheetData>`)
    zip.file('xl/worksheets/sheet4.xml', xml)
    const shown = await refusedInBothLanguages(await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }))
    expect(shown.en).toEqual([{ sheet: 'Options', reason: expect.stringContaining('more than 50000 rows') }])
  })

  it('formulas: the cached value is taken, never evaluated; a formula without one is a missing value at its cell', async () => {
    const workbook = await exported()
    const questions = workbook.getWorksheet('Questions')!
    const row = rowOf(questions, 2, 'GOV-01')
    // A formula Excel would evaluate to something else: what the sheet last showed is what counts.
    questions.getRow(row).getCell(6).value = { formula: 'UPPER("evaluated")', result: 'Is there a named person accountable for data protection?' } as ExcelJS.CellFormulaValue
    const accepted = await upload(await bytesOf(workbook), 'en')
    expect(accepted.status).toBe(302)
    const draft = (await getDraft(accepted.location!.split('/').pop()!))!
    const question = draft.questionnaire.sections.flatMap((section) => section.questions).find((candidate) => candidate.id === 'GOV-01')!
    expect(question.text.en).toBe('Is there a named person accountable for data protection?')
    await LibraryDraftModel.deleteOne({ _id: draft.id })

    // A formula with no cached value (never calculated) gives no value, refused where it is.
    questions.getRow(row).getCell(3).value = { formula: 'INDIRECT("Lists!A1")' } as ExcelJS.CellFormulaValue
    const shown = await refusedInBothLanguages(await bytesOf(workbook))
    expect(shown.en).toContainEqual(expect.objectContaining({ sheet: 'Questions', row, column: 'C' }))
  })

  it('a workbook of another questionnaire, uploaded from this one’s page', async () => {
    const shown = await refusedInBothLanguages(await bytesOf(await exported('payment-supplement')), { questionnaireId: 'baseline' })
    expect(shown.en).toEqual([{ sheet: 'Questionnaire', row: 2, column: 'B', reason: 'This workbook is for questionnaire payment-supplement, not baseline.' }])
    expect(shown['zh-CN'][0]!.reason).toBe('此工作簿属于问卷 payment-supplement，而不是 baseline。')
  })

  it('duplicate question ids, naming both rows', async () => {
    const workbook = await exported()
    const questions = workbook.getWorksheet('Questions')!
    const first = rowOf(questions, 2, 'GOV-01')
    const second = rowOf(questions, 2, 'GOV-02')
    questions.getRow(second).getCell(2).value = 'GOV-01'
    const shown = await refusedInBothLanguages(await bytesOf(workbook))
    const duplicate = shown.en.findIndex((problem) => problem.reason.startsWith('duplicate question id GOV-01'))
    expect(shown.en[duplicate]).toEqual({ sheet: 'Questions', row: second, column: 'B', reason: `duplicate question id GOV-01 (also Sheet “Questions”, row ${first})` })
    expect(shown['zh-CN'][duplicate]!.reason).toBe(`问题编号 GOV-01 重复（另见 工作表“Questions”，第 ${first} 行）`)
  })

  it('a broken visibility condition: half of it missing, an unknown question, an option the question lacks', async () => {
    const halfWorkbook = await exported()
    const half = rowOf(halfWorkbook.getWorksheet('Questions')!, 2, 'GOV-02')
    halfWorkbook.getWorksheet('Questions')!.getRow(half).getCell(9).value = 'GOV-01'
    const halfShown = await refusedInBothLanguages(await bytesOf(halfWorkbook))
    expect(halfShown.en).toEqual([{ sheet: 'Questions', row: half, column: 'J', reason: 'Choose at least one.' }])

    const workbook = await exported()
    const questions = workbook.getWorksheet('Questions')!
    const row = rowOf(questions, 2, 'GOV-02')
    questions.getRow(row).getCell(9).value = 'NOPE-01'
    questions.getRow(row).getCell(10).value = 'yes'
    const other = rowOf(questions, 2, 'DATA-01')
    questions.getRow(other).getCell(9).value = 'GOV-01'
    questions.getRow(other).getCell(10).value = 'sometimes'
    const shown = await refusedInBothLanguages(await bytesOf(workbook))
    expect(shown.en).toContainEqual({ sheet: 'Questions', row, column: 'I', reason: 'unknown question NOPE-01 (a condition refers to an earlier question of the same questionnaire)' })
    expect(shown.en).toContainEqual({ sheet: 'Questions', row: other, column: 'J', reason: 'question GOV-01 has no option "sometimes" (options: yes, no, na)' })
    expect(shown['zh-CN']).toContainEqual({ sheet: 'Questions', row, column: 'I', reason: '未知问题 NOPE-01（显示条件引用同一问卷中前面的问题）' })
  })

  it('a workbook of an older version, once a newer one is published', async () => {
    const older = await bytesOf(await exported())
    const read = readQuestionnaireWorkbook(sheetRowsOf(await readWorkbook(older)))
    if (!read.ok) throw new Error('the export does not read back')
    const draft = await importDraft(compliance, { source: 'workbook', content: read.content, locator: read.locator })
    if (!draft.ok) throw new Error(JSON.stringify(draft.problems))
    const reviewer = await staffUser('admin')
    expect(await publishDraft(reviewer, draft.draftId)).toMatchObject({ ok: true, version: baseline().version })
    const shown = await refusedInBothLanguages(older)
    expect(shown.en).toEqual([{ sheet: 'Questionnaire', row: 3, column: 'B', reason: expect.stringContaining(`This workbook is version ${baseline().version - 1} of baseline, but version ${baseline().version} is the current one`) }])
  })
})
