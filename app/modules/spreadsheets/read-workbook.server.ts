// Opens an uploaded .xlsx without trusting it. An .xlsx is a zip of XML files; exceljs (through
// jszip) inflates every entry into memory, so everything that could make that expensive is
// checked first, from the zip's own central directory and a bounded trial inflation:
//   1. byte size (20 MB) and the file's real signature (a renamed .csv/.pdf is not a workbook);
//   2. the central directory: entry count, no encryption, only stored/deflate entries, no zip64;
//   3. every entry inflated with zlib's maxOutputLength set to the size the directory declares,
//      so a lying directory (the classic zip bomb) stops at that size instead of filling memory;
//      declared totals and per-entry ratios are capped;
//   4. worksheet rows counted in the inflated XML (50,000) before exceljs builds row objects.
// Only then does exceljs parse. Formula cells are never evaluated: `cellText` returns the value
// the spreadsheet program cached when it last saved.
// Errors are `WorkbookReadError`s with a code (and sheet/row/column where there is one) that
// callers translate with `spreadsheets:read.<code>` (see workbook-problem.ts).
import { promisify } from 'node:util'
import { inflateRaw } from 'node:zlib'
import ExcelJS from 'exceljs'
import { fileTypeFromBuffer } from 'file-type'
import { WorkbookReadError } from './workbook-problem'

export { WorkbookReadError } from './workbook-problem'

const inflateRawAsync = promisify(inflateRaw)

export interface WorkbookLimits {
  maxBytes: number
  maxRows: number // per worksheet
  maxEntries: number
  maxUncompressedBytes: number // all entries together
  maxEntryRatio: number // uncompressed / compressed for one large entry
}

export const WORKBOOK_LIMITS: WorkbookLimits = {
  maxBytes: 20 * 1024 * 1024,
  maxRows: 50_000,
  maxEntries: 2_000,
  // 50,000 rows of a dozen short cells is ~40 MB of sheet XML; a little room above that.
  maxUncompressedBytes: 200 * 1024 * 1024,
  // Sheet XML deflates 5–20×; hundreds-to-one is what a bomb looks like. Small entries are
  // exempt (a 100-byte file of spaces compresses absurdly well and costs nothing).
  maxEntryRatio: 200,
}

const RATIO_EXEMPT_BELOW = 1024 * 1024

// Parts of a sheet no importer reads, and which exceljs expands one entry per cell or column on
// load: a 6 KB file with one validation or merge over A1:XFD1048576 (17 billion cells) or a
// column definition up to max="2000000000" never finishes (a bomb the zip checks cannot see).
// Skipping them also makes every load cheaper.
const IGNORED_SHEET_PARTS = ['cols', 'dataValidations', 'mergeCells', 'conditionalFormatting', 'extLst']

interface ZipEntry {
  name: string
  flags: number
  method: number
  compressedSize: number
  uncompressedSize: number
  localHeaderOffset: number
}

/** Opens the workbook, or throws a WorkbookReadError. Never evaluates a formula. */
export async function readWorkbook(bytes: Uint8Array, overrides: Partial<WorkbookLimits> = {}): Promise<ExcelJS.Workbook> {
  const limits = { ...WORKBOOK_LIMITS, ...overrides }
  const buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  if (buffer.length === 0) throw new WorkbookReadError('empty')
  if (buffer.length > limits.maxBytes) throw new WorkbookReadError('too-large', { params: { limitMb: Math.round(limits.maxBytes / 1024 / 1024) } })
  const detected = await fileTypeFromBuffer(buffer)
  if (detected?.ext !== 'xlsx') throw new WorkbookReadError('not-xlsx', { params: { kind: detected?.ext.toUpperCase() ?? '' } })

  const entries = readCentralDirectory(buffer, limits)
  await inspectEntries(buffer, entries, limits)

  const workbook = new ExcelJS.Workbook()
  try {
    // exceljs declares its own Buffer type; a Node Buffer is what it reads.
    await workbook.xlsx.load(buffer as unknown as ExcelJS.Buffer, { ignoreNodes: IGNORED_SHEET_PARTS })
  } catch {
    throw new WorkbookReadError('corrupt')
  }
  // A second guard on rows: exceljs's own count (covers row elements our scan could not see).
  for (const worksheet of workbook.worksheets) {
    if (worksheet.rowCount > limits.maxRows) throw new WorkbookReadError('too-many-rows', { sheet: worksheet.name, params: { limit: limits.maxRows } })
  }
  return workbook
}

// --- the zip's central directory (APPNOTE.TXT 4.3.12–4.3.16) ---

const EOCD_SIGNATURE = 0x06054b50
const CENTRAL_SIGNATURE = 0x02014b50
const LOCAL_SIGNATURE = 0x04034b50
const ZIP64_MARK = 0xffffffff

function readCentralDirectory(buffer: Buffer, limits: WorkbookLimits): ZipEntry[] {
  // The end record is the last 22 bytes plus a comment of up to 65,535 bytes.
  let eocd = -1
  for (let offset = buffer.length - 22; offset >= Math.max(0, buffer.length - 22 - 0xffff); offset--) {
    if (buffer.readUInt32LE(offset) === EOCD_SIGNATURE) {
      eocd = offset
      break
    }
  }
  if (eocd < 0) throw new WorkbookReadError('corrupt')
  const entryCount = buffer.readUInt16LE(eocd + 10)
  const directorySize = buffer.readUInt32LE(eocd + 12)
  const directoryOffset = buffer.readUInt32LE(eocd + 16)
  if (entryCount === 0xffff || directoryOffset === ZIP64_MARK) throw new WorkbookReadError('unsupported-zip')
  if (entryCount > limits.maxEntries) throw new WorkbookReadError('zip-bomb')
  if (directoryOffset + directorySize > eocd) throw new WorkbookReadError('corrupt')

  const entries: ZipEntry[] = []
  let offset = directoryOffset
  for (let index = 0; index < entryCount; index++) {
    if (offset + 46 > eocd || buffer.readUInt32LE(offset) !== CENTRAL_SIGNATURE) throw new WorkbookReadError('corrupt')
    const nameLength = buffer.readUInt16LE(offset + 28)
    const extraLength = buffer.readUInt16LE(offset + 30)
    const commentLength = buffer.readUInt16LE(offset + 32)
    const entry: ZipEntry = {
      flags: buffer.readUInt16LE(offset + 8),
      method: buffer.readUInt16LE(offset + 10),
      compressedSize: buffer.readUInt32LE(offset + 20),
      uncompressedSize: buffer.readUInt32LE(offset + 24),
      localHeaderOffset: buffer.readUInt32LE(offset + 42),
      name: buffer.toString('utf8', offset + 46, offset + 46 + nameLength),
    }
    if (entry.flags & 0x1) throw new WorkbookReadError('encrypted')
    if (entry.compressedSize === ZIP64_MARK || entry.uncompressedSize === ZIP64_MARK || entry.localHeaderOffset === ZIP64_MARK) throw new WorkbookReadError('unsupported-zip')
    if (entry.method !== 0 && entry.method !== 8) throw new WorkbookReadError('unsupported-zip')
    entries.push(entry)
    offset += 46 + nameLength + extraLength + commentLength
  }

  const declaredTotal = entries.reduce((sum, entry) => sum + entry.uncompressedSize, 0)
  if (declaredTotal > limits.maxUncompressedBytes) throw new WorkbookReadError('zip-bomb')
  for (const entry of entries) {
    if (entry.uncompressedSize >= RATIO_EXEMPT_BELOW && entry.uncompressedSize > limits.maxEntryRatio * Math.max(1, entry.compressedSize)) {
      throw new WorkbookReadError('zip-bomb')
    }
  }
  return entries
}

const WORKSHEET_ENTRY = /^xl\/worksheets\/[^/]+\.xml$/

/** Inflates each entry no further than its declared size; counts worksheet rows on the way. */
async function inspectEntries(buffer: Buffer, entries: ZipEntry[], limits: WorkbookLimits) {
  let tooManyRows: string | undefined // the first worksheet entry over the limit
  const parts = new Map<string, string>() // the workbook and its relationships, to name that sheet
  for (const entry of entries) {
    const start = entry.localHeaderOffset
    if (start + 30 > buffer.length || buffer.readUInt32LE(start) !== LOCAL_SIGNATURE) throw new WorkbookReadError('corrupt')
    const dataStart = start + 30 + buffer.readUInt16LE(start + 26) + buffer.readUInt16LE(start + 28)
    const dataEnd = dataStart + entry.compressedSize
    if (dataEnd > buffer.length) throw new WorkbookReadError('corrupt')
    const compressed = buffer.subarray(dataStart, dataEnd)
    let content: Buffer
    if (entry.method === 0) {
      if (entry.compressedSize !== entry.uncompressedSize) throw new WorkbookReadError('corrupt')
      content = compressed
    } else {
      try {
        // One byte over the declared size is enough to know the directory lied.
        content = await inflateRawAsync(compressed, { maxOutputLength: Math.max(1, entry.uncompressedSize + 1) })
      } catch (error) {
        if (error instanceof RangeError || (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw new WorkbookReadError('zip-bomb')
        throw new WorkbookReadError('corrupt')
      }
    }
    if (content.length !== entry.uncompressedSize) throw new WorkbookReadError(content.length > entry.uncompressedSize ? 'zip-bomb' : 'corrupt')
    if (!tooManyRows && WORKSHEET_ENTRY.test(entry.name) && countRows(content) > limits.maxRows) tooManyRows = entry.name
    if (entry.name === WORKBOOK_PART || entry.name === WORKBOOK_RELATIONS) parts.set(entry.name, content.toString('utf8'))
  }
  if (tooManyRows) {
    const sheet = sheetNameOf(tooManyRows, parts.get(WORKBOOK_PART) ?? '', parts.get(WORKBOOK_RELATIONS) ?? '')
    throw new WorkbookReadError('too-many-rows', { ...(sheet ? { sheet } : {}), params: { limit: limits.maxRows } })
  }
}

const WORKBOOK_PART = 'xl/workbook.xml'
const WORKBOOK_RELATIONS = 'xl/_rels/workbook.xml.rels'

/** The name a worksheet entry has in the workbook (`<sheet name=… r:id=…>` → relationship target), for messages. */
function sheetNameOf(entryName: string, workbookXml: string, relationsXml: string): string | undefined {
  const target = entryName.replace(/^xl\//, '')
  const relation = [...relationsXml.matchAll(/<Relationship\b[^>]*>/g)].map((match) => match[0]).find((tag) => {
    const to = /\bTarget="([^"]*)"/.exec(tag)?.[1] ?? ''
    return to === target || to === `/${entryName}`
  })
  const id = relation && /\bId="([^"]*)"/.exec(relation)?.[1]
  if (!id) return undefined
  const sheet = [...workbookXml.matchAll(/<sheet\b[^>]*>/g)].map((match) => match[0]).find((tag) => tag.includes(` r:id="${id}"`))
  const name = sheet && /\bname="([^"]*)"/.exec(sheet)?.[1]
  return name?.replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").slice(0, 31)
}

/** `<row` elements in sheet XML (`<row>` or `<row r=…>`; `<rowBreaks>` etc. excluded). */
function countRows(xml: Buffer): number {
  let count = 0
  let at = xml.indexOf('<row')
  while (at >= 0) {
    const next = xml[at + 4]
    if (next === 0x20 || next === 0x3e || next === 0x2f || next === 0x09 || next === 0x0a || next === 0x0d) count++
    at = xml.indexOf('<row', at + 4)
  }
  return count
}

// --- cell values ---

export type PlainCellValue = string | number | boolean | Date | null

/**
 * A cell's value as the person saw it: formulas give their cached result (never evaluated —
 * a workbook from outside may hold anything in a formula), rich text its plain text, a
 * hyperlink its text, an error cell null.
 */
export function plainCellValue(cell: ExcelJS.Cell): PlainCellValue {
  return plainValue(cell.value)
}

function plainValue(value: ExcelJS.CellValue): PlainCellValue {
  if (value === null || value === undefined) return null
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value instanceof Date) return value
  if (typeof value === 'object') {
    if ('formula' in value || 'sharedFormula' in value) return plainValue((value as ExcelJS.CellFormulaValue).result as ExcelJS.CellValue)
    if ('richText' in value) return value.richText.map((run) => run.text).join('')
    if ('hyperlink' in value) return typeof value.text === 'string' ? value.text : plainValue(value.text as ExcelJS.CellValue)
    if ('error' in value) return null
  }
  return null
}

/** The cell as trimmed text ('' when empty); numbers and booleans as written, dates as ISO dates. */
export function cellText(cell: ExcelJS.Cell): string {
  return plainValueText(plainCellValue(cell))
}

/** The text `cellText` gives for a value, so a writer can know what a cell will read back as. */
export function plainValueText(value: PlainCellValue): string {
  if (value === null) return ''
  if (value instanceof Date) return value.toISOString().slice(0, 10)
  return String(value).trim()
}

/** Whether the cell holds a formula (its cached value is what `cellText` returns). */
export function isFormulaCell(cell: ExcelJS.Cell): boolean {
  return cell.type === ExcelJS.ValueType.Formula
}

/** Spreadsheet column letters for a 1-based column number (1 → A, 28 → AB). */
export function columnLetter(column: number): string {
  let letters = ''
  for (let rest = column; rest > 0; rest = Math.floor((rest - 1) / 26)) letters = String.fromCharCode(65 + ((rest - 1) % 26)) + letters
  return letters
}
