// Writes a questionnaire version, or the clause library with the contract templates, to an .xlsx
// that compliance edits in Excel and imports back as a draft (workbook-import.ts reads the same
// layout). Both languages side by side; header rows frozen; dropdowns where a cell takes a value
// from a list (kinds, effects, clause ids, severities).
import ExcelJS from 'exceljs'
import { CLAUSE_EFFECTS, QUESTION_KINDS, SEVERITIES, type ClauseLibrary, type ContractTemplate, type Questionnaire } from '../content-schema'
import { addTableSheet, listFormula, newWorkbook } from '~/modules/spreadsheets/write-workbook.server'
import { CLAUSE_COLUMNS, columnLetter, OPTION_COLUMNS, QUESTION_COLUMNS, QUESTIONNAIRE_COLUMNS, SECTION_COLUMNS, SHEETS, TEMPLATE_COLUMNS } from './workbook-layout'

type Row = (string | number | boolean | null | undefined)[]

// Generous enough for rows added in Excel below the exported ones.
const VALIDATION_ROWS = 2000

const WIDTHS: Record<string, number> = { id: 16, section: 16, question: 16, option: 20, clause: 18, kind: 14, effect: 16, severity: 10, field: 14, value: 16, category: 22, sources: 36, clauses: 80 }
const widthOf = (header: string) => WIDTHS[header] ?? (/ (zh-CN|en)$/.test(header) || header === 'zh-CN' || header === 'en' ? 48 : 18)

function addSheet(workbook: ExcelJS.Workbook, name: string, headers: readonly string[], rows: Row[]): ExcelJS.Worksheet {
  const sheet = addTableSheet(
    workbook,
    name,
    headers.map((header) => ({ key: header, header, width: widthOf(header), wrap: / (zh-CN|en)$/.test(header) || header === 'zh-CN' || header === 'en' })),
  )
  for (const row of rows) sheet.addRow(row.map((value) => (value === undefined ? null : value)))
  return sheet
}

/** exceljs supports range validations (one rule for a whole column) but leaves them out of its types. */
function listValidation(sheet: ExcelJS.Worksheet, header: string, headers: readonly string[], formula: string) {
  const column = columnLetter(headers.indexOf(header) + 1)
  // exceljs writes sheet-level data validations but does not declare `dataValidations` in its types.
  const rules = (sheet as unknown as { dataValidations: { add(range: string, rule: ExcelJS.DataValidation): void } }).dataValidations
  rules.add(`${column}2:${column}${VALIDATION_ROWS}`, { type: 'list', allowBlank: true, formulae: [formula], showErrorMessage: true, errorStyle: 'stop' })
}

function clauseRows(library: ClauseLibrary): Row[] {
  return library.clauses.map((clause) => [clause.id, clause.severity, clause.knockOut, clause.title['zh-CN'], clause.title.en, clause.text['zh-CN'], clause.text.en, clause.sources.join(', ')])
}

export async function exportQuestionnaireWorkbook(questionnaire: Questionnaire, clauseLibrary: ClauseLibrary): Promise<Buffer> {
  const workbook = newWorkbook()

  addSheet(workbook, SHEETS.questionnaire, QUESTIONNAIRE_COLUMNS, [
    ['id', questionnaire.id],
    ['version', questionnaire.version],
    ['kind', questionnaire.kind],
    ['publishedAt', questionnaire.publishedAt],
    ['proposedFor', questionnaire.proposedFor.join(', ')],
    ['title', null, questionnaire.title['zh-CN'], questionnaire.title.en],
    ['description', null, questionnaire.description['zh-CN'], questionnaire.description.en],
  ])
  addSheet(
    workbook,
    SHEETS.sections,
    SECTION_COLUMNS,
    questionnaire.sections.map((section) => [section.id, section.title['zh-CN'], section.title.en, section.description?.['zh-CN'], section.description?.en]),
  )
  const questions = addSheet(
    workbook,
    SHEETS.questions,
    QUESTION_COLUMNS,
    questionnaire.sections.flatMap((section) =>
      section.questions.map((question) => [
        section.id,
        question.id,
        question.kind,
        question.required,
        question.text['zh-CN'],
        question.text.en,
        question.help?.['zh-CN'],
        question.help?.en,
        question.showWhen?.question,
        question.showWhen?.anyOf.join(', '),
        question.evidence ? (question.evidence.requiredWhen === 'always' ? 'always' : question.evidence.requiredWhen.join(', ')) : undefined,
        question.evidence?.hint?.['zh-CN'],
        question.evidence?.hint?.en,
        question.min,
        question.max,
      ]),
    ),
  )
  const options = addSheet(
    workbook,
    SHEETS.options,
    OPTION_COLUMNS,
    questionnaire.sections.flatMap((section) =>
      section.questions.flatMap((question) =>
        (question.options ?? []).flatMap((option) => {
          const effects = option.clauses.length > 0 ? option.clauses : [undefined]
          return effects.map((effect) => [question.id, option.id, option.label['zh-CN'], option.label.en, effect?.clause, effect?.effect])
        }),
      ),
    ),
  )
  addSheet(workbook, SHEETS.clauses, CLAUSE_COLUMNS, clauseRows(clauseLibrary))
  listValidation(questions, 'kind', QUESTION_COLUMNS, listFormula(workbook, [...QUESTION_KINDS]))
  listValidation(questions, 'required', QUESTION_COLUMNS, listFormula(workbook, ['TRUE', 'FALSE']))
  listValidation(options, 'clause', OPTION_COLUMNS, listFormula(workbook, clauseLibrary.clauses.map((clause) => clause.id)))
  listValidation(options, 'effect', OPTION_COLUMNS, listFormula(workbook, [...CLAUSE_EFFECTS]))
  return Buffer.from(await workbook.xlsx.writeBuffer())
}

export async function exportClauseLibraryWorkbook(clauseLibrary: ClauseLibrary, templates: readonly ContractTemplate[]): Promise<Buffer> {
  const workbook = newWorkbook()
  const clauses = addSheet(workbook, SHEETS.clauses, CLAUSE_COLUMNS, clauseRows(clauseLibrary))
  addSheet(
    workbook,
    SHEETS.templates,
    TEMPLATE_COLUMNS,
    templates.map((template) => [template.category, template.title['zh-CN'], template.title.en, template.clauses.join(', ')]),
  )
  listValidation(clauses, 'severity', CLAUSE_COLUMNS, listFormula(workbook, [...SEVERITIES]))
  listValidation(clauses, 'knock-out', CLAUSE_COLUMNS, listFormula(workbook, ['TRUE', 'FALSE']))
  return Buffer.from(await workbook.xlsx.writeBuffer())
}
