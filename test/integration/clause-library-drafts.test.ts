import ExcelJS from 'exceljs'
import { beforeAll, describe, expect, it } from 'vitest'
import { LibraryContentVersionModel } from '~models/library-content-version'
import { LibraryDraftModel } from '~models/library-draft'
import type { SessionUser } from '~/modules/auth/session.server'
import { clauseDifferencesOf, getDraft, importClauseDraft, importDraft, publishDraft, refreshPublishedVersions } from '~/modules/library/drafts.server'
import { readClauseLibraryWorkbook } from '~/modules/library/formats/clause-workbook-import'
import { exportClauseLibraryWorkbook, exportQuestionnaireWorkbook } from '~/modules/library/formats/workbook-export.server'
import { readQuestionnaireWorkbook } from '~/modules/library/formats/workbook-import'
import { sheetRowsOf } from '~/modules/library/formats/workbook-rows.server'
import { getClause, getClauseLibrary, library, listContractTemplates, reloadLibrary } from '~/modules/library/library.server'
import { readWorkbook } from '~/modules/spreadsheets/read-workbook.server'

const uploader: SessionUser = { id: 'user-uploader', email: 'uploader@bank.test', name: 'Uploader', role: 'compliance', locale: 'en' }
const reviewer: SessionUser = { id: 'user-reviewer', email: 'reviewer@bank.test', name: 'Reviewer', role: 'admin', locale: 'en' }

async function candidateOf(bytes: Buffer) {
  const read = readClauseLibraryWorkbook(sheetRowsOf(await readWorkbook(bytes)))
  if (!read.ok) throw new Error(JSON.stringify(read.problems))
  return { clauses: read.clauses, templates: read.templates, locator: read.locator }
}

async function editedExport(edit: (clauses: ExcelJS.Worksheet, templates: ExcelJS.Worksheet) => void): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook()
  await workbook.xlsx.load((await exportClauseLibraryWorkbook(getClauseLibrary(), listContractTemplates())) as unknown as ExcelJS.Buffer)
  edit(workbook.getWorksheet('Clauses')!, workbook.getWorksheet('Templates')!)
  return Buffer.from(await workbook.xlsx.writeBuffer())
}

const rowOf = (sheet: ExcelJS.Worksheet, id: string) => {
  for (let row = 2; row <= sheet.rowCount; row++) if (sheet.getRow(row).getCell(1).value === id) return row
  throw new Error(`no row ${id}`)
}

beforeAll(async () => {
  reloadLibrary()
  await refreshPublishedVersions()
})

describe('clause-library workbooks', () => {
  it('the shipped clause library exported and re-imported is a draft with no differences', async () => {
    const result = await importClauseDraft(uploader, await candidateOf(await exportClauseLibraryWorkbook(getClauseLibrary(), listContractTemplates())))
    expect(result.ok).toBe(true)
    if (!result.ok) return
    expect(result.differences).toEqual({ added: [], removed: [], changed: [], templates: [] })
    const draft = (await getDraft(result.draftId))!
    expect(draft).toMatchObject({ kind: 'clause-library', version: getClauseLibrary().version + 1, basedOn: getClauseLibrary().version, state: 'draft' })
    expect(draft.clauseContent!.clauseLibrary.clauses).toEqual(getClauseLibrary().clauses)
  })

  it('a removed clause that a questionnaire still maps is refused with the place, and nothing is stored', async () => {
    const before = await LibraryDraftModel.countDocuments()
    const bytes = await editedExport((clauses, templates) => {
      clauses.spliceRows(rowOf(clauses, 'GOV-ACCT-01'), 1)
      // The templates no longer list it either, so only the questionnaires' references remain.
      templates.eachRow((row, number) => {
        if (number > 1) row.getCell(4).value = String(row.getCell(4).value).split(', ').filter((id) => id !== 'GOV-ACCT-01').join(', ')
      })
    })
    const result = await importClauseDraft(uploader, await candidateOf(bytes))
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.problems.length).toBeGreaterThan(0)
    expect(result.problems).toContainEqual(
      expect.objectContaining({ code: 'clauseStillReferenced', place: { sheet: 'Clauses', row: 1, column: 'A' }, params: expect.objectContaining({ clause: 'GOV-ACCT-01', file: 'baseline-v1.yaml' }) }),
    )
    expect(result.problems.every((problem) => problem.code === 'clauseStillReferenced')).toBe(true)
    expect(await LibraryDraftModel.countDocuments()).toBe(before)
  })

  it('a bad severity and a duplicate id are placed on their cells', async () => {
    const bytes = await editedExport((clauses) => {
      clauses.getRow(2).getCell(2).value = 'severe'
      clauses.getRow(4).getCell(1).value = String(clauses.getRow(3).getCell(1).value)
    })
    const severity = await importClauseDraft(uploader, await candidateOf(bytes))
    expect(severity).toMatchObject({ ok: false, problems: [{ code: 'schema', place: { sheet: 'Clauses', row: 2, column: 'B' } }] })
    const duplicate = await importClauseDraft(uploader, await candidateOf(await editedExport((clauses) => {
      clauses.getRow(4).getCell(1).value = String(clauses.getRow(3).getCell(1).value)
    })))
    expect(duplicate.ok).toBe(false)
    if (duplicate.ok) return
    expect(duplicate.problems).toContainEqual(expect.objectContaining({ code: 'content.duplicateClause', place: { sheet: 'Clauses', row: 4, column: 'A' } }))
  })

  it('an edited workbook yields exactly its changes and is published by a second person as the clause library in use', async () => {
    const shippedVersion = getClauseLibrary().version
    const bytes = await editedExport((clauses) => {
      const row = clauses.getRow(rowOf(clauses, 'GOV-POLICY-01'))
      row.getCell(2).value = 'critical'
      row.getCell(7).value = 'The Provider maintains written, board-approved security and privacy policies.'
      clauses.addRow(['GOV-TEST-01', 'low', false, '测试条款', 'Test clause', '服务商应配合测试。', 'The Provider cooperates with tests.', 'PIPL Art. 51'])
    })
    const result = await importClauseDraft(uploader, await candidateOf(bytes))
    expect(result.ok).toBe(true)
    if (!result.ok) return
    expect(result.differences).toEqual({ added: ['GOV-TEST-01'], removed: [], changed: [{ id: 'GOV-POLICY-01', fields: ['text', 'severity'] }], templates: [] })
    expect(clauseDifferencesOf((await getDraft(result.draftId))!)).toEqual(result.differences)

    // Four-eyes: the uploader cannot publish their own draft.
    expect(await publishDraft(uploader, result.draftId)).toEqual({ ok: false, refusal: 'ownDraft' })
    expect(await LibraryContentVersionModel.countDocuments()).toBe(0)
    expect(getClause('GOV-TEST-01')).toBeUndefined()

    expect(await publishDraft(reviewer, result.draftId)).toEqual({ ok: true, version: shippedVersion + 1 })
    expect(getClauseLibrary().version).toBe(shippedVersion + 1)
    expect(getClause('GOV-TEST-01')?.title.en).toBe('Test clause')
    expect(getClause('GOV-POLICY-01')?.severity).toBe('critical')
    expect(library().clauseLibraryInApp).toBe(shippedVersion + 1)
    // The stored version is immutable, and a reload from the database serves it again.
    await expect(LibraryContentVersionModel.updateOne({}, { $set: { version: 99 } })).rejects.toThrow(/never changes/)
    reloadLibrary()
    expect(getClause('GOV-TEST-01')).toBeUndefined() // YAML alone: the default on an empty database
    await refreshPublishedVersions()
    expect(getClause('GOV-TEST-01')?.severity).toBe('low')

    // The earlier round-trip draft is now stale; a second publication of the same version is refused.
    const stale = await LibraryDraftModel.findOne({ kind: 'clause-library', state: 'draft' }).lean()
    expect(await publishDraft(reviewer, String(stale!._id))).toEqual({ ok: false, refusal: 'stale' })

    // A clause added in the app need not be covered yet: questionnaire drafts still import.
    const baseline = library().latest.find((questionnaire) => questionnaire.id === 'baseline')!
    const read = readQuestionnaireWorkbook(sheetRowsOf(await readWorkbook(await exportQuestionnaireWorkbook(baseline, getClauseLibrary()))))
    if (!read.ok) throw new Error(JSON.stringify(read.problems))
    expect((await importDraft(uploader, { source: 'workbook', content: read.content, locator: read.locator })).ok).toBe(true)
  })
})
