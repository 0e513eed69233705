// The vendor form's one schema, shared by the browser (react-hook-form), the actions and CSV
// import; and the list's URL parameters. Messages are i18n keys (app/modules/forms/validation.ts).
import { checkbox, manyOf, optionalText, z } from '~/modules/forms/validation'
import { creditCodeProblem, normalizeCreditCode } from './credit-code'
import { isRegionCode } from './regions'
import { impliedSensitivity } from './tiering'
import {
  LEGAL_BASES,
  PI_CATEGORIES,
  SENSITIVITY_LEVELS,
  SERVICE_CRITICALITY,
  TRANSFER_METHODS,
  VENDOR_CATEGORIES,
  VENDOR_STATUSES,
  type SensitivityLevel,
} from './vocabulary'
import { LOCALES } from '~/i18n/locales'
import { requiredText } from '~/modules/forms/fields'

const err = (key: string, params?: Record<string, unknown>) => (params ? `vendors:errors.${key}|${JSON.stringify(params)}` : `vendors:errors.${key}`)

export const MAX_RECORD_COUNT = 2_000_000_000
export const MAX_CONTACTS = 20
export const MAX_SUB_PROCESSORS = 30


/** "SG, us；HK" → ["SG", "US", "HK"]: the separators people type in either language. */
export function splitList(value: string): string[] {
  return value
    .split(/[,;，；、\n]/)
    .map((part) => part.trim())
    .filter(Boolean)
}

const regionCode = z
  .string()
  .trim()
  .transform((value) => value.toUpperCase())
  .refine(isRegionCode, { message: err('country') })

/** A count typed as "1,200,000" or "1 200 000". Empty is missing, not zero. */
const recordCount = z.preprocess(
  (value) => (typeof value === 'string' ? (value.replace(/[\s,，_]/g, '') === '' ? undefined : Number(value.replace(/[\s,，_]/g, ''))) : value),
  z.number({ error: (issue) => (issue.input === undefined ? undefined : err('recordCountDigits')) }) // missing stays "required".int({ message: err('recordCountDigits') }).min(0).max(MAX_RECORD_COUNT),
)

const phone = z.preprocess(
  (value) => (typeof value === 'string' && value.trim() === '' ? undefined : value),
  z
    .string()
    .trim()
    .max(40)
    .regex(/^\+?[\d\s()-]{5,30}$/, { message: err('phone') })
    .optional(),
)

const objectId = z.string().regex(/^[0-9a-f]{24}$/)

/** An empty text box is a missing value ("required"), not a malformed one. */
const blankToUndefined = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value)

export const contactSchema = z.object({
  // Kept across edits: assessment invitations refer to a contact by this id.
  id: z.preprocess((value) => (value === '' ? undefined : value), objectId.optional()),
  name: requiredText(100),
  email: z.preprocess(blankToUndefined, z.email().trim().toLowerCase().max(200)),
  phone,
  title: optionalText(100),
  locale: z.enum(LOCALES).default('zh-CN'),
})

export const subProcessorSchema = z.object({
  name: requiredText(200),
  country: z.preprocess(blankToUndefined, regionCode),
  service: optionalText(200),
})

const destinations = z.preprocess(
  (value) => (Array.isArray(value) ? value : typeof value === 'string' ? splitList(value) : []),
  z.array(regionCode).max(50),
)

const vendorFields = z.object({
  legalName: z.object({
    'zh-CN': optionalText(200),
    en: optionalText(200),
  }),
  registration: z.enum(['domestic', 'foreign']),
  creditCode: z.preprocess((value) => (typeof value === 'string' ? normalizeCreditCode(value) || undefined : value), z.string().optional()),
  foreignRegistration: z
    .object({
      number: optionalText(60),
      country: z.preprocess((value) => (typeof value === 'string' && value.trim() === '' ? undefined : value), regionCode.optional()),
    })
    .default({}),
  category: z.enum(VENDOR_CATEGORIES),
  services: optionalText(2000),
  businessOwnerId: z.preprocess((value) => (value === '' || value === null ? undefined : value), objectId.optional()),
  status: z.enum(VENDOR_STATUSES),
  contacts: z.array(contactSchema).max(MAX_CONTACTS).default([]),
  dataProfile: z.object({
    piCategories: manyOf(z.enum(PI_CATEGORIES), { max: PI_CATEGORIES.length }),
    sensitivity: z.enum(SENSITIVITY_LEVELS),
    recordCount,
    crossBorder: checkbox,
    crossBorderDestinations: destinations,
    usesSubProcessors: checkbox,
    subProcessors: z.array(subProcessorSchema).max(MAX_SUB_PROCESSORS).default([]),
    transferMethods: manyOf(z.enum(TRANSFER_METHODS), { max: TRANSFER_METHODS.length }),
    legalBasis: z.preprocess((value) => (value === '' ? undefined : value), z.enum(LEGAL_BASES).optional()),
    consentOnRecord: checkbox,
    serviceCriticality: z.enum(SERVICE_CRITICALITY),
  }),
})

const SENSITIVITY_RANK: Record<SensitivityLevel, number> = { C1: 1, C2: 2, C3: 3 }

type VendorFields = z.output<typeof vendorFields>

/**
 * Rules across fields. Each problem is reported on the field a person would correct. They run even
 * when other fields are invalid, so the browser shows every problem at once; the value may then be
 * partly unparsed, hence the defensive reads.
 */
function checkVendor(vendor: VendorFields, ctx: z.RefinementCtx) {
  const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message })
  const legalName = (vendor.legalName ?? {}) as Partial<VendorFields['legalName']>
  if (vendor.registration === 'domestic') {
    if (!legalName['zh-CN']) issue(['legalName', 'zh-CN'], err('chineseNameRequired'))
    if (!vendor.creditCode) issue(['creditCode'], err('creditCodeRequired'))
    else if (typeof vendor.creditCode === 'string') {
      const problem = creditCodeProblem(vendor.creditCode)
      if (problem) issue(['creditCode'], err(`creditCode_${problem}`))
    }
  } else if (vendor.registration === 'foreign') {
    const registration = (vendor.foreignRegistration ?? {}) as Partial<VendorFields['foreignRegistration']>
    if (!legalName.en) issue(['legalName', 'en'], err('englishNameRequired'))
    if (!registration.number) issue(['foreignRegistration', 'number'], err('registrationNumberRequired'))
    if (!registration.country) issue(['foreignRegistration', 'country'], err('countryRequired'))
    else if (registration.country === 'CN') issue(['foreignRegistration', 'country'], err('foreignNotCn'))
  }

  const profile = (vendor.dataProfile ?? {}) as Partial<VendorFields['dataProfile']>
  const categories = Array.isArray(profile.piCategories) ? profile.piCategories.filter((category) => (PI_CATEGORIES as readonly string[]).includes(category)) : []
  const recordCount = typeof profile.recordCount === 'number' ? profile.recordCount : null
  if (categories.length === 0 && recordCount !== null && recordCount > 0) issue(['dataProfile', 'piCategories'], err('categoriesForRecords'))
  if (categories.length > 0 && recordCount === 0) issue(['dataProfile', 'recordCount'], err('recordsForCategories'))
  const minimum = impliedSensitivity(categories)
  const declared = profile.sensitivity
  if (minimum && declared && SENSITIVITY_RANK[declared] !== undefined && SENSITIVITY_RANK[declared] < SENSITIVITY_RANK[minimum]) {
    issue(['dataProfile', 'sensitivity'], err(`sensitivityBelow${minimum}`))
  }
  const destinations = Array.isArray(profile.crossBorderDestinations) ? profile.crossBorderDestinations : []
  if (profile.crossBorder === true && destinations.length === 0) issue(['dataProfile', 'crossBorderDestinations'], err('destinationsRequired'))
  if (destinations.includes('CN')) issue(['dataProfile', 'crossBorderDestinations'], err('destinationNotCn'))
  if (profile.usesSubProcessors === true && Array.isArray(profile.subProcessors) && profile.subProcessors.length === 0) {
    issue(['dataProfile', 'subProcessors'], err('subProcessorsRequired'))
  }
}

/** Runs the cross-field rules even when some fields failed, so that every message shows at once. */
const ALWAYS = { when: () => true }

/** Drops what the switches turned off, so a hidden list never reaches the database. */
function tidyVendor(vendor: VendorFields) {
  const domestic = vendor.registration === 'domestic'
  return {
    ...vendor,
    creditCode: domestic ? vendor.creditCode : undefined,
    foreignRegistration: domestic ? {} : vendor.foreignRegistration,
    dataProfile: {
      ...vendor.dataProfile,
      crossBorderDestinations: vendor.dataProfile.crossBorder ? [...new Set(vendor.dataProfile.crossBorderDestinations)] : [],
      subProcessors: vendor.dataProfile.usesSubProcessors ? vendor.dataProfile.subProcessors : [],
    },
  }
}

export const vendorInputSchema = vendorFields.superRefine(checkVendor, ALWAYS).transform(tidyVendor)
export type VendorInput = z.output<typeof vendorInputSchema>
export type VendorFormValues = z.input<typeof vendorInputSchema>

export const vendorEditSchema = vendorFields
  .extend({ version: z.coerce.number().int().min(0) })
  .superRefine(checkVendor, ALWAYS)
  .transform((vendor) => ({ ...tidyVendor(vendor), version: vendor.version }))

export const tierOverrideSchema = z.object({
  tier: z.enum(['computed', '1', '2', '3', '4']),
  justification: requiredText(2000, { min: 20, multiline: true }),
  version: z.coerce.number().int().min(0),
})

// ---- the list's URL: every parameter falls back to its default instead of failing ----

export const VENDOR_SORTS = ['updated', 'name', 'tier', 'category', 'status', 'records'] as const
export type VendorSort = (typeof VENDOR_SORTS)[number]
export const PAGE_SIZES = [10, 25, 50, 100] as const
export const DEFAULT_PAGE_SIZE = 25

const emptyToUndefined = (value: unknown) => (value === '' || value === null ? undefined : value)

export const vendorListQuerySchema = z.object({
  q: z.preprocess(emptyToUndefined, z.string().trim().max(100).optional()).catch(undefined),
  tier: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(4).optional()).catch(undefined),
  category: z.preprocess(emptyToUndefined, z.enum(VENDOR_CATEGORIES).optional()).catch(undefined),
  status: z.preprocess(emptyToUndefined, z.enum(VENDOR_STATUSES).optional()).catch(undefined),
  sort: z.enum(VENDOR_SORTS).catch('updated'),
  dir: z.preprocess(emptyToUndefined, z.enum(['asc', 'desc']).optional()).catch(undefined),
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
  size: z.coerce
    .number()
    .refine((size) => (PAGE_SIZES as readonly number[]).includes(size))
    .catch(DEFAULT_PAGE_SIZE),
})
export type VendorListQuery = z.output<typeof vendorListQuerySchema>

/** Parses the list's search parameters (a repeated parameter counts once: the first wins). */
// The same few list URLs are asked for again and again; zod's parse is a visible part of a page's
// cost, so parsed queries are remembered (frozen, as callers share them), a bounded number.
const LIST_QUERY_KEYS = ['q', 'tier', 'category', 'status', 'sort', 'dir', 'page', 'size'] as const
const parsedListQueries = new Map<string, VendorListQuery>()
const PARSED_LIST_QUERIES_KEPT = 500

export function parseVendorListQuery(params: URLSearchParams): VendorListQuery {
  const raw: Record<string, string> = {}
  for (const key of LIST_QUERY_KEYS) {
    const value = params.get(key)
    if (value !== null) raw[key] = value
  }
  const cacheKey = JSON.stringify(raw)
  const remembered = parsedListQueries.get(cacheKey)
  if (remembered) return remembered
  const query = Object.freeze(vendorListQuerySchema.parse(raw))
  if (parsedListQueries.size >= PARSED_LIST_QUERIES_KEPT) parsedListQueries.delete(parsedListQueries.keys().next().value!)
  parsedListQueries.set(cacheKey, query)
  return query
}

/** The natural direction of each sort: newest, most critical and largest first; names A→Z. */
export function sortDirection(query: Pick<VendorListQuery, 'sort' | 'dir'>): 'asc' | 'desc' {
  if (query.dir) return query.dir
  return query.sort === 'updated' || query.sort === 'records' ? 'desc' : 'asc'
}

/** The URL search string for a query, leaving defaults out so links stay short. */
export function vendorListSearch(query: Partial<VendorListQuery>): string {
  const params = new URLSearchParams()
  if (query.q) params.set('q', query.q)
  if (query.tier) params.set('tier', String(query.tier))
  if (query.category) params.set('category', query.category)
  if (query.status) params.set('status', query.status)
  if (query.sort && query.sort !== 'updated') params.set('sort', query.sort)
  if (query.dir) params.set('dir', query.dir)
  if (query.page && query.page > 1) params.set('page', String(query.page))
  if (query.size && query.size !== DEFAULT_PAGE_SIZE) params.set('size', String(query.size))
  const search = params.toString()
  return search ? `?${search}` : ''
}
