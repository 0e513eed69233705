// Reads the rows of an edited questionnaire workbook (the layout of workbook-layout.ts) back into
// questionnaire content, remembering the cell each part came from. Pure: the rows come from the
// safe workbook reader; checking the content against the meta-schema is the caller's next step.
import type { CellPlace, ImportProblem } from './located'
import { Locator } from './located'
import { columnLetter, LIST_SEPARATOR, OPTION_COLUMNS, QUESTION_COLUMNS, SECTION_COLUMNS, SHEETS } from './workbook-layout'

/** A cell as the reader hands it over: formulas already replaced by their cached value. */
export type CellValue = string | number | boolean | Date | null | undefined
/** Each sheet's rows, the header first (index 0 is Excel's row 1). */
export type SheetRows = ReadonlyMap<string, readonly (readonly CellValue[])[]>

export type WorkbookContent = { ok: true; content: Record<string, unknown>; locator: Locator } | { ok: false; problems: ImportProblem[] }

export function text(value: CellValue): string | undefined {
  if (value === null || value === undefined) return undefined
  if (value instanceof Date) return value.toISOString().slice(0, 10)
  const string = String(value).trim()
  return string === '' ? undefined : string
}

export const list = (value: CellValue) => (text(value) ?? '').split(LIST_SEPARATOR).filter(Boolean)

export function localized(zh: CellValue, en: CellValue): { 'zh-CN': string; en: string } | undefined {
  const a = text(zh)
  const b = text(en)
  if (a === undefined && b === undefined) return undefined
  return { 'zh-CN': a ?? '', en: b ?? '' } // an empty half is reported by the meta-schema
}

export const TRUE = new Set(['true', 'yes', 'y', '1', '是'])
export const FALSE = new Set(['false', 'no', 'n', '0', '否'])

interface Table<C extends string> {
  sheet: string
  rows: { row: number; cell: (column: C) => CellValue; place: (column?: C) => CellPlace }[]
}

export function table<C extends string>(rows: SheetRows, sheet: string, columns: readonly C[], problems: ImportProblem[]): Table<C> | undefined {
  const data = rows.get(sheet)
  if (!data) {
    problems.push({ code: 'missingSheet', params: { sheet } })
    return undefined
  }
  const header = (data[0] ?? []).map((value) => text(value)?.toLowerCase())
  const index = new Map<C, number>()
  for (const column of columns) {
    const at = header.indexOf(column.toLowerCase())
    if (at < 0) problems.push({ place: { sheet, row: 1 }, code: 'missingColumn', params: { column } })
    else index.set(column, at)
  }
  if (index.size < columns.length) return undefined
  const result: Table<C>['rows'] = []
  data.forEach((values, at) => {
    if (at === 0 || values.every((value) => text(value) === undefined)) return
    const row = at + 1
    result.push({
      row,
      cell: (column) => values[index.get(column)!],
      place: (column) => ({ sheet, row, ...(column ? { column: columnLetter(index.get(column)! + 1) } : {}) }),
    })
  })
  return { sheet, rows: result }
}

export function readQuestionnaireWorkbook(rows: SheetRows): WorkbookContent {
  const problems: ImportProblem[] = []
  const locator = new Locator()

  // The Questionnaire sheet is field | value | zh-CN | en, one field a row.
  const head = rows.get(SHEETS.questionnaire)
  const fields = new Map<string, { values: readonly CellValue[]; row: number }>()
  if (!head) problems.push({ code: 'missingSheet', params: { sheet: SHEETS.questionnaire } })
  else head.forEach((values, at) => { const field = text(values[0]); if (at > 0 && field) fields.set(field, { values, row: at + 1 }) })
  const field = (name: string, column: 1 | 2 | 3 = 1) => fields.get(name)?.values[column]
  const fieldPlace = (name: string, column = 'B'): CellPlace => ({ sheet: SHEETS.questionnaire, row: fields.get(name)?.row ?? 1, column })

  const sections = table(rows, SHEETS.sections, SECTION_COLUMNS, problems)
  const questions = table(rows, SHEETS.questions, QUESTION_COLUMNS, problems)
  const options = table(rows, SHEETS.options, OPTION_COLUMNS, problems)
  if (!head || !sections || !questions || !options) return { ok: false, problems }

  const versionCell = field('version')
  const content: Record<string, unknown> = {
    id: text(field('id')),
    version: typeof versionCell === 'number' ? versionCell : Number(text(versionCell)),
    kind: text(field('kind')),
    title: localized(field('title', 2), field('title', 3)),
    description: localized(field('description', 2), field('description', 3)),
    publishedAt: text(field('publishedAt')),
    proposedFor: list(field('proposedFor')),
  }
  for (const name of ['id', 'version', 'kind', 'publishedAt', 'proposedFor']) locator.set([name], fieldPlace(name))
  for (const name of ['title', 'description']) {
    locator.set([name], fieldPlace(name, 'C'))
    locator.set([name, 'zh-CN'], fieldPlace(name, 'C'))
    locator.set([name, 'en'], fieldPlace(name, 'D'))
  }
  locator.set([], { sheet: SHEETS.questionnaire, row: 1 })

  type BuiltSection = Record<string, unknown> & { questions: Record<string, unknown>[] }
  const sectionList: BuiltSection[] = []
  const sectionIndex = new Map<string, number>()
  const sectionRows = new Map<string, CellPlace>()
  locator.set(['sections'], { sheet: SHEETS.sections, row: 1 })
  for (const row of sections.rows) {
    const id = text(row.cell('id'))
    const path = ['sections', sectionList.length]
    const section: BuiltSection = { id, title: localized(row.cell('title zh-CN'), row.cell('title en')), questions: [] }
    const description = localized(row.cell('description zh-CN'), row.cell('description en'))
    if (description) section.description = description
    // A second row with the same id would silently take the first one's questions: name both rows.
    if (id !== undefined && sectionIndex.has(id)) problems.push({ place: row.place('id'), code: 'content.duplicateSection', params: { id }, refs: { first: sectionRows.get(id)! } })
    if (id !== undefined && !sectionIndex.has(id)) {
      sectionIndex.set(id, sectionList.length)
      sectionRows.set(id, row.place())
    }
    locator.set(path, row.place())
    locator.set([...path, 'id'], row.place('id'))
    locator.set([...path, 'title', 'zh-CN'], row.place('title zh-CN'))
    locator.set([...path, 'title', 'en'], row.place('title en'))
    locator.set([...path, 'description', 'zh-CN'], row.place('description zh-CN'))
    locator.set([...path, 'description', 'en'], row.place('description en'))
    locator.set([...path, 'questions'], row.place('id'))
    sectionList.push(section)
  }

  const questionById = new Map<string, { question: Record<string, unknown>; path: (string | number)[]; place: CellPlace }>()
  for (const row of questions.rows) {
    const sectionId = text(row.cell('section'))
    const s = sectionId === undefined ? undefined : sectionIndex.get(sectionId)
    if (s === undefined) {
      problems.push({ place: row.place('section'), code: sectionId ? 'unknownSection' : 'missingValue', params: { value: sectionId ?? '', column: 'section' } })
      continue
    }
    const section = sectionList[s]!
    const path = ['sections', s, 'questions', section.questions.length]
    const id = text(row.cell('id'))
    const question: Record<string, unknown> = { id, kind: text(row.cell('kind')) }
    const required = row.cell('required')
    const requiredText = text(required)?.toLowerCase()
    if (typeof required === 'boolean') question.required = required
    else if (requiredText === undefined) question.required = true
    else if (TRUE.has(requiredText)) question.required = true
    else if (FALSE.has(requiredText)) question.required = false
    else problems.push({ place: row.place('required'), code: 'notBoolean', params: { value: requiredText } })
    question.text = localized(row.cell('text zh-CN'), row.cell('text en'))
    const help = localized(row.cell('help zh-CN'), row.cell('help en'))
    if (help) question.help = help
    const showQuestion = text(row.cell('show when question'))
    const showAnyOf = list(row.cell('show when any of'))
    if (showQuestion || showAnyOf.length > 0) question.showWhen = { question: showQuestion, anyOf: showAnyOf }
    const evidence = text(row.cell('evidence required when'))
    const hint = localized(row.cell('evidence hint zh-CN'), row.cell('evidence hint en'))
    if (evidence || hint) question.evidence = { requiredWhen: evidence === 'always' ? 'always' : list(row.cell('evidence required when')), ...(hint ? { hint } : {}) }
    for (const bound of ['min', 'max'] as const) {
      const value = row.cell(bound)
      if (text(value) === undefined) continue
      const number = typeof value === 'number' ? value : Number(text(value))
      if (Number.isFinite(number)) question[bound] = number
      else problems.push({ place: row.place(bound), code: 'notNumber', params: { value: text(value)! } })
    }
    const cells: [string[], (typeof QUESTION_COLUMNS)[number]][] = [
      [['id'], 'id'], [['kind'], 'kind'], [['required'], 'required'], [['text', 'zh-CN'], 'text zh-CN'], [['text', 'en'], 'text en'],
      [['help', 'zh-CN'], 'help zh-CN'], [['help', 'en'], 'help en'], [['showWhen'], 'show when question'], [['showWhen', 'question'], 'show when question'],
      [['showWhen', 'anyOf'], 'show when any of'], [['evidence'], 'evidence required when'], [['evidence', 'requiredWhen'], 'evidence required when'],
      [['evidence', 'hint', 'zh-CN'], 'evidence hint zh-CN'], [['evidence', 'hint', 'en'], 'evidence hint en'], [['min'], 'min'], [['max'], 'max'], [['options'], 'kind'],
    ]
    locator.set(path, row.place())
    for (const [at, column] of cells) locator.set([...path, ...at], row.place(column))
    section.questions.push(question)
    if (id !== undefined && questionById.has(id)) problems.push({ place: row.place('id'), code: 'content.duplicateQuestion', params: { id }, refs: { first: questionById.get(id)!.place } })
    if (id !== undefined && !questionById.has(id)) questionById.set(id, { question, path, place: row.place() })
  }

  // Option rows: consecutive rows of one question and option are that option's clause effects.
  let previous: { questionId: string; optionId: string | undefined; option: Record<string, unknown> & { clauses: unknown[] } } | undefined
  const seenOptions = new Set<string>()
  for (const row of options.rows) {
    const questionId = text(row.cell('question'))
    const target = questionId === undefined ? undefined : questionById.get(questionId)
    if (!target) {
      problems.push({ place: row.place('question'), code: questionId ? 'unknownQuestion' : 'missingValue', params: { value: questionId ?? '', column: 'question' } })
      previous = undefined
      continue
    }
    const optionId = text(row.cell('option'))
    const clause = text(row.cell('clause'))
    const effect = text(row.cell('effect'))
    let option = previous && previous.questionId === questionId && previous.optionId === optionId && optionId !== undefined ? previous.option : undefined
    const list = (target.question.options ??= []) as Record<string, unknown>[]
    const optionPath = [...target.path, 'options', list.length - (option ? 1 : 0)]
    if (!option) {
      const key = `${questionId}\u0000${optionId}`
      if (optionId !== undefined && seenOptions.has(key)) {
        problems.push({ place: row.place('option'), code: 'optionRowsApart', params: { option: optionId, question: questionId! } })
        continue
      }
      seenOptions.add(key)
      option = { id: optionId, label: localized(row.cell('label zh-CN'), row.cell('label en')), clauses: [] }
      list.push(option)
      locator.set(optionPath, row.place())
      locator.set([...optionPath, 'id'], row.place('option'))
      locator.set([...optionPath, 'label', 'zh-CN'], row.place('label zh-CN'))
      locator.set([...optionPath, 'label', 'en'], row.place('label en'))
      locator.set([...optionPath, 'clauses'], row.place('clause'))
    }
    if (clause || effect) {
      const effectPath = [...optionPath, 'clauses', option.clauses.length]
      option.clauses.push({ clause, effect })
      locator.set(effectPath, row.place('clause'))
      locator.set([...effectPath, 'clause'], row.place('clause'))
      locator.set([...effectPath, 'effect'], row.place('effect'))
    }
    previous = { questionId: questionId!, optionId, option }
  }

  content.sections = sectionList
  if (problems.length > 0) return { ok: false, problems }
  return { ok: true, content, locator }
}
