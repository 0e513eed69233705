import ExcelJS from 'exceljs'
import { Types } from 'mongoose'
import { beforeAll, describe, expect, it } from 'vitest'
import { FindingModel } from '~models/finding'
import { VendorModel } from '~models/vendor'
import { createUserSession } from '~/modules/auth/session.server'
import type { Role } from '~/modules/auth/roles'
import { loader as assessmentExport } from '~/routes/assessments.$assessmentId.export[.xlsx]'
import { loader as findingsExport } from '~/routes/findings.export[.xlsx]'
import { loader as vendorsExport } from '~/routes/vendors.export[.xlsx]'
import { staffUser } from '../fixtures/vendors'
import { vendorSearchKey } from '~/modules/vendors/search'
import { loadReportData } from '~/modules/reports/report-source.server'
import { seedReportableAssessment } from './reports-support'

const BASE = 'http://127.0.0.1/'
const cookies: Partial<Record<Role, string>> = {}

beforeAll(async () => {
  for (const role of ['compliance', 'procurement', 'viewer'] as const) {
    const user = await staffUser(role)
    const response = await createUserSession(new Request(BASE + 'login'), user.id, '/')
    cookies[role] = response.headers.get('set-cookie')!.split(';')[0]!
  }
})

const request = (path: string, role: Role, language = 'en') => new Request(BASE + path, { headers: { cookie: cookies[role]!, 'accept-language': language } })

async function workbookOf(response: Response) {
  expect(response.status).toBe(200)
  expect(response.headers.get('content-type')).toContain('spreadsheetml')
  const workbook = new ExcelJS.Workbook()
  await workbook.xlsx.load((await response.arrayBuffer()) as ExcelJS.Buffer)
  return workbook
}

const rowValues = (sheet: ExcelJS.Worksheet, row: number) => (sheet.getRow(row).values as unknown[]).slice(1).map((value) => (value == null ? '' : String(value)))

async function refused(call: () => Promise<unknown>) {
  try {
    await call()
  } catch (thrown) {
    return (thrown as Response).status
  }
  return 200
}

describe('staff workbook exports', () => {
  it("one assessment: answers, clause results and findings, headers in the reader's language; refused without report:download", async () => {
    const { assessmentId, questionnaires, clauses } = await seedReportableAssessment()
    const params = { assessmentId }
    const en = await workbookOf(await assessmentExport({ request: request(`assessments/${assessmentId}/export.xlsx?lang=en`, 'compliance'), params, context: {} }))
    expect(en.worksheets.map((sheet) => sheet.name)).toEqual(['Answers', 'Clauses', 'Findings'])

    const answers = en.getWorksheet('Answers')!
    expect(rowValues(answers, 1)).toEqual(['Section', 'Question ID', 'Question', 'Answer', 'Comment', 'Evidence files', 'Reviewer decision'])
    expect(answers.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 })
    // One row per question the report lists (questions a condition hides are left out, as in the PDF).
    const report = await loadReportData(assessmentId, 'en')
    if (report.status !== 'ok') throw new Error('not reportable')
    const listed = report.data.sections.reduce((n, section) => n + section.questions.length, 0)
    expect(listed).toBeGreaterThan(50)
    expect(answers.actualRowCount).toBe(listed + 1)
    const first = questionnaires[0]!.sections[0]!.questions[0]!
    const firstRow = rowValues(answers, 2)
    expect(firstRow[1]).toBe(first.id)
    expect(firstRow[2]).toBe(first.text.en)
    expect(firstRow[3]).not.toBe('') // every seeded question is answered
    const withEvidence = questionnaires.flatMap((q) => q.sections.flatMap((s) => s.questions)).find((question) => question.evidence)!
    let evidenceCell = ''
    answers.eachRow((row) => {
      if (row.getCell(2).value === withEvidence.id) evidenceCell = String(row.getCell(6).value)
    })
    expect(evidenceCell).toBe(`${withEvidence.id.toLowerCase()}-policy.pdf`)

    const clauseSheet = en.getWorksheet('Clauses')!
    expect(rowValues(clauseSheet, 1).slice(0, 4)).toEqual(['Clause ID', 'Clause', 'Result', 'Severity'])
    expect(clauseSheet.actualRowCount).toBe(clauses.length + 1)
    const results = new Set<string>()
    clauseSheet.eachRow((row, number) => {
      if (number > 1) results.add(String(row.getCell(3).value))
    })
    expect([...results].every((result) => ['Met', 'Partial', 'Failed', 'Not assessed', 'Not applicable'].includes(result))).toBe(true)
    expect(results.has('Failed') || results.has('Partial')).toBe(true)

    const findings = en.getWorksheet('Findings')!
    expect(rowValues(findings, 1).slice(0, 6)).toEqual(['Reference', 'Finding', 'Severity', 'Status', 'Due date', 'Owner'])
    expect(findings.actualRowCount).toBeGreaterThan(1)
    expect(rowValues(findings, 2)[0]).toBe('F-01')
    expect(rowValues(findings, 2)[4]).toMatch(/^\d{4}-\d{2}-\d{2}$/)

    const zh = await workbookOf(await assessmentExport({ request: request(`assessments/${assessmentId}/export.xlsx?lang=zh-CN`, 'compliance'), params, context: {} }))
    expect(zh.worksheets.map((sheet) => sheet.name)).toEqual(['答复', '条款', '发现'])
    expect(rowValues(zh.getWorksheet('答复')!, 1)[2]).toBe('问题')
    expect(rowValues(zh.getWorksheet('答复')!, 2)[2]).toBe(first.text['zh-CN'])

    for (const role of ['procurement', 'viewer'] as const) {
      expect(await refused(() => assessmentExport({ request: request(`assessments/${assessmentId}/export.xlsx`, role), params, context: {} }))).toBe(403)
    }
    expect(await refused(() => assessmentExport({ request: request(`assessments/${new Types.ObjectId()}/export.xlsx`, 'compliance'), params: { assessmentId: String(new Types.ObjectId()) }, context: {} }))).toBe(404)
    const draft = await seedReportableAssessment({ status: 'in_progress' })
    expect(await refused(() => assessmentExport({ request: request('x', 'compliance'), params: { assessmentId: draft.assessmentId }, context: {} }))).toBe(409)
  })

  it('vendor list: the CSV export’s filters and rows; findings list: the page’s filters, every page', async () => {
    const { vendor, assessmentId } = await seedReportableAssessment({ nameEn: 'Xlsx Export Filter Target Ltd.', nameZh: '表格导出筛选目标有限公司' })
    // The seed writes the model directly; give it the search key the app's writes keep.
    await VendorModel.updateOne({ _id: vendor._id }, { $set: { searchKey: vendorSearchKey(vendor) } })
    const vendors = await workbookOf(await vendorsExport({ request: request(`vendors/export.xlsx?q=${encodeURIComponent('Xlsx Export Filter Target')}`, 'viewer'), params: {}, context: {} }))
    const vendorSheet = vendors.worksheets[0]!
    expect(vendorSheet.name).toBe('Vendors')
    expect(vendorSheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 })
    expect(vendorSheet.actualRowCount).toBe(2) // the filter applies: only the matching vendor
    expect(rowValues(vendorSheet, 2)).toContain('Xlsx Export Filter Target Ltd.')

    const due = new Date('2031-06-30T08:00:00Z')
    const base = { assessmentId: new Types.ObjectId(assessmentId), vendorId: vendor._id, vendorName: { en: 'Xlsx Export Filter Target Ltd.', 'zh-CN': '表格导出筛选目标有限公司' }, computedSeverity: 'high', dueAt: due }
    await FindingModel.create([
      { ...base, key: 'clause:XLSX-1', source: { kind: 'clause', clauseId: 'XLSX-1' }, severity: 'critical', title: { en: 'Encryption at rest missing', 'zh-CN': '未进行静态加密' }, status: 'open', ownerName: 'Ops team' },
      { ...base, key: 'clause:XLSX-2', source: { kind: 'clause', clauseId: 'XLSX-2' }, severity: 'low', title: { en: 'Closed one', 'zh-CN': '已关闭的' }, status: 'closed' },
    ])
    const findings = await workbookOf(await findingsExport({ request: request(`findings/export.xlsx?vendor=${vendor._id}&status=open&page=2`, 'viewer'), params: {}, context: {} }))
    const sheet = findings.worksheets[0]!
    expect(rowValues(sheet, 1)).toEqual(['Finding', 'Vendor', 'Severity', 'Status', 'Due date', 'Owner'])
    expect(sheet.actualRowCount).toBe(2) // status filter applies, and the page parameter does not cut the export
    expect(rowValues(sheet, 2)).toEqual(['Encryption at rest missing', 'Xlsx Export Filter Target Ltd.', 'Critical', 'Open', '2031-06-30', 'Ops team'])

    const zh = await workbookOf(await findingsExport({ request: request(`findings/export.xlsx?vendor=${vendor._id}&status=open`, 'viewer', 'zh-CN'), params: {}, context: {} }))
    expect(zh.worksheets[0]!.name).toBe('发现')
    expect(rowValues(zh.worksheets[0]!, 2)[0]).toBe('未进行静态加密')

    // Signed out: sent to the login page, never the data.
    const anonymous = await refused(() => findingsExport({ request: new Request(BASE + 'findings/export.xlsx'), params: {}, context: {} }))
    expect(anonymous).toBe(302)
    expect(await refused(() => vendorsExport({ request: new Request(BASE + 'vendors/export.xlsx'), params: {}, context: {} }))).toBe(302)
  })
})
