// CSV import and export of the vendor inventory. Import reads the whole file, checks every row
// against the shared schema and the database, and only then saves: all rows, or (when asked) the
// valid ones. Each vendor is saved by createVendor, one atomic insert with its audit entry.
import { parse } from 'csv-parse/sync'
import { stringify } from 'csv-stringify/sync'
import { fileTypeFromBuffer } from 'file-type'
import type { TFunction } from 'i18next'
import { listUsersByEmails } from '~/modules/auth/user-store.server'
import { findCreditCodesInUse } from './vendor-store.server'
import { getEnv } from '~/env.server'
import { translatorFor } from '~/i18n/i18n.server'
import type { Locale } from '~/i18n/locales'
import type { SessionUser } from '~/modules/auth/session.server'
import { fieldErrorsOf, translateError } from '~/modules/forms/validation'
import {
  columnOfPath,
  EXPORT_ONLY_COLUMNS,
  exportHeader,
  IMPORT_COLUMNS,
  readHeader,
  rowToVendorInput,
  vendorToRow,
  type ExportColumn,
  type ImportColumn,
} from './csv-format'
import { normalizeCreditCode } from './credit-code'
import { vendorInputSchema, type VendorListQuery } from './schemas'
import { listVendorsForExport } from './vendors.server'
import { createVendor } from './writes.server'
import { criticalityLabel } from '~/i18n/glossary'

export const MAX_IMPORT_BYTES = 2 * 1024 * 1024
export const MAX_IMPORT_ROWS = 5000
const BOM = '\uFEFF'

// ---- export ----

/** The filtered list as CSV in the reader's language, with a BOM so Excel reads it as UTF-8. */
export async function exportVendorsCsv(query: VendorListQuery, locale: Locale): Promise<string> {
  const { header, rows } = await vendorExportTable(query, locale)
  return BOM + stringify([header, ...rows], { record_delimiter: '\r\n' })
}

/** The filtered list as a heading row and text rows: shared by the CSV and the .xlsx export. */
export async function vendorExportTable(query: VendorListQuery, locale: Locale): Promise<{ columns: ExportColumn[]; header: string[]; rows: string[][] }> {
  const t = await translatorFor(locale, 'vendors')
  const vendors = await listVendorsForExport(query, { locale })
  const columns: ExportColumn[] = [...IMPORT_COLUMNS, ...EXPORT_ONLY_COLUMNS]
  const timeZone = getEnv().INSTITUTION_TIMEZONE
  const rows = vendors.map((vendor) => {
    const row = vendorToRow(t, vendor, locale, timeZone)
    return columns.map((column) => String(row[column] ?? ''))
  })
  return { columns, header: exportHeader(t, columns), rows }
}

/** The import template: headings in the reader's language and two example rows to overwrite. */
export async function vendorCsvTemplate(locale: Locale): Promise<string> {
  const t = await translatorFor(locale, 'vendors')
  const zh = locale === 'zh-CN'
  const example = (values: Partial<Record<ImportColumn, string>>) => IMPORT_COLUMNS.map((column) => values[column] ?? '')
  const rows = [
    example({
      legal_name_zh: '示例：上海某某支付服务有限公司',
      legal_name_en: 'Example: Shanghai Sample Payment Services Co., Ltd.',
      credit_code: '91310115591693856A',
      category: t('category.payment_platform'),
      services: zh ? '收单与代付' : 'Card acquiring and payouts',
      status: t('status.onboarding'),
      contact_name: zh ? '张三' : 'Zhang San',
      contact_email: 'zhang.san@sample-pay.example',
      contact_phone: '021 5555 0100',
      pi_categories: [t('piCategory.identity'), t('piCategory.account_auth'), t('piCategory.transactions')].join('; '),
      sensitivity: 'C2',
      record_count: '1200000',
      cross_border: t('csv.no'),
      transfer_methods: t('transferMethod.api'),
      legal_basis: t('legalBasis.contract_necessity'),
      consent_on_record: t('csv.yes'),
      service_criticality: criticalityLabel(t, 'critical'),
    }),
    example({
      legal_name_en: 'Example: Sample Analytics Pte. Ltd.',
      foreign_registration_number: '201912345K',
      foreign_registration_country: 'SG',
      category: t('category.marketing'),
      status: t('status.onboarding'),
      contact_name: 'Jane Tan',
      contact_email: 'jane.tan@sample-analytics.example',
      pi_categories: t('piCategory.contact'),
      sensitivity: 'C2',
      record_count: '50000',
      cross_border: t('csv.yes'),
      cross_border_destinations: 'SG',
      sub_processors: 'Sample Cloud Ltd.|US|hosting',
      transfer_methods: t('transferMethod.file_transfer'),
      legal_basis: t('legalBasis.separate_consent'),
      consent_on_record: t('csv.yes'),
      service_criticality: criticalityLabel(t, 'standard'),
    }),
  ]
  return BOM + stringify([exportHeader(t, IMPORT_COLUMNS), ...rows], { record_delimiter: '\r\n' })
}

// ---- import ----

export type ImportRowStatus = 'valid' | 'rejected' | 'imported' | 'skipped'

export interface ImportRowReport {
  line: number // the line in the file, counting the heading row as line 1
  name: string
  status: ImportRowStatus
  messages: string[] // translated
}

export type ImportReport =
  | { ok: false; problem: string } // the file as a whole cannot be used
  | {
      ok: true
      committed: boolean // whether anything was saved
      total: number
      accepted: number
      rejected: number
      imported: number
      rows: ImportRowReport[]
    }

type DecodeResult = { ok: true; text: string } | { ok: false; key: string; params?: Record<string, unknown> }

/** Bytes to text: refuses binary files (spreadsheets, PDFs, images) and reads UTF-8, UTF-16 or GB18030. */
export async function decodeCsvBytes(bytes: Uint8Array): Promise<DecodeResult> {
  if (bytes.length === 0) return { ok: false, key: 'import.problems.empty' }
  if (bytes.length > MAX_IMPORT_BYTES) return { ok: false, key: 'import.problems.tooLarge' }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { ok: true, text: new TextDecoder('utf-16le').decode(bytes.subarray(2)) }
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { ok: true, text: new TextDecoder('utf-16be').decode(bytes.subarray(2)) }
  const detected = await fileTypeFromBuffer(bytes)
  if (detected) return { ok: false, key: 'import.problems.binary', params: { kind: detected.ext.toUpperCase() } }
  if (bytes.includes(0)) return { ok: false, key: 'import.problems.binary', params: { kind: 'binary data' } }
  for (const encoding of ['utf-8', 'gb18030']) {
    try {
      const text = new TextDecoder(encoding, { fatal: true }).decode(bytes)
      return { ok: true, text: text.replace(/^\uFEFF/, '') }
    } catch {
      // try the next encoding
    }
  }
  return { ok: false, key: 'import.problems.encoding' }
}

interface CheckedRow {
  line: number
  name: string
  input: Record<string, unknown>
  messages: string[]
}

type ParsedRecord = { record: string[]; info: { lines: number } }

function parseRecords(text: string): { ok: true; records: ParsedRecord[] } | { ok: false; detail: string } {
  try {
    const records = parse(text, {
      info: true,
      bom: true,
      delimiter: [',', '\t'],
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_empty_values: true,
      max_record_size: 64 * 1024,
      trim: true,
    // csv-parse types its synchronous result loosely; with `columns: true` each record is a header → text map.
    }) as unknown as ParsedRecord[]
    return { ok: true, records }
  } catch (error) {
    const detail = error instanceof Error ? error.message.replace(/^Invalid Record Length: /, '').slice(0, 200) : String(error)
    return { ok: false, detail }
  }
}

/** Reads and checks every row; nothing is saved. */
async function checkRows(text: string, t: TFunction): Promise<{ ok: true; rows: CheckedRow[] } | { ok: false; problem: string }> {
  const parsed = parseRecords(text)
  if (!parsed.ok) return { ok: false, problem: t('import.problems.unreadable', { detail: parsed.detail }) }
  const [headerRecord, ...dataRecords] = parsed.records
  const headerCells = headerRecord?.record
  if (!headerCells) return { ok: false, problem: t('import.problems.empty') }
  const header = readHeader(headerCells)
  if (!header.ok) {
    const label = (column: string) => t(`csv.columns.${column}`)
    if (header.missing.length) return { ok: false, problem: t('import.problems.missingColumns', { columns: header.missing.map(label).join(', ') }) }
    return { ok: false, problem: t('import.problems.unknownColumns', { columns: header.unknown.join(', ') }) }
  }
  if (dataRecords.length === 0) return { ok: false, problem: t('import.problems.noRows') }
  if (dataRecords.length > MAX_IMPORT_ROWS) return { ok: false, problem: t('import.problems.tooManyRows', { max: MAX_IMPORT_ROWS }) }

  const asRow = (cells: string[]) => {
    const row: Partial<Record<ImportColumn, string>> = {}
    header.columns.forEach((column, index) => {
      if (column && (IMPORT_COLUMNS as readonly string[]).includes(column)) row[column as ImportColumn] = cells[index] ?? ''
    })
    return row
  }
  const rows = dataRecords.map((record) => asRow(record.record))

  // The database facts every row needs, fetched once: staff e-mails and credit codes in use.
  const emails = [...new Set(rows.map((row) => (row.business_owner_email ?? '').trim().toLowerCase()).filter(Boolean))]
  const owners = await listUsersByEmails(emails, { activeOnly: true })
  const ownerIdByEmail = new Map(owners.map((owner) => [owner.email, String(owner._id)]))
  const codes = [...new Set(rows.map((row) => normalizeCreditCode(row.credit_code ?? '')).filter(Boolean))]
  const taken = new Set(
    codes.length ? await findCreditCodesInUse(codes) : [],
  )

  const firstLineOfCode = new Map<string, number>()
  const columnLabel = (column: ImportColumn | null) => (column ? t(`csv.columns.${column}`) : '')
  const checked = rows.map((row, index): CheckedRow => {
    // The line where the record ends in the file (blank lines skipped by the parser still count).
    const line = dataRecords[index]!.info.lines
    const converted = rowToVendorInput(row, ownerIdByEmail)
    const messages: string[] = []
    const columnsWithProblems = new Set<ImportColumn>()
    for (const problem of converted.problems) {
      columnsWithProblems.add(problem.column)
      messages.push(t('import.fieldMessage', { field: columnLabel(problem.column), message: t(problem.key, problem.params) }))
    }
    const result = vendorInputSchema.safeParse(converted.input)
    if (!result.success) {
      for (const [path, pathMessages] of Object.entries(fieldErrorsOf(result.error))) {
        const column = columnOfPath(path)
        if (column && columnsWithProblems.has(column)) continue // already explained by the cell itself
        messages.push(t('import.fieldMessage', { field: columnLabel(column), message: translateError(t, pathMessages[0]) }))
      }
    }
    const code = normalizeCreditCode(converted.creditCode)
    if (code && result.success && result.data.creditCode) {
      if (taken.has(code)) messages.push(t('import.fieldMessage', { field: columnLabel('credit_code'), message: translateError(t, 'vendors:errors.duplicateCreditCode') }))
      const earlier = firstLineOfCode.get(code)
      if (earlier) messages.push(t('import.fieldMessage', { field: columnLabel('credit_code'), message: t('import.rowErrors.duplicateInFile', { line: earlier }) }))
      else firstLineOfCode.set(code, line)
    }
    const name = [row.legal_name_zh, row.legal_name_en].map((part) => (part ?? '').trim()).filter(Boolean).join(' / ')
    return { line, name, input: converted.input, messages }
  })
  return { ok: true, rows: checked }
}

/**
 * Checks a CSV file and, when every row is valid (or `validOnly` is set), saves the valid rows.
 * Messages are in `locale`.
 */
export async function importVendorsCsv(
  bytes: Uint8Array,
  options: { actor: SessionUser; locale: Locale; validOnly: boolean },
): Promise<ImportReport> {
  const t = await translatorFor(options.locale, 'vendors')
  const decoded = await decodeCsvBytes(bytes)
  if (!decoded.ok) return { ok: false, problem: t(decoded.key, decoded.params) }
  const checked = await checkRows(decoded.text, t)
  if (!checked.ok) return checked

  const rejected = checked.rows.filter((row) => row.messages.length > 0).length
  const accepted = checked.rows.length - rejected
  const commit = accepted > 0 && (rejected === 0 || options.validOnly)
  const rows: ImportRowReport[] = []
  let imported = 0
  for (const row of checked.rows) {
    if (row.messages.length > 0) {
      rows.push({ line: row.line, name: row.name, status: commit ? 'skipped' : 'rejected', messages: row.messages })
      continue
    }
    if (!commit) {
      rows.push({ line: row.line, name: row.name, status: 'valid', messages: [] })
      continue
    }
    // Re-validated and duplicate-checked once more by createVendor: another import may have run meanwhile.
    const result = await createVendor(row.input, options.actor, { source: 'csv' })
    if (result.ok) {
      imported += 1
      rows.push({ line: row.line, name: row.name, status: 'imported', messages: [] })
    } else {
      const messages = Object.entries(result.fieldErrors).map(([path, pathMessages]) => {
        const column = columnOfPath(path)
        return t('import.fieldMessage', { field: column ? t(`csv.columns.${column}`) : path, message: translateError(t, pathMessages[0]) })
      })
      rows.push({ line: row.line, name: row.name, status: 'skipped', messages })
    }
  }
  return { ok: true, committed: imported > 0, total: checked.rows.length, accepted, rejected, imported, rows }
}
