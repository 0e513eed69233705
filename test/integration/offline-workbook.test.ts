import ExcelJS from 'exceljs'
import { beforeAll, describe, expect, it } from 'vitest'
import { AuditEventModel } from '~models/audit-event'
import { translatorFor } from '~/i18n/i18n.server'
import { applyOfflinePreview, offlinePreviewView, offlineWorkbookFor, previewOfflineUpload, staffFiller, type OfflineFiller } from '~/modules/assessments/offline-fill.server'
import { saveAnswer } from '~/modules/assessments/portal.server'
import { access, readAssessment, startTestAssessment, useFixtureLibrary } from './assessments-helpers'

beforeAll(() => useFixtureLibrary())

async function download(filler: OfflineFiller, locale: 'en' | 'zh-CN' = 'en') {
  const { workbook } = await offlineWorkbookFor(filler, locale, await translatorFor(locale, 'offline'))
  const copy = new ExcelJS.Workbook()
  await copy.xlsx.load((await workbook.xlsx.writeBuffer()) as ExcelJS.Buffer)
  return copy
}

/** Sets the answer (column H) and comment (column I) of a question's row, as a person would in Excel. */
function fill(workbook: ExcelJS.Workbook, questionId: string, answer: ExcelJS.CellValue, comment?: string) {
  const sheet = workbook.worksheets[0]
  let found = false
  sheet.eachRow((row) => {
    if (row.getCell(4).value === questionId) {
      row.getCell(8).value = answer
      if (comment !== undefined) row.getCell(9).value = comment
      found = true
    }
  })
  if (!found) throw new Error(`no row for ${questionId}`)
}

const asFile = async (workbook: ExcelJS.Workbook, name = 'answers.xlsx') => new File([new Uint8Array((await workbook.xlsx.writeBuffer()) as ArrayBuffer)], name)

describe('vendor offline fill', () => {
  it('round trip: only edited rows change, a colleague’s online edit is a conflict with both values, never overwritten', async () => {
    const { assessmentId, token } = await startTestAssessment()
    const vendor = await access(token)
    expect((await saveAnswer(vendor, { questionId: 'GOV-03', baseRev: 0, value: 10, comment: null })).status).toBe(200)
    expect((await saveAnswer(vendor, { questionId: 'SEC-03', baseRev: 0, value: 'before', comment: null })).status).toBe(200)

    const workbook = await download({ kind: 'link', access: await access(token) })
    fill(workbook, 'GOV-01', 'Yes', 'see policy')
    fill(workbook, 'GOV-03', 25)
    fill(workbook, 'GOV-04', new Date('2026-03-31T00:00:00Z'))
    fill(workbook, 'SEC-01', { formula: 'IF(1,"x","y")', result: 'Administrator accounts only' } as ExcelJS.CellFormulaValue)
    fill(workbook, 'SEC-03', 'mine')

    // A colleague changes SEC-03 online after the download.
    expect((await saveAnswer(await access(token), { questionId: 'SEC-03', baseRev: 1, value: 'theirs', comment: null })).status).toBe(200)

    const filler: OfflineFiller = { kind: 'link', access: await access(token) }
    const uploaded = await previewOfflineUpload(filler, await asFile(workbook))
    expect(uploaded.ok).toBe(true)
    if (!uploaded.ok) return
    const preview = await offlinePreviewView(filler, uploaded.previewId)
    expect(preview!.plan.changes.map((change) => change.questionId).sort()).toEqual(['GOV-01', 'GOV-03', 'GOV-04', 'SEC-01'])
    expect(preview!.plan.conflicts).toEqual([expect.objectContaining({ questionId: 'SEC-03', yours: { value: 'mine', comment: null }, theirs: expect.objectContaining({ value: 'theirs' }) })])
    // Nothing is written by the preview.
    expect(((await readAssessment(assessmentId))!.answers as Record<string, unknown>)['GOV-01']).toBeUndefined()

    const report = await applyOfflinePreview({ kind: 'link', access: await access(token) }, uploaded.previewId)
    expect(report!.saved.sort()).toEqual(['GOV-01', 'GOV-03', 'GOV-04', 'SEC-01'])
    expect(report!.conflicts.map((conflict) => conflict.questionId)).toEqual(['SEC-03'])
    const answers = (await readAssessment(assessmentId))!.answers as Record<string, { value: unknown; comment: unknown; rev: number }>
    expect(answers['GOV-01']).toMatchObject({ value: 'yes', comment: 'see policy', rev: 1 })
    expect(answers['GOV-03']).toMatchObject({ value: 25, rev: 2 })
    expect(answers['GOV-04']).toMatchObject({ value: '2026-03-31' })
    expect(answers['SEC-01']).toMatchObject({ value: 'admins' }) // the cached value, not the formula
    expect(answers['SEC-03']).toMatchObject({ value: 'theirs', rev: 2 })

    // The preview is used up: applying again does nothing.
    expect(await applyOfflinePreview({ kind: 'link', access: await access(token) }, uploaded.previewId)).toBeNull()
    const audit = await AuditEventModel.findOne({ action: 'assessment.offline-import', 'subject.id': assessmentId }).lean()
    expect(audit).toMatchObject({ actor: { kind: 'vendor-contact' }, details: { saved: 4, conflicts: 1 } })
  })

  it('reports invalid cells by sheet, row and column, and stores nothing', async () => {
    const { token } = await startTestAssessment()
    const filler: OfflineFiller = { kind: 'link', access: await access(token) }
    const workbook = await download(filler, 'zh-CN')
    fill(workbook, 'GOV-01', 'maybe')
    fill(workbook, 'GOV-03', 'many')
    fill(workbook, 'GOV-04', '31/03/2026')
    fill(workbook, 'SEC-02', 'Nope; 全部账户')
    const outcome = await previewOfflineUpload(filler, await asFile(workbook))
    expect(outcome.ok).toBe(false)
    if (outcome.ok) return
    expect(outcome.problems.map((problem) => [problem.place.sheet, problem.place.column, problem.message.split('|')[0]])).toEqual([
      ['答卷', 'H', 'offline:problems.notAnOption'],
      ['答卷', 'H', 'offline:problems.notANumber'],
      ['答卷', 'H', 'offline:problems.notADate'],
      ['答卷', 'H', 'offline:problems.notAnOption'],
    ])
    expect(outcome.problems.every((problem) => typeof problem.place.row === 'number' && problem.place.row > 1)).toBe(true)
  })

  it('refuses a workbook of another assessment, another questionnaire version, a foreign workbook and a non-workbook', async () => {
    const a = await startTestAssessment()
    const b = await startTestAssessment()
    const fillerA: OfflineFiller = { kind: 'link', access: await access(a.token) }
    const fillerB: OfflineFiller = { kind: 'link', access: await access(b.token) }
    const first = (outcome: Awaited<ReturnType<typeof previewOfflineUpload>>) => (outcome.ok ? 'ok' : outcome.problems[0].message.split('|')[0])
    expect(first(await previewOfflineUpload(fillerB, await asFile(await download(fillerA))))).toMatch(/offline:problems\.(otherAssessment)/)

    const tampered = await download(fillerA)
    tampered.getWorksheet('Clausewise')!.getCell('B3').value = 'baseline@1,payment@1'
    expect(first(await previewOfflineUpload(fillerA, await asFile(tampered)))).toBe('offline:problems.otherVersion')

    const foreign = new ExcelJS.Workbook()
    foreign.addWorksheet('Sheet1').getCell('A1').value = 'answers'
    expect(first(await previewOfflineUpload(fillerA, await asFile(foreign)))).toBe('offline:problems.notOurWorkbook')
    expect(first(await previewOfflineUpload(fillerA, new File(['Q,A\nGOV-01,yes\n'], 'answers.xlsx')))).toBe('spreadsheets:read.not-xlsx')
    expect(first(await previewOfflineUpload(fillerA, new File([], 'answers.xlsx')))).toBe('offline:problems.noFile')
  })

  it('a staff user fills in for the vendor; the audit trail says so', async () => {
    const { assessmentId } = await startTestAssessment()
    const user = { id: '64b000000000000000000009', email: 'li@bank.cn', name: 'Li Procurement' }
    const t = await translatorFor('en', 'offline')
    const filler = (await staffFiller(assessmentId, user, t))!
    const workbook = await download(filler)
    fill(workbook, 'GOV-01', 'No')
    const uploaded = await previewOfflineUpload(filler, await asFile(workbook))
    if (!uploaded.ok) throw new Error(JSON.stringify(uploaded.problems))
    // A vendor link cannot use a staff user's preview.
    const report = await applyOfflinePreview((await staffFiller(assessmentId, user, t))!, uploaded.previewId)
    expect(report!.saved).toEqual(['GOV-01'])
    const answers = (await readAssessment(assessmentId))!.answers as Record<string, { value: unknown; updatedBy: string }>
    expect(answers['GOV-01']).toMatchObject({ value: 'no', updatedBy: 'Li Procurement (for the vendor)' })
    const audit = await AuditEventModel.findOne({ action: 'assessment.offline-import', 'subject.id': assessmentId }).lean()
    expect(audit).toMatchObject({ actor: { kind: 'user', id: user.id }, details: { onBehalfOfVendor: true, saved: 1 } })
  })
})
