// An opened workbook (from the shared safe reader) as the plain rows the importers read.
import type ExcelJS from 'exceljs'
import { plainCellValue } from '~/modules/spreadsheets/read-workbook.server'
import type { CellValue, SheetRows } from './workbook-import'

export function sheetRowsOf(workbook: ExcelJS.Workbook): SheetRows {
  const sheets = new Map<string, CellValue[][]>()
  for (const worksheet of workbook.worksheets) {
    const rows: CellValue[][] = []
    worksheet.eachRow({ includeEmpty: true }, (row, number) => {
      const values: CellValue[] = []
      row.eachCell({ includeEmpty: false }, (cell, column) => {
        values[column - 1] = plainCellValue(cell)
      })
      rows[number - 1] = values
    })
    for (let index = 0; index < rows.length; index++) rows[index] ??= []
    sheets.set(worksheet.name, rows)
  }
  return sheets
}
