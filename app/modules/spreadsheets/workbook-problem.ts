// What can be wrong with an uploaded workbook, as a value callers translate. The reader's own
// codes live under `spreadsheets:read.<code>`; importers add their own codes (cell-level ones with
// a sheet/row/column) in their namespace and use `workbookPlace` for the "where" part.
import type { TFunction } from 'i18next'

export type WorkbookReadCode =
  | 'empty'
  | 'too-large'
  | 'not-xlsx'
  | 'zip-bomb'
  | 'encrypted'
  | 'unsupported-zip'
  | 'corrupt'
  | 'too-many-rows'

export interface WorkbookPlace {
  sheet?: string
  row?: number // 1-based, as the spreadsheet program shows it
  column?: string // letters, as the spreadsheet program shows it
}

export class WorkbookReadError extends Error {
  readonly code: WorkbookReadCode
  readonly place: WorkbookPlace
  readonly params: Record<string, string | number>

  constructor(code: WorkbookReadCode, options: WorkbookPlace & { params?: Record<string, string | number> } = {}) {
    super(`workbook: ${code}${options.sheet ? ` (${options.sheet})` : ''}`)
    this.name = 'WorkbookReadError'
    this.code = code
    const { params = {}, ...place } = options
    this.place = place
    this.params = params
  }
}

/** "Sheet “Answers”, row 12, column D" (only the parts that are known), or '' for the whole file. */
export function workbookPlace(t: TFunction, place: WorkbookPlace): string {
  const parts: string[] = []
  if (place.sheet) parts.push(t('spreadsheets:place.sheet', { sheet: place.sheet }))
  if (place.row) parts.push(t('spreadsheets:place.row', { row: place.row }))
  if (place.column) parts.push(t('spreadsheets:place.column', { column: place.column }))
  return parts.join(t('spreadsheets:place.separator'))
}

/** The reader's error in the user's language, with its place when it has one. */
export function describeWorkbookReadError(t: TFunction, error: WorkbookReadError): string {
  const reason = t(`spreadsheets:read.${error.code}`, error.params)
  const place = workbookPlace(t, error.place)
  return place ? t('spreadsheets:placed', { place, reason }) : reason
}
