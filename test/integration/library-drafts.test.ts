import ExcelJS from 'exceljs'
import { beforeAll, describe, expect, it } from 'vitest'
import { AuditEventModel } from '~models/audit-event'
import { LibraryDraftModel } from '~models/library-draft'
import { LibraryVersionModel } from '~models/library-version'
import type { SessionUser } from '~/modules/auth/session.server'
import { draftDifferences } from '~/modules/library/draft-diff'
import { getDraft, importDraft, publishDraft } from '~/modules/library/drafts.server'
import { exportQuestionnaireWorkbook } from '~/modules/library/formats/workbook-export.server'
import { readQuestionnaireWorkbook } from '~/modules/library/formats/workbook-import'
import { sheetRowsOf } from '~/modules/library/formats/workbook-rows.server'
import { library, reloadLibrary } from '~/modules/library/library.server'
import { readWorkbook } from '~/modules/spreadsheets/read-workbook.server'
import { createVendor, inDays } from './assessments-helpers'
import { startAssessment } from '~/modules/assessments/start.server'
import { AssessmentModel } from '~models/assessment'

const uploader: SessionUser = { id: 'user-uploader', email: 'uploader@bank.test', name: 'Uploader', role: 'compliance', locale: 'en' }
const reviewer: SessionUser = { id: 'user-reviewer', email: 'reviewer@bank.test', name: 'Reviewer', role: 'admin', locale: 'en' }

async function candidateOf(bytes: Buffer) {
  const read = readQuestionnaireWorkbook(sheetRowsOf(await readWorkbook(bytes)))
  if (!read.ok) throw new Error(JSON.stringify(read.problems))
  return { source: 'workbook' as const, content: read.content, locator: read.locator }
}

beforeAll(() => reloadLibrary())

describe('questionnaire workbooks', () => {
  it('every shipped questionnaire exported and re-imported is a draft with no differences', async () => {
    for (const questionnaire of library().questionnaires) {
      const result = await importDraft(uploader, await candidateOf(await exportQuestionnaireWorkbook(questionnaire, library().clauseLibrary)))
      expect(result.ok, questionnaire.id).toBe(true)
      if (!result.ok) continue
      const draft = (await getDraft(result.draftId))!
      expect(draft.version).toBe(questionnaire.version + 1)
      expect(draftDifferences(questionnaire, draft.questionnaire)).toEqual(result.differences)
      expect(result.differences).toMatchObject({ added: [], removed: [], changed: [], mappings: [], questionnaire: [] })
    }
  })

  it('an edited workbook yields exactly its changes, is published by a second person and used by a new assessment', async () => {
    const baseline = library().latest.find((questionnaire) => questionnaire.id === 'baseline')!
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load((await exportQuestionnaireWorkbook(baseline, library().clauseLibrary)) as unknown as ExcelJS.Buffer)
    const questions = workbook.getWorksheet('Questions')!
    const options = workbook.getWorksheet('Options')!
    // Remove the last question of the first section (not a condition's target) and its option rows.
    const removedId = String(questions.getRow(3).getCell(2).value)
    questions.spliceRows(3, 1)
    for (let row = options.rowCount; row >= 2; row--) if (options.getRow(row).getCell(1).value === removedId) options.spliceRows(row, 1)
    // Change one option's effect (GOV-01 "na": partial → fails).
    for (let row = 2; row <= options.rowCount; row++) {
      const cells = options.getRow(row)
      if (cells.getCell(1).value === 'GOV-01' && cells.getCell(2).value === 'na') cells.getCell(6).value = 'fails'
    }
    // Add a question shown only when GOV-01 is answered "no".
    questions.addRow(['governance', 'GOV-99', 'yes_no_na', true, '是否有整改计划？', 'Do you have a remediation plan?', null, null, 'GOV-01', 'no'])
    for (const [option, zh, en, effect] of [['yes', '是', 'Yes', 'partial'], ['no', '否', 'No', 'fails'], ['na', '不适用', 'Not applicable', 'fails']]) {
      options.addRow(['GOV-99', option, zh, en, 'GOV-ACCT-01', effect])
    }
    const result = await importDraft(uploader, await candidateOf(Buffer.from(await workbook.xlsx.writeBuffer())))
    expect(result.ok).toBe(true)
    if (!result.ok) return
    expect(result.differences.added).toEqual([{ id: 'GOV-99', sectionId: 'governance' }])
    expect(result.differences.removed).toEqual([removedId])
    expect(result.differences.changed).toEqual([])
    expect(result.differences.mappings).toEqual([
      { questionId: 'GOV-01', optionId: 'na', before: [{ clause: 'GOV-ACCT-01', effect: 'partial' }], after: [{ clause: 'GOV-ACCT-01', effect: 'fails' }] },
    ])
    const draft = (await getDraft(result.draftId))!
    expect(draft.questionnaire.sections[0]!.questions.find((question) => question.id === 'GOV-99')!.showWhen).toEqual({ question: 'GOV-01', anyOf: ['no'] })

    // Four-eyes: the uploader cannot publish their own draft.
    expect(await publishDraft(uploader, result.draftId)).toEqual({ ok: false, refusal: 'ownDraft' })
    expect(await LibraryVersionModel.countDocuments()).toBe(0)
    const published = await publishDraft(reviewer, result.draftId)
    expect(published).toEqual({ ok: true, version: baseline.version + 1 })
    expect((await getDraft(result.draftId))!.state).toBe('published')
    expect(await publishDraft(reviewer, result.draftId)).toEqual({ ok: false, refusal: 'notDraft' })
    expect(library().latest.find((questionnaire) => questionnaire.id === 'baseline')!.version).toBe(baseline.version + 1)
    expect(await AuditEventModel.countDocuments({ action: 'library.publish' })).toBe(1)
    // Immutable once published.
    await expect(LibraryVersionModel.updateOne({}, { $set: { version: 9 } })).rejects.toThrow(/never change/)

    // The other drafts (from the first test) are now stale: a version was published after them.
    const older = await LibraryDraftModel.findOne({ questionnaireId: 'baseline', state: 'draft' }).lean()
    expect(await publishDraft(reviewer, String(older!._id))).toEqual({ ok: false, refusal: 'stale' })

    const vendor = await createVendor({ category: 'other' })
    const { assessmentId } = await startAssessment({ vendorId: vendor._id.toString(), dueAt: inDays(30), trigger: { reason: 'manual' }, actor: { kind: 'system' } })
    const assessment = await AssessmentModel.findById(assessmentId).lean()
    expect(assessment!.questionnaires.map((ref) => ({ id: ref.id, version: ref.version }))).toContainEqual({ id: 'baseline', version: baseline.version + 1 })
  })

  it('refuses a workbook with problems, naming sheet, row and column, and stores nothing', async () => {
    const before = await LibraryDraftModel.countDocuments()
    const baseline = library().latest.find((questionnaire) => questionnaire.id === 'baseline')!
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load((await exportQuestionnaireWorkbook(baseline, library().clauseLibrary)) as unknown as ExcelJS.Buffer)
    const options = workbook.getWorksheet('Options')!
    options.getRow(2).getCell(5).value = 'NOPE-NOPE-01'
    const result = await importDraft(uploader, await candidateOf(Buffer.from(await workbook.xlsx.writeBuffer())))
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.problems).toContainEqual(expect.objectContaining({ place: { sheet: 'Options', row: 2, column: 'E' } }))
    const other = await importDraft(uploader, { ...(await candidateOf(await exportQuestionnaireWorkbook(baseline, library().clauseLibrary))), expected: { id: 'payment-supplement', version: 1 } })
    expect(other).toMatchObject({ ok: false, problems: [{ code: 'otherQuestionnaire' }] })
    expect(await LibraryDraftModel.countDocuments()).toBe(before)
  })
})
