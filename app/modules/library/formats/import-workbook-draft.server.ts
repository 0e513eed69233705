// An uploaded questionnaire workbook to a draft: the safe reader (size, zip bomb, formulas never
// evaluated), rows to content, then the drafts' own checks. Problems come back translated, each
// with its sheet, row and column, for the table on the drafts page.
import type { TFunction } from 'i18next'
import type { SessionUser } from '~/modules/auth/session.server'
import { readWorkbook, WorkbookReadError } from '~/modules/spreadsheets/read-workbook.server'
import { importClauseDraft, importDraft } from '../drafts.server'
import { readClauseLibraryWorkbook } from './clause-workbook-import'
import enLibrary from '~/i18n/locales/en/library.json'
import { workbookPlace } from '~/modules/spreadsheets/workbook-problem'
import type { ImportProblem, ProblemPlace } from './located'
import { readQuestionnaireWorkbook } from './workbook-import'
import { sheetRowsOf } from './workbook-rows.server'

export interface ShownProblem {
  sheet?: string
  row?: number
  column?: string
  reason: string
}

export type WorkbookDraftResult = { ok: true; draftId: string } | { ok: false; problems: ShownProblem[] }

const KNOWN_CODES = new Set(['missingSheet', 'missingColumn', 'unknownSection', 'unknownQuestion', 'missingValue', 'notBoolean', 'notNumber', 'optionRowsApart', 'schema', 'content', 'otherQuestionnaire', 'notLatestVersion', 'clauseStillReferenced'])

const CONTENT_CODES = new Set(Object.keys(enLibrary.import.content))

/** A place a message refers to, in words: "Sheet “Questions”, row 4", a JSON item, or the content path. */
function referenceText(t: TFunction, ref: ProblemPlace | string): string {
  if (typeof ref === 'string') return ref
  return 'sheet' in ref ? workbookPlace(t, ref) : ref.item
}

export function showProblem(t: TFunction, problem: ImportProblem): ShownProblem {
  const place = problem.place && 'sheet' in problem.place ? problem.place : undefined
  const params = {
    ...problem.params,
    ...(problem.params?.detail !== undefined ? { detail: translatedDetail(t, String(problem.params.detail)) } : {}),
    ...Object.fromEntries(Object.entries(problem.refs ?? {}).map(([name, ref]) => [name, referenceText(t, ref)])),
  }
  const content = problem.code.startsWith('content.') ? problem.code.slice('content.'.length) : undefined
  let reason: string
  if (content !== undefined && CONTENT_CODES.has(content)) {
    reason = t(`library:import.content.${content}`, params)
    // About another file of the library (e.g. a clause no latest questionnaire covers any more).
    if (problem.params?.file !== undefined) reason = t('library:import.problems.inFile', { file: problem.params.file, reason })
  } else {
    reason = KNOWN_CODES.has(problem.code) ? t(`library:import.problems.${problem.code}`, params) : t('library:import.problems.unknown', { code: problem.code })
  }
  return { sheet: place?.sheet, row: place?.row, column: place?.column, reason }
}

// Schema issues carry the app's i18n error keys ("errors:tooShort|{"minimum":3}"); other details are sentences.
function translatedDetail(t: TFunction, detail: string): string {
  const key = /^(errors:[a-zA-Z.]+)(?:\|(.*))?$/.exec(detail)
  if (!key) return detail
  try {
    return t(key[1]!, key[2] ? (JSON.parse(key[2]) as Record<string, unknown>) : {})
  } catch {
    return t(key[1]!)
  }
}

async function openWorkbook(bytes: Uint8Array, t: TFunction): Promise<{ ok: true; workbook: Awaited<ReturnType<typeof readWorkbook>> } | { ok: false; problems: ShownProblem[] }> {
  try {
    return { ok: true, workbook: await readWorkbook(bytes) }
  } catch (error) {
    if (!(error instanceof WorkbookReadError)) throw error
    return { ok: false, problems: [{ sheet: error.place.sheet, row: error.place.row, column: error.place.column, reason: t(`spreadsheets:read.${error.code}`, error.params) }] }
  }
}

/** An edited clause-library workbook (Clauses and Templates sheets) as a draft of the next clause library. */
export async function importClauseWorkbookDraft(actor: SessionUser, bytes: Uint8Array, fileName: string, t: TFunction): Promise<WorkbookDraftResult> {
  const opened = await openWorkbook(bytes, t)
  if (!opened.ok) return opened
  const read = readClauseLibraryWorkbook(sheetRowsOf(opened.workbook))
  if (!read.ok) return { ok: false, problems: read.problems.map((problem) => showProblem(t, problem)) }
  const result = await importClauseDraft(actor, { fileName, clauses: read.clauses, templates: read.templates, locator: read.locator })
  if (!result.ok) return { ok: false, problems: result.problems.map((problem) => showProblem(t, problem)) }
  return { ok: true, draftId: result.draftId }
}

/** `expected`: the questionnaire whose page the upload came from; a workbook of another one is refused. */
export async function importWorkbookDraft(actor: SessionUser, bytes: Uint8Array, fileName: string, t: TFunction, expected?: { id: string; version: number }): Promise<WorkbookDraftResult> {
  let workbook
  try {
    workbook = await readWorkbook(bytes)
  } catch (error) {
    if (!(error instanceof WorkbookReadError)) throw error
    return { ok: false, problems: [{ sheet: error.place.sheet, row: error.place.row, column: error.place.column, reason: t(`spreadsheets:read.${error.code}`, error.params) }] }
  }
  const read = readQuestionnaireWorkbook(sheetRowsOf(workbook))
  if (!read.ok) return { ok: false, problems: read.problems.map((problem) => showProblem(t, problem)) }
  const result = await importDraft(actor, { source: 'workbook', fileName, content: read.content, locator: read.locator, ...(expected ? { expected } : {}) })
  if (!result.ok) return { ok: false, problems: result.problems.map((problem) => showProblem(t, problem)) }
  return { ok: true, draftId: result.draftId }
}
