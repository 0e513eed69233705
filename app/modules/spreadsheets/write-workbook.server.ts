// The look every workbook Clausewise hands out shares: a bold shaded header row that stays
// frozen, sensible column widths, an auto-filter, and dropdown lists that work in Excel, WPS
// and LibreOffice. Lists longer than Excel's 255-character inline limit go to a hidden
// "Lists" sheet and are referenced from there.
import ExcelJS from 'exceljs'
import { downloadHeaders } from '~/modules/files/download.server'

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

export interface SheetColumn {
  key: string
  header: string
  width?: number // characters; default 16
  hidden?: boolean
  wrap?: boolean
}

const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8EEF7' } }
const HEADER_BORDER: Partial<ExcelJS.Borders> = { bottom: { style: 'thin', color: { argb: 'FF8A9BB5' } } }

export function newWorkbook(): ExcelJS.Workbook {
  const workbook = new ExcelJS.Workbook()
  workbook.creator = 'Clausewise'
  workbook.created = new Date()
  return workbook
}

/** A worksheet whose first row is the styled, frozen header of `columns`. */
export function addTableSheet(
  workbook: ExcelJS.Workbook,
  name: string,
  columns: SheetColumn[],
  { autoFilter = true }: { autoFilter?: boolean } = {},
): ExcelJS.Worksheet {
  const worksheet = workbook.addWorksheet(safeSheetName(name), { views: [{ state: 'frozen', ySplit: 1 }] })
  worksheet.columns = columns.map((column) => ({
    key: column.key,
    header: column.header,
    width: column.width ?? 16,
    hidden: column.hidden ?? false,
    style: column.wrap ? { alignment: { wrapText: true, vertical: 'top' } } : { alignment: { vertical: 'top' } },
  }))
  styleHeaderRow(worksheet.getRow(1))
  if (autoFilter && columns.length > 0) worksheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } }
  return worksheet
}

export function styleHeaderRow(row: ExcelJS.Row) {
  row.font = { bold: true }
  row.alignment = { vertical: 'middle', wrapText: true }
  row.eachCell((cell) => {
    cell.fill = HEADER_FILL
    cell.border = HEADER_BORDER
  })
}

/** Excel's rules: ≤31 characters, none of : \ / ? * [ ]. */
export function safeSheetName(name: string): string {
  return Array.from(name.replace(/[:\\/?*[\]]/g, ' ').trim() || 'Sheet').slice(0, 31).join('')
}

const LISTS_SHEET = 'Lists'
const INLINE_LIST_LIMIT = 255

/**
 * The data-validation formula for a dropdown of `values`: inline when short and free of commas
 * and quotes, otherwise a range on the hidden Lists sheet (created on first use).
 */
export function listFormula(workbook: ExcelJS.Workbook, values: string[]): string {
  const inline = values.join(',')
  if (inline.length + 2 <= INLINE_LIST_LIMIT && !values.some((value) => /[,"]/.test(value))) return `"${inline}"`
  let lists = workbook.getWorksheet(LISTS_SHEET)
  if (!lists) {
    lists = workbook.addWorksheet(LISTS_SHEET, { state: 'veryHidden' })
  }
  const column = lists.columnCount + 1
  values.forEach((value, index) => {
    lists.getCell(index + 1, column).value = value
  })
  const letter = lists.getColumn(column).letter
  return `'${LISTS_SHEET}'!$${letter}$1:$${letter}$${Math.max(1, values.length)}`
}

/** A dropdown on one cell; values outside the list are refused by the spreadsheet program. */
export function setListValidation(cell: ExcelJS.Cell, formula: string, { error, allowBlank = true }: { error?: string; allowBlank?: boolean } = {}) {
  cell.dataValidation = {
    type: 'list',
    allowBlank,
    formulae: [formula],
    showErrorMessage: true,
    errorStyle: 'stop',
    ...(error ? { error } : {}),
  }
}

/** The workbook as a download response. */
export async function workbookResponse(workbook: ExcelJS.Workbook, filename: string, asciiName?: string): Promise<Response> {
  const bytes = await workbook.xlsx.writeBuffer()
  return new Response(new Uint8Array(bytes as ArrayBuffer), { headers: downloadHeaders(filename, XLSX_MIME, {}, { asciiName }) })
}
