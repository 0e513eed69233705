// The vendor's questionnaire as a workbook to fill offline, and reading it back. The workbook is
// only a carrier: every value is re-validated with the questionnaire's own zod schemas
// (answer-schema.ts) and applied through the autosave's conditional per-answer update, so
// nothing it says is trusted — the hidden columns only say which answer a row is, which revision
// it was downloaded at and what the row said then (to tell rows the vendor edited from rows they
// left alone). See docs/decisions/034-vendor-offline-workbook.md.
import { createHash } from 'node:crypto'
import type ExcelJS from 'exceljs'
import type { TFunction } from 'i18next'
import { localized, type Locale } from '~/i18n/locales'
import type { Question, Questionnaire } from '~/modules/library/content-schema'
import { cellText, columnLetter, plainCellValue, plainValueText, type PlainCellValue } from '~/modules/spreadsheets/read-workbook.server'
import type { WorkbookPlace } from '~/modules/spreadsheets/workbook-problem'
import { addTableSheet, listFormula, newWorkbook, setListValidation } from '~/modules/spreadsheets/write-workbook.server'
import { answerValueSchema, commentSchema, LIMITS } from './answer-schema'
import { sectionsOf } from './questions'
import type { AnswerValue } from './vocabulary'

export const OFFLINE_FORMAT = 'clausewise-vendor-answers/1'
const META_SHEET = 'Clausewise'

/** Columns of the answers sheet, in order. The first three are hidden. */
const COLUMNS = ['key', 'rev', 'original', 'questionId', 'section', 'question', 'format', 'answer', 'comment', 'notes', 'evidence'] as const
type ColumnKey = (typeof COLUMNS)[number]
const COLUMN = Object.fromEntries(COLUMNS.map((key, index) => [key, index + 1])) as Record<ColumnKey, number>

export interface StoredAnswerLike {
  value?: AnswerValue
  comment?: string | null
  rev?: number
  evidence?: unknown[]
}

export interface OfflineWorkbookInput {
  assessmentId: string
  questionnaires: readonly Questionnaire[]
  answers: Record<string, StoredAnswerLike>
  editable: 'all' | ReadonlySet<string>
  locale: Locale
  /** Translations of the `offline` namespace in `locale`. */
  t: TFunction
  vendorName: string
}

const questionnaireRefs = (questionnaires: readonly Questionnaire[]) =>
  [...questionnaires].map((questionnaire) => `${questionnaire.id}@${questionnaire.version}`).sort().join(',')

/** What a row said, as cellText reads it back; a different fingerprint on upload means "edited". */
function fingerprint(answerText: string, commentText: string): string {
  return createHash('sha256').update(`${answerText}\u0000${commentText}`).digest('base64url').slice(0, 16)
}

const isEditable = (editable: OfflineWorkbookInput['editable'], questionId: string) => editable === 'all' || editable.has(questionId)

/** The answer as the cell shows it: the chosen options' labels, a number, a date, text. */
function answerCellValue(question: Question, value: AnswerValue | undefined, locale: Locale): PlainCellValue {
  if (value === null || value === undefined) return null
  const label = (id: string) => {
    const option = question.options?.find((candidate) => candidate.id === id)
    return option ? localized(option.label, locale) : id
  }
  switch (question.kind) {
    case 'yes_no_na':
    case 'single_choice':
      return typeof value === 'string' ? label(value) : null
    case 'multi_choice':
      return Array.isArray(value) ? value.map(label).join('; ') : null
    case 'number':
      return typeof value === 'number' ? value : null
    case 'date':
      return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00Z`) : null
    case 'file':
      return null
    default:
      return typeof value === 'string' ? value : null
  }
}

function howToAnswer(t: TFunction, question: Question, locale: Locale): string {
  const labels = (question.options ?? []).map((option) => localized(option.label, locale))
  switch (question.kind) {
    case 'yes_no_na':
    case 'single_choice':
      return t('workbook.format.choice', { options: labels.join(' / ') })
    case 'multi_choice':
      return t('workbook.format.multi', { options: labels.join(' / ') })
    case 'number':
      return question.min !== undefined && question.max !== undefined
        ? t('workbook.format.numberRange', { min: question.min, max: question.max })
        : t('workbook.format.number')
    case 'date':
      return t('workbook.format.date')
    case 'file':
      return t('workbook.format.file')
    case 'short_text':
      return t('workbook.format.shortText', { max: LIMITS.shortText })
    default:
      return t('workbook.format.longText', { max: LIMITS.longText })
  }
}

function notesFor(t: TFunction, question: Question, questionnaires: readonly Questionnaire[], locale: Locale, evidenceCount: number, editable: boolean): string[] {
  const notes: string[] = [question.required ? t('workbook.notes.required') : t('workbook.notes.optional')]
  if (!editable) notes.push(t('workbook.notes.locked'))
  if (question.showWhen) {
    const trigger = questionnaires.flatMap((questionnaire) => questionnaire.sections.flatMap((section) => section.questions)).find((candidate) => candidate.id === question.showWhen!.question)
    const options = question.showWhen.anyOf.map((id) => {
      const option = trigger?.options?.find((candidate) => candidate.id === id)
      return option ? localized(option.label, locale) : id
    })
    notes.push(t('workbook.notes.condition', { question: question.showWhen.question, options: options.join(' / ') }))
  }
  const requiredWhen = question.evidence?.requiredWhen
  if (requiredWhen) {
    const hint = question.evidence?.hint ? ` ${localized(question.evidence.hint, locale)}` : ''
    if (requiredWhen === 'always') notes.push(t('workbook.notes.evidenceAlways') + hint)
    else {
      const options = requiredWhen.map((id) => localized(question.options?.find((option) => option.id === id)?.label, locale) || id)
      notes.push(t('workbook.notes.evidenceWhen', { options: options.join(' / ') }) + hint)
    }
  }
  if (question.help) notes.push(localized(question.help, locale))
  return notes
}

/** The workbook the vendor downloads: one row per question, in the portal's order. */
export async function buildOfflineWorkbook(input: OfflineWorkbookInput): Promise<ExcelJS.Workbook> {
  const { t, locale } = input
  const workbook = newWorkbook()
  const sheetName = t('workbook.sheet')
  const sheet = addTableSheet(
    workbook,
    sheetName,
    [
      { key: 'key', header: 'key', hidden: true, width: 4 },
      { key: 'rev', header: 'rev', hidden: true, width: 4 },
      { key: 'original', header: 'original', hidden: true, width: 4 },
      { key: 'questionId', header: t('workbook.columns.questionId'), width: 12 },
      { key: 'section', header: t('workbook.columns.section'), width: 20, wrap: true },
      { key: 'question', header: t('workbook.columns.question'), width: 60, wrap: true },
      { key: 'format', header: t('workbook.columns.format'), width: 28, wrap: true },
      { key: 'answer', header: t('workbook.columns.answer'), width: 36, wrap: true },
      { key: 'comment', header: t('workbook.columns.comment'), width: 36, wrap: true },
      { key: 'notes', header: t('workbook.columns.notes'), width: 40, wrap: true },
      { key: 'evidence', header: t('workbook.columns.evidence'), width: 14 },
    ],
    { autoFilter: false },
  )
  const lists = new Map<Question, string>()
  for (const { questionnaire, section } of sectionsOf(input.questionnaires)) {
    for (const question of section.questions) {
      const stored = input.answers[question.id]
      const editable = isEditable(input.editable, question.id) && question.kind !== 'file'
      const answer = answerCellValue(question, stored?.value, locale)
      const comment = stored?.comment ?? null
      const evidenceCount = stored?.evidence?.length ?? 0
      const notes = notesFor(t, question, input.questionnaires, locale, evidenceCount, isEditable(input.editable, question.id))
      const row = sheet.addRow({
        key: `${questionnaire.id}:${question.id}`,
        rev: stored?.rev ?? 0,
        original: fingerprint(plainValueText(answer), plainValueText(comment)),
        questionId: question.id,
        section: localized(section.title, locale),
        question: localized(question.text, locale),
        format: howToAnswer(t, question, locale),
        answer,
        comment,
        notes: notes.join('\n'),
        evidence: question.evidence || question.kind === 'file' ? t('workbook.evidenceCount', { count: evidenceCount }) : '',
      })
      const answerCell = row.getCell(COLUMN.answer)
      const commentCell = row.getCell(COLUMN.comment)
      if (editable) {
        answerCell.protection = { locked: false }
        answerCell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFFBEA' } }
        if (question.kind === 'yes_no_na' || question.kind === 'single_choice') {
          let formula = lists.get(question)
          if (!formula) {
            formula = listFormula(workbook, (question.options ?? []).map((option) => localized(option.label, locale)))
            lists.set(question, formula)
          }
          setListValidation(answerCell, formula, { error: t('workbook.chooseFromList') })
        } else if (question.kind === 'number') {
          answerCell.dataValidation = {
            type: 'decimal',
            operator: 'between',
            allowBlank: true,
            formulae: [question.min ?? -1e15, question.max ?? 1e15],
            showErrorMessage: true,
            error: howToAnswer(t, question, locale),
          }
        } else if (question.kind === 'date') {
          answerCell.numFmt = 'yyyy-mm-dd'
          answerCell.dataValidation = { type: 'date', operator: 'greaterThan', allowBlank: true, formulae: [new Date('1900-01-01T00:00:00Z')], showErrorMessage: true, error: t('workbook.format.date') }
        }
      } else {
        answerCell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF1F5F9' } }
      }
      if (isEditable(input.editable, question.id)) commentCell.protection = { locked: false }
      if (question.showWhen || question.evidence) answerCell.note = notes.slice(1).join('\n')
    }
  }
  await sheet.protect('', { selectLockedCells: true, selectUnlockedCells: true, formatRows: true, formatColumns: false, insertRows: false, deleteRows: false, sort: false, autoFilter: false })

  const readme = workbook.addWorksheet(t('workbook.readmeSheet'))
  readme.getColumn(1).width = 110
  const lines = [t('workbook.readme.title', { vendor: input.vendorName }), '', t('workbook.readme.fill'), t('workbook.readme.choices'), t('workbook.readme.evidence'), t('workbook.readme.upload'), t('workbook.readme.conflicts')]
  lines.forEach((line, index) => {
    const cell = readme.getCell(index + 1, 1)
    cell.value = line
    cell.alignment = { wrapText: true, vertical: 'top' }
    if (index === 0) cell.font = { bold: true, size: 14 }
  })

  const meta = workbook.addWorksheet(META_SHEET, { state: 'veryHidden' })
  meta.addRows([
    ['format', OFFLINE_FORMAT],
    ['assessment', input.assessmentId],
    ['questionnaires', questionnaireRefs(input.questionnaires)],
    ['sheet', sheet.name],
    ['downloadedAt', new Date().toISOString()],
  ])
  return workbook
}

// --- reading it back ---

/** A problem with the upload: where, and an i18n key (`ns:key|{json params}`) saying what. */
export interface OfflineProblem {
  place: WorkbookPlace
  message: string
}

export interface OfflineRow {
  questionId: string
  baseRev: number
  value: AnswerValue
  comment: string | null
  row: number
}

export type OfflineParse =
  | { ok: true; rows: OfflineRow[] }
  | { ok: false; problems: OfflineProblem[] }

const MAX_PROBLEMS = 100
const message = (key: string, params?: Record<string, unknown>) => (params ? `${key}|${JSON.stringify(params)}` : key)
const normalize = (text: string) => text.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase()

function optionIdFor(question: Question, text: string): string | undefined {
  const wanted = normalize(text)
  return question.options?.find((option) => [option.id, option.label.en, option.label['zh-CN']].some((candidate) => normalize(candidate) === wanted))?.id
}

type CellRead = { ok: true; value: AnswerValue } | { ok: false; message: string }

/** The answer cell as the value the autosave would store, validated by the same schema. */
function readAnswerCell(question: Question, cell: ExcelJS.Cell): CellRead {
  const text = cellText(cell)
  let candidate: unknown = text
  switch (question.kind) {
    case 'yes_no_na':
    case 'single_choice': {
      if (!text) break
      const id = optionIdFor(question, text)
      if (!id) return { ok: false, message: message('offline:problems.notAnOption', { value: text.slice(0, 80) }) }
      candidate = id
      break
    }
    case 'multi_choice': {
      if (!text) break
      const parts = text.split(/[;；\n,，、]/).map((part) => part.trim()).filter(Boolean)
      const ids: string[] = []
      for (const part of parts) {
        const id = optionIdFor(question, part)
        if (!id) return { ok: false, message: message('offline:problems.notAnOption', { value: part.slice(0, 80) }) }
        if (!ids.includes(id)) ids.push(id)
      }
      candidate = ids
      break
    }
    case 'number': {
      const raw = plainCellValue(cell)
      if (typeof raw === 'number') candidate = raw
      else if (text && !/^\s*-?\d+(\.\d+)?\s*$/.test(text)) return { ok: false, message: message('offline:problems.notANumber', { value: text.slice(0, 80) }) }
      break
    }
    case 'date': {
      if (text && !/^\d{4}-\d{2}-\d{2}$/.test(text)) return { ok: false, message: message('offline:problems.notADate', { value: text.slice(0, 80) }) }
      break
    }
    case 'file':
      if (text) return { ok: false, message: 'offline:problems.fileInPortal' }
      break
    default:
      break
  }
  const parsed = answerValueSchema(question).safeParse(candidate)
  if (!parsed.success) return { ok: false, message: parsed.error.issues[0]?.message ?? 'errors:invalid' }
  return { ok: true, value: parsed.data }
}

function metaOf(workbook: ExcelJS.Workbook): Map<string, string> {
  const meta = new Map<string, string>()
  const sheet = workbook.getWorksheet(META_SHEET)
  sheet?.eachRow((row) => {
    meta.set(cellText(row.getCell(1)), cellText(row.getCell(2)))
  })
  return meta
}

/**
 * Reads an uploaded offline workbook against the assessment it was uploaded to. Everything is
 * checked; nothing is decided about the database here (see planOfflineChanges).
 */
export function parseOfflineWorkbook(
  workbook: ExcelJS.Workbook,
  target: { assessmentId: string; questionnaires: readonly Questionnaire[]; editable: 'all' | ReadonlySet<string> },
): OfflineParse {
  const meta = metaOf(workbook)
  if (meta.get('format') !== OFFLINE_FORMAT) return { ok: false, problems: [{ place: {}, message: 'offline:problems.notOurWorkbook' }] }
  if (meta.get('assessment') !== target.assessmentId) return { ok: false, problems: [{ place: {}, message: 'offline:problems.otherAssessment' }] }
  if (meta.get('questionnaires') !== questionnaireRefs(target.questionnaires)) {
    return { ok: false, problems: [{ place: {}, message: message('offline:problems.otherVersion', { theirs: meta.get('questionnaires') ?? '', ours: questionnaireRefs(target.questionnaires) }) }] }
  }
  const sheet = workbook.getWorksheet(meta.get('sheet') ?? '')
  if (!sheet) return { ok: false, problems: [{ place: { sheet: meta.get('sheet') }, message: 'offline:problems.sheetMissing' }] }

  const questions = new Map<string, { questionnaireId: string; question: Question }>()
  for (const questionnaire of target.questionnaires) {
    for (const section of questionnaire.sections) for (const question of section.questions) questions.set(`${questionnaire.id}:${question.id}`, { questionnaireId: questionnaire.id, question })
  }
  const problems: OfflineProblem[] = []
  const rows: OfflineRow[] = []
  const seen = new Set<string>()
  const at = (row: number, column?: number): WorkbookPlace => ({ sheet: sheet.name, row, ...(column ? { column: columnLetter(column) } : {}) })
  const problem = (place: WorkbookPlace, text: string) => {
    if (problems.length < MAX_PROBLEMS) problems.push({ place, message: text })
  }

  sheet.eachRow((row, rowNumber) => {
    if (rowNumber === 1) return
    const key = cellText(row.getCell(COLUMN.key))
    if (!key) {
      // A row the vendor added below the questions: only a problem if they wrote an answer in it.
      if (cellText(row.getCell(COLUMN.answer)) || cellText(row.getCell(COLUMN.comment))) problem(at(rowNumber, COLUMN.answer), 'offline:problems.unknownRow')
      return
    }
    const entry = questions.get(key)
    if (!entry) return problem(at(rowNumber, COLUMN.key), message('offline:problems.unknownQuestion', { id: key.slice(0, 80) }))
    if (seen.has(key)) return problem(at(rowNumber, COLUMN.key), message('offline:problems.duplicateQuestion', { id: entry.question.id }))
    seen.add(key)
    const revText = cellText(row.getCell(COLUMN.rev))
    if (!/^\d{1,9}$/.test(revText)) return problem(at(rowNumber, COLUMN.rev), 'offline:problems.damagedRow')
    const answerCell = row.getCell(COLUMN.answer)
    const commentCell = row.getCell(COLUMN.comment)
    // Rows the vendor left as downloaded are not theirs to apply (a colleague may have changed them since).
    if (fingerprint(cellText(answerCell), cellText(commentCell)) === cellText(row.getCell(COLUMN.original))) return
    if (!isEditable(target.editable, entry.question.id)) return problem(at(rowNumber, COLUMN.answer), 'offline:problems.locked')
    const value = readAnswerCell(entry.question, answerCell)
    if (!value.ok) problem(at(rowNumber, COLUMN.answer), value.message)
    const comment = commentSchema.safeParse(cellText(commentCell))
    if (!comment.success) problem(at(rowNumber, COLUMN.comment), comment.error.issues[0]?.message ?? 'errors:invalid')
    if (value.ok && comment.success) {
      rows.push({ questionId: entry.question.id, baseRev: Number(revText), value: value.value, comment: comment.data as string | null, row: rowNumber })
    }
  })
  if (problems.length) return { ok: false, problems }
  return { ok: true, rows }
}

// --- what an upload would change ---

export interface PlannedChange {
  questionId: string
  baseRev: number
  value: AnswerValue
  comment: string | null
  before: { value: AnswerValue; comment: string | null }
}

export interface PlannedConflict {
  questionId: string
  yours: { value: AnswerValue; comment: string | null }
  theirs: { value: AnswerValue; comment: string | null; updatedBy: string | null; updatedAt: string | null }
}

export interface OfflinePlan {
  changes: PlannedChange[]
  conflicts: PlannedConflict[]
  /** Edited rows that already say what is stored (nothing to do). */
  alreadySaved: number
}

const sameValue = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null)

/**
 * Edited rows against the answers stored now: a change when the answer is still at the revision
 * the workbook was downloaded at, a conflict (both values, nothing written) when a colleague
 * saved it since. The same rule decides again at apply time, in the update itself.
 */
export function planOfflineChanges(
  rows: readonly OfflineRow[],
  stored: Record<string, StoredAnswerLike & { updatedBy?: string; updatedAt?: Date | string }>,
): OfflinePlan {
  const plan: OfflinePlan = { changes: [], conflicts: [], alreadySaved: 0 }
  for (const row of rows) {
    const current = stored[row.questionId]
    if (sameValue(current?.value, row.value) && (current?.comment ?? null) === row.comment) {
      plan.alreadySaved++
      continue
    }
    if ((current?.rev ?? 0) === row.baseRev) {
      plan.changes.push({ questionId: row.questionId, baseRev: row.baseRev, value: row.value, comment: row.comment, before: { value: current?.value ?? null, comment: current?.comment ?? null } })
    } else {
      plan.conflicts.push({
        questionId: row.questionId,
        yours: { value: row.value, comment: row.comment },
        theirs: {
          value: current?.value ?? null,
          comment: current?.comment ?? null,
          updatedBy: current?.updatedBy ?? null,
          updatedAt: current?.updatedAt ? new Date(current.updatedAt).toISOString() : null,
        },
      })
    }
  }
  return plan
}
