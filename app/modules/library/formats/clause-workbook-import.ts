// Reads the rows of an edited clause-library workbook (the Clauses and Templates sheets that
// exportClauseLibraryWorkbook writes) back into clause-library and contract-template content,
// remembering the cell each part came from. Pure; the meta-schema and cross-references are the
// caller's next step (clause-drafts.server.ts).
import { Locator, type ImportProblem } from './located'
import { FALSE, list, localized, table, text, TRUE, type SheetRows } from './workbook-import'
import { CLAUSE_COLUMNS, SHEETS, TEMPLATE_COLUMNS } from './workbook-layout'

export type ClauseWorkbookContent =
  | { ok: true; clauses: Record<string, unknown>[]; templates: Record<string, unknown>[]; locator: Locator }
  | { ok: false; problems: ImportProblem[] }

/** Paths are those of the draft content { clauseLibrary: { clauses }, templates }. */
export function readClauseLibraryWorkbook(rows: SheetRows): ClauseWorkbookContent {
  const problems: ImportProblem[] = []
  const locator = new Locator()
  const clauseTable = table(rows, SHEETS.clauses, CLAUSE_COLUMNS, problems)
  const templateTable = table(rows, SHEETS.templates, TEMPLATE_COLUMNS, problems)
  if (!clauseTable || !templateTable) return { ok: false, problems }

  locator.set([], { sheet: SHEETS.clauses, row: 1 })
  locator.set(['clauseLibrary', 'clauses'], { sheet: SHEETS.clauses, row: 1 })
  const clauses = clauseTable.rows.map((row, index) => {
    const path = ['clauseLibrary', 'clauses', index]
    const clause: Record<string, unknown> = {
      id: text(row.cell('id')),
      severity: text(row.cell('severity')),
      title: localized(row.cell('title zh-CN'), row.cell('title en')),
      text: localized(row.cell('text zh-CN'), row.cell('text en')),
      sources: list(row.cell('sources')),
    }
    const knockOut = row.cell('knock-out')
    const knockOutText = text(knockOut)?.toLowerCase()
    if (typeof knockOut === 'boolean') clause.knockOut = knockOut
    else if (knockOutText === undefined || FALSE.has(knockOutText)) clause.knockOut = false
    else if (TRUE.has(knockOutText)) clause.knockOut = true
    else problems.push({ place: row.place('knock-out'), code: 'notBoolean', params: { value: knockOutText } })
    locator.set(path, row.place())
    const cells: [(string | number)[], (typeof CLAUSE_COLUMNS)[number]][] = [
      [['id'], 'id'], [['severity'], 'severity'], [['knockOut'], 'knock-out'], [['title'], 'title en'], [['title', 'zh-CN'], 'title zh-CN'], [['title', 'en'], 'title en'],
      [['text'], 'text en'], [['text', 'zh-CN'], 'text zh-CN'], [['text', 'en'], 'text en'], [['sources'], 'sources'],
    ]
    for (const [at, column] of cells) locator.set([...path, ...at], row.place(column))
    return clause
  })

  locator.set(['templates'], { sheet: SHEETS.templates, row: 1 })
  const templates = templateTable.rows.map((row, index) => {
    const path = ['templates', index]
    locator.set(path, row.place())
    locator.set([...path, 'category'], row.place('category'))
    locator.set([...path, 'title'], row.place('title en'))
    locator.set([...path, 'title', 'zh-CN'], row.place('title zh-CN'))
    locator.set([...path, 'title', 'en'], row.place('title en'))
    locator.set([...path, 'clauses'], row.place('clauses'))
    const ids = list(row.cell('clauses'))
    ids.forEach((_, c) => locator.set([...path, 'clauses', c], row.place('clauses')))
    return { category: text(row.cell('category')), title: localized(row.cell('title zh-CN'), row.cell('title en')), clauses: ids }
  })
  if (problems.length > 0) return { ok: false, problems }
  return { ok: true, clauses, templates, locator }
}
