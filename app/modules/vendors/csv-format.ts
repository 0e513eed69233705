// The vendor CSV format: columns, headings in either language, and turning cells into the vendor
// form's input and back. Pure; the file handling and database checks are in csv.server.ts.
import type { TFunction } from 'i18next'
import { resources } from '~/i18n/resources'
import type { Locale } from '~/i18n/locales'
import { formatDateTime, tierReasonText } from './labels'
import {
  LEGAL_BASES,
  PI_CATEGORIES,
  SENSITIVITY_LEVELS,
  SERVICE_CRITICALITY,
  TRANSFER_METHODS,
  VENDOR_CATEGORIES,
  VENDOR_STATUSES,
} from './vocabulary'
import type { VendorView } from './types'
import { criticalityLabel } from '~/i18n/glossary'

/** Columns of the template, in order; an import file must have all of them. */
export const IMPORT_COLUMNS = [
  'legal_name_zh',
  'legal_name_en',
  'credit_code',
  'foreign_registration_number',
  'foreign_registration_country',
  'category',
  'services',
  'status',
  'business_owner_email',
  'contact_name',
  'contact_email',
  'contact_phone',
  'pi_categories',
  'sensitivity',
  'record_count',
  'cross_border',
  'cross_border_destinations',
  'sub_processors',
  'transfer_methods',
  'legal_basis',
  'consent_on_record',
  'service_criticality',
] as const
export type ImportColumn = (typeof IMPORT_COLUMNS)[number]

/** Columns an export adds; an import of an exported file ignores them. */
export const EXPORT_ONLY_COLUMNS = ['tier', 'computed_tier', 'tier_reasons', 'updated_at'] as const
export type ExportColumn = ImportColumn | (typeof EXPORT_ONLY_COLUMNS)[number]

type ColumnKey = ExportColumn

function fold(text: string): string {
  return text.normalize('NFKC').replace(/^\uFEFF/, '').replace(/\s+/g, ' ').trim().toLowerCase()
}

const HEADING_TO_COLUMN = new Map<string, ColumnKey>()
for (const column of [...IMPORT_COLUMNS, ...EXPORT_ONLY_COLUMNS]) {
  HEADING_TO_COLUMN.set(fold(column), column)
  HEADING_TO_COLUMN.set(fold(resources.en.vendors.csv.columns[column]), column)
  HEADING_TO_COLUMN.set(fold(resources['zh-CN'].vendors.csv.columns[column]), column)
}

export type HeaderResult =
  | { ok: true; columns: (ColumnKey | null)[] }
  | { ok: false; missing: ImportColumn[]; unknown: string[] }

/** Recognises the heading row, in English, Chinese or as column keys. */
export function readHeader(cells: string[]): HeaderResult {
  const columns = cells.map((cell) => HEADING_TO_COLUMN.get(fold(cell)) ?? null)
  const unknown = cells.filter((cell, index) => columns[index] === null && fold(cell) !== '')
  const missing = IMPORT_COLUMNS.filter((column) => !columns.includes(column))
  if (missing.length || unknown.length) return { ok: false, missing, unknown }
  return { ok: true, columns }
}

// ---- values: machine values or labels in either language ----

type Vocabulary = 'category' | 'status' | 'piCategory' | 'sensitivity' | 'transferMethod' | 'legalBasis' | 'criticality'
const VOCABULARIES: Record<Vocabulary, readonly string[]> = {
  category: VENDOR_CATEGORIES,
  status: VENDOR_STATUSES,
  piCategory: PI_CATEGORIES,
  sensitivity: SENSITIVITY_LEVELS,
  transferMethod: TRANSFER_METHODS,
  legalBasis: LEGAL_BASES,
  criticality: SERVICE_CRITICALITY,
}

const VALUE_LOOKUP = new Map<Vocabulary, Map<string, string>>()
for (const [vocabulary, values] of Object.entries(VOCABULARIES) as [Vocabulary, readonly string[]][]) {
  const lookup = new Map<string, string>()
  for (const value of values) {
    lookup.set(fold(value), value)
    for (const locale of ['en', 'zh-CN'] as const) {
      // Service criticality is a glossary term; the other vocabularies are the vendors' own.
      const labels = (vocabulary === 'criticality' ? resources[locale].glossary.criticality : resources[locale].vendors[vocabulary]) as Record<string, string>
      if (labels[value]) lookup.set(fold(labels[value]), value)
    }
  }
  VALUE_LOOKUP.set(vocabulary, lookup)
}

const YES = new Set(['yes', 'y', 'true', '1', '是', '有', 'x', '√'])
const NO = new Set(['no', 'n', 'false', '0', '否', '无', ''])

/** Semicolons separate the items of a list cell (labels may contain commas). */
const splitItems = (cell: string) =>
  cell
    .split(/[;；]/)
    .map((item) => item.trim())
    .filter(Boolean)

/** A cell a spreadsheet would run as a formula gets a leading apostrophe on export; remove it on import. */
export function unprotectCell(cell: string): string {
  return /^'[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell
}
export function protectCell(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell
}

export interface RowProblem {
  column: ImportColumn
  key: string // an i18n key in the vendors namespace
  params?: Record<string, unknown>
}

export interface ConvertedRow {
  input: Record<string, unknown> // the vendor form's input, validated next by the shared schema
  problems: RowProblem[] // values the cells could not express at all
  creditCode: string
  ownerEmail: string
}

/**
 * One data row as vendor form input. `ownerIdByEmail` maps lower-case e-mails of active staff.
 * Values that cannot be read become problems on their column; the rest is left to the schema.
 */
export function rowToVendorInput(row: Partial<Record<ImportColumn, string>>, ownerIdByEmail: Map<string, string>): ConvertedRow {
  const cell = (column: ImportColumn) => unprotectCell((row[column] ?? '').trim())
  const problems: RowProblem[] = []

  const one = (column: ImportColumn, vocabulary: Vocabulary, fallback?: string) => {
    const raw = cell(column)
    if (!raw) return fallback
    const value = VALUE_LOOKUP.get(vocabulary)!.get(fold(raw))
    if (!value) problems.push({ column, key: 'import.rowErrors.badValue', params: { value: raw } })
    return value
  }
  const many = (column: ImportColumn, vocabulary: Vocabulary) =>
    splitItems(cell(column)).flatMap((raw) => {
      const value = VALUE_LOOKUP.get(vocabulary)!.get(fold(raw))
      if (!value) problems.push({ column, key: 'import.rowErrors.badValue', params: { value: raw } })
      return value ? [value] : []
    })
  const flag = (column: ImportColumn) => {
    const raw = cell(column)
    if (YES.has(fold(raw))) return true
    if (NO.has(fold(raw))) return false
    problems.push({ column, key: 'import.rowErrors.badBoolean', params: { value: raw } })
    return false
  }

  const creditCode = cell('credit_code')
  const foreignNumber = cell('foreign_registration_number')
  const foreignCountry = cell('foreign_registration_country')
  const ownerEmail = cell('business_owner_email').toLowerCase()
  let businessOwnerId = ''
  if (ownerEmail) {
    businessOwnerId = ownerIdByEmail.get(ownerEmail) ?? ''
    if (!businessOwnerId) problems.push({ column: 'business_owner_email', key: 'import.rowErrors.unknownOwner', params: { email: ownerEmail } })
  }

  const contactName = cell('contact_name')
  const contactEmail = cell('contact_email')
  const contactPhone = cell('contact_phone')
  const contacts = contactName || contactEmail || contactPhone ? [{ name: contactName, email: contactEmail, phone: contactPhone, locale: 'zh-CN' }] : []

  const subProcessors = splitItems(cell('sub_processors')).map((item) => {
    const [name = '', country = '', service = '', ...rest] = item.split('|').map((part) => part.trim())
    if (rest.length) problems.push({ column: 'sub_processors', key: 'import.rowErrors.badSubProcessor' })
    return { name, country, service }
  })

  const input = {
    legalName: { 'zh-CN': cell('legal_name_zh'), en: cell('legal_name_en') },
    registration: creditCode || !(foreignNumber || foreignCountry) ? 'domestic' : 'foreign',
    creditCode,
    foreignRegistration: { number: foreignNumber, country: foreignCountry },
    category: one('category', 'category'),
    services: cell('services'),
    status: one('status', 'status', 'onboarding'),
    businessOwnerId,
    contacts,
    dataProfile: {
      piCategories: many('pi_categories', 'piCategory'),
      sensitivity: one('sensitivity', 'sensitivity'),
      recordCount: cell('record_count') || '0',
      crossBorder: flag('cross_border'),
      crossBorderDestinations: cell('cross_border_destinations'),
      usesSubProcessors: subProcessors.length > 0,
      subProcessors,
      transferMethods: many('transfer_methods', 'transferMethod'),
      legalBasis: one('legal_basis', 'legalBasis', ''),
      consentOnRecord: flag('consent_on_record'),
      serviceCriticality: one('service_criticality', 'criticality', 'standard'),
    },
  }
  return { input, problems, creditCode, ownerEmail }
}

/** The CSV column a schema error path belongs to ("contacts.0.email" → contact_email). */
export function columnOfPath(path: string): ImportColumn | null {
  const rules: [RegExp, ImportColumn][] = [
    [/^legalName\.zh-CN/, 'legal_name_zh'],
    [/^legalName\.en/, 'legal_name_en'],
    [/^creditCode/, 'credit_code'],
    [/^foreignRegistration\.number/, 'foreign_registration_number'],
    [/^foreignRegistration\.country/, 'foreign_registration_country'],
    [/^category/, 'category'],
    [/^services/, 'services'],
    [/^status/, 'status'],
    [/^businessOwnerId/, 'business_owner_email'],
    [/^contacts\.\d+\.name/, 'contact_name'],
    [/^contacts\.\d+\.email/, 'contact_email'],
    [/^contacts\.\d+\.phone/, 'contact_phone'],
    [/^dataProfile\.piCategories/, 'pi_categories'],
    [/^dataProfile\.sensitivity/, 'sensitivity'],
    [/^dataProfile\.recordCount/, 'record_count'],
    [/^dataProfile\.crossBorderDestinations/, 'cross_border_destinations'],
    [/^dataProfile\.crossBorder/, 'cross_border'],
    [/^dataProfile\.(subProcessors|usesSubProcessors)/, 'sub_processors'],
    [/^dataProfile\.transferMethods/, 'transfer_methods'],
    [/^dataProfile\.legalBasis/, 'legal_basis'],
    [/^dataProfile\.consentOnRecord/, 'consent_on_record'],
    [/^dataProfile\.serviceCriticality/, 'service_criticality'],
  ]
  return rules.find(([pattern]) => pattern.test(path))?.[1] ?? null
}

// ---- export ----

/** The headings of an export or template in the reader's language (t bound to the vendors namespace). */
export function exportHeader(t: TFunction, columns: readonly ExportColumn[]): string[] {
  return columns.map((column) => t(`csv.columns.${column}`))
}

/** One vendor as export cells in the reader's language; importing the file gives the same vendor back. */
export function vendorToRow(t: TFunction, vendor: VendorView, locale: Locale, timeZone: string): Record<ExportColumn, string> {
  const yesNo = (value: boolean) => t(value ? 'csv.yes' : 'csv.no')
  const contact = vendor.contacts[0]
  const profile = vendor.dataProfile
  const row: Record<ExportColumn, string> = {
    legal_name_zh: vendor.legalName['zh-CN'],
    legal_name_en: vendor.legalName.en,
    credit_code: vendor.creditCode ?? '',
    foreign_registration_number: vendor.foreignRegistration?.number ?? '',
    foreign_registration_country: vendor.foreignRegistration?.country ?? '',
    category: t(`category.${vendor.category}`),
    services: vendor.services,
    status: t(`status.${vendor.status}`),
    business_owner_email: vendor.businessOwner?.email ?? '',
    contact_name: contact?.name ?? '',
    contact_email: contact?.email ?? '',
    contact_phone: contact?.phone ?? '',
    pi_categories: profile.piCategories.map((category) => t(`piCategory.${category}`)).join('; '),
    sensitivity: profile.sensitivity,
    record_count: String(profile.recordCount),
    cross_border: yesNo(profile.crossBorder),
    cross_border_destinations: profile.crossBorderDestinations.join(', '),
    sub_processors: profile.subProcessors.map((sub) => [sub.name, sub.country, sub.service].join('|')).join('; '),
    transfer_methods: profile.transferMethods.map((method) => t(`transferMethod.${method}`)).join('; '),
    legal_basis: profile.legalBasis ? t(`legalBasis.${profile.legalBasis}`) : '',
    consent_on_record: yesNo(profile.consentOnRecord),
    service_criticality: criticalityLabel(t, profile.serviceCriticality),
    tier: String(vendor.effectiveTier),
    computed_tier: String(vendor.tier.computed),
    tier_reasons: vendor.tier.reasons.map((reason) => tierReasonText(t, reason, locale)).join(' '),
    updated_at: formatDateTime(vendor.updatedAt, timeZone) ?? '',
  }
  for (const key of Object.keys(row) as ExportColumn[]) row[key] = protectCell(row[key])
  return row
}
