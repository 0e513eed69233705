import ExcelJS from 'exceljs'
import JSZip from 'jszip'
import { describe, expect, it } from 'vitest'
import { cellText, columnLetter, isFormulaCell, plainCellValue, readWorkbook, WORKBOOK_LIMITS } from '~/modules/spreadsheets/read-workbook.server'
import { describeWorkbookReadError, WorkbookReadError } from '~/modules/spreadsheets/workbook-problem'
import { addTableSheet, listFormula, newWorkbook, setListValidation } from '~/modules/spreadsheets/write-workbook.server'
import i18next from 'i18next'
import { resources } from '~/i18n/resources'

async function workbookBytes(fill: (workbook: ExcelJS.Workbook) => void): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook()
  fill(workbook)
  return Buffer.from(await workbook.xlsx.writeBuffer())
}

const simple = () => workbookBytes((workbook) => {
  workbook.addWorksheet('Answers').getCell('A1').value = 'hello'
})

async function readError(bytes: Uint8Array, limits?: Parameters<typeof readWorkbook>[1]): Promise<WorkbookReadError> {
  try {
    await readWorkbook(bytes, limits)
  } catch (error) {
    if (error instanceof WorkbookReadError) return error
    throw error
  }
  throw new Error('the workbook was accepted')
}

/** A real workbook with one more entry added (what a zip bomb hides behind). */
async function withExtraEntry(name: string, content: Buffer): Promise<Buffer> {
  const zip = await JSZip.loadAsync(await simple())
  zip.file(name, content)
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' })
}

/** Rewrites the uncompressed size of `name` in both its local header and the central directory. */
function lieAboutSize(zip: Buffer, name: string, declared: number): Buffer {
  const patched = Buffer.from(zip)
  const nameBytes = Buffer.from(name)
  for (let at = patched.indexOf(nameBytes); at >= 0; at = patched.indexOf(nameBytes, at + 1)) {
    if (patched.readUInt32LE(at - 30) === 0x04034b50) patched.writeUInt32LE(declared, at - 30 + 22)
    if (patched.readUInt32LE(at - 46) === 0x02014b50) patched.writeUInt32LE(declared, at - 46 + 24)
  }
  return patched
}

describe('readWorkbook refuses what is not a safe workbook', () => {
  it('opens a real workbook', async () => {
    const workbook = await readWorkbook(await simple())
    expect(cellText(workbook.getWorksheet('Answers')!.getCell('A1'))).toBe('hello')
  })

  it('refuses an empty file and a file over 20 MB before looking inside', async () => {
    expect((await readError(new Uint8Array(0))).code).toBe('empty')
    const big = Buffer.alloc(WORKBOOK_LIMITS.maxBytes + 1, 0x41)
    expect((await readError(big)).code).toBe('too-large')
  })

  it('refuses files renamed to .xlsx: CSV text, a PDF, a Word document, a plain zip', async () => {
    expect((await readError(Buffer.from('question,answer\nQ1,yes\n'))).code).toBe('not-xlsx')
    const pdf = await readError(Buffer.from('%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n'))
    expect(pdf.code).toBe('not-xlsx')
    expect(pdf.params.kind).toBe('PDF')
    const docx = new JSZip()
    docx.file('[Content_Types].xml', '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
    docx.file('word/document.xml', '<w:document/>')
    expect((await readError(await docx.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }))).code).toBe('not-xlsx')
    const plain = new JSZip()
    plain.file('notes.txt', 'hello')
    expect((await readError(await plain.generateAsync({ type: 'nodebuffer' }))).code).toBe('not-xlsx')
  })

  it('refuses a zip bomb that declares its size honestly (ratio)', async () => {
    const bomb = await withExtraEntry('xl/media/image1.bin', Buffer.alloc(64 * 1024 * 1024, 0))
    expect(bomb.length).toBeLessThan(1024 * 1024)
    expect((await readError(bomb)).code).toBe('zip-bomb')
  })

  it('opens a small sheet whose validation, merge or column definition spans the whole grid without expanding it', async () => {
    const base = await workbookBytes((workbook) => {
      const sheet = workbook.addWorksheet('Questions')
      sheet.columns = [{ header: 'id', key: 'id', width: 10 }]
      sheet.addRow(['Q-1'])
      sheet.getCell('A2').dataValidation = { type: 'list', allowBlank: true, formulae: ['"x,y"'] }
      sheet.mergeCells('C3:D4')
    })
    const zip = await JSZip.loadAsync(base)
    const xml = await zip.file('xl/worksheets/sheet1.xml')!.async('string')
    const huge = xml.replace('sqref="A2"', 'sqref="A1:XFD1048576"').replace('ref="C3:D4"', 'ref="A1:XFD1048576"').replace(/<col min="1" max="1"/, '<col min="1" max="2000000000"')
    expect(huge.match(/XFD1048576|2000000000/g)).toHaveLength(3)
    zip.file('xl/worksheets/sheet1.xml', huge)
    const bytes = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' })
    expect(bytes.length).toBeLessThan(10_000)
    const started = Date.now()
    const workbook = await readWorkbook(bytes)
    expect(cellText(workbook.getWorksheet('Questions')!.getCell('A2'))).toBe('Q-1')
    expect(Date.now() - started).toBeLessThan(2000)
  })

  it('refuses a zip bomb whose directory lies about the size: inflation stops at the declared size', async () => {
    const honest = await withExtraEntry('xl/media/image1.bin', Buffer.alloc(8 * 1024 * 1024, 0))
    const lying = lieAboutSize(honest, 'xl/media/image1.bin', 1000)
    const error = await readError(lying)
    expect(error.code).toBe('zip-bomb')
  })

  it('refuses a workbook whose entries add up past the total cap', async () => {
    const many = await withExtraEntry('xl/media/a.bin', Buffer.alloc(2 * 1024 * 1024, 7))
    expect((await readError(many, { maxUncompressedBytes: 1024 * 1024 })).code).toBe('zip-bomb')
  })

  it('refuses a truncated or damaged workbook, and one whose entries are encrypted', async () => {
    const bytes = await simple()
    expect((await readError(bytes.subarray(0, bytes.length - 200))).code).toBe('corrupt')
    const encrypted = Buffer.from(bytes)
    for (let at = encrypted.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])); at >= 0; at = encrypted.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]), at + 4)) {
      encrypted.writeUInt16LE(encrypted.readUInt16LE(at + 8) | 1, at + 8)
    }
    expect((await readError(encrypted)).code).toBe('encrypted')
  })

  it('refuses a worksheet with more than 50,000 rows, before exceljs builds them', async () => {
    const bytes = await workbookBytes((workbook) => {
      const sheet = workbook.addWorksheet('Vendors')
      for (let row = 1; row <= WORKBOOK_LIMITS.maxRows + 1; row++) sheet.getCell(row, 1).value = row
    })
    const error = await readError(bytes)
    expect(error.code).toBe('too-many-rows')
    expect(error.params.limit).toBe(50_000)
    const atLimit = await workbookBytes((workbook) => {
      const sheet = workbook.addWorksheet('Vendors')
      for (let row = 1; row <= 1_000; row++) sheet.getCell(row, 1).value = row
    })
    expect((await readWorkbook(atLimit, { maxRows: 1_000 })).getWorksheet('Vendors')!.rowCount).toBe(1_000)
    expect((await readError(atLimit, { maxRows: 999 })).code).toBe('too-many-rows')
  }, 30_000)
})

describe('cell values', () => {
  it('takes a formula cell’s cached value and never evaluates the formula', async () => {
    const bytes = await workbookBytes((workbook) => {
      const sheet = workbook.addWorksheet('Answers')
      // The cached result deliberately disagrees with the formula: evaluation would give 2.
      sheet.getCell('A1').value = { formula: '1+1', result: 5 } as ExcelJS.CellFormulaValue
      sheet.getCell('A2').value = { formula: 'WEBSERVICE("http://127.0.0.1/x")', result: 'yes' } as ExcelJS.CellFormulaValue
      sheet.getCell('A3').value = { formula: 'NOW()' } as ExcelJS.CellFormulaValue
      sheet.getCell('A4').value = { richText: [{ text: 'part ' }, { font: { bold: true }, text: 'two' }] }
      sheet.getCell('A5').value = { text: 'a link', hyperlink: 'https://example.cn' }
      sheet.getCell('A6').value = { error: '#N/A' } as ExcelJS.CellErrorValue
      sheet.getCell('A7').value = '  padded  '
    })
    const sheet = (await readWorkbook(bytes)).getWorksheet('Answers')!
    expect(isFormulaCell(sheet.getCell('A1'))).toBe(true)
    expect(plainCellValue(sheet.getCell('A1'))).toBe(5)
    expect(cellText(sheet.getCell('A2'))).toBe('yes')
    expect(plainCellValue(sheet.getCell('A3'))).toBeNull()
    expect(cellText(sheet.getCell('A4'))).toBe('part two')
    expect(cellText(sheet.getCell('A5'))).toBe('a link')
    expect(plainCellValue(sheet.getCell('A6'))).toBeNull()
    expect(cellText(sheet.getCell('A7'))).toBe('padded')
    expect(cellText(sheet.getCell('B9'))).toBe('')
  })

  it('names columns as the spreadsheet program does', () => {
    expect([1, 2, 26, 27, 28, 52, 53, 702, 703].map(columnLetter)).toEqual(['A', 'B', 'Z', 'AA', 'AB', 'AZ', 'BA', 'ZZ', 'AAA'])
  })
})

describe('errors in the user’s language', () => {
  it('names the place and the reason in both languages', async () => {
    const error = new WorkbookReadError('too-many-rows', { sheet: 'Vendors', params: { limit: 50_000 } })
    for (const [lng, expected] of [['en', 'Sheet “Vendors”: The worksheet has more than 50000 rows.'], ['zh-CN', '工作表“Vendors”：工作表超过 50000 行。']] as const) {
      const i18n = i18next.createInstance()
      await i18n.init({ lng, resources, interpolation: { escapeValue: false } })
      expect(describeWorkbookReadError(i18n.t, error)).toBe(expected)
    }
  })
})

describe('writing workbooks', () => {
  it('freezes and styles the header, and puts long dropdown lists on a hidden sheet', async () => {
    const workbook = newWorkbook()
    const sheet = addTableSheet(workbook, 'Answers: all/of them', [{ key: 'id', header: 'ID', hidden: true }, { key: 'answer', header: 'Answer', width: 30 }])
    sheet.addRow({ id: 'q1', answer: 'yes' })
    setListValidation(sheet.getCell('B2'), listFormula(workbook, ['yes', 'no']))
    const long = Array.from({ length: 40 }, (_, index) => `Option number ${index}, with a comma`)
    setListValidation(sheet.getCell('B3'), listFormula(workbook, long))
    // Read back with plain exceljs: the safe reader skips widths and validations on purpose.
    const read = new ExcelJS.Workbook()
    await read.xlsx.load(await workbook.xlsx.writeBuffer())
    const answers = read.getWorksheet('Answers  all of them')!
    expect(answers.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 })
    expect(answers.getCell('A1').font?.bold).toBe(true)
    expect(answers.getColumn(1).hidden).toBe(true)
    expect(answers.getColumn(2).width).toBe(30)
    expect(answers.getCell('B2').dataValidation).toMatchObject({ type: 'list', formulae: ['"yes,no"'] })
    expect(answers.getCell('B3').dataValidation.formulae).toEqual(["'Lists'!$A$1:$A$40"])
    expect(read.getWorksheet('Lists')!.state).toBe('veryHidden')
    expect(cellText(read.getWorksheet('Lists')!.getCell('A40'))).toBe('Option number 39, with a comma')
  })
})
