// The vendor inventory's data layer. Every write is one function that checks the permission,
// validates with the shared schema, applies one atomic single-document change (guarded by
// `version` for updates) and records the audit entry. Plain objects leave this file.
import { Types } from 'mongoose'
import { VendorModel } from '~models/vendor'
import { UserModel } from '~models/user'
import { recordAudit } from '~/modules/audit/audit.server'
import { can, type Permission } from '~/modules/auth/roles'
import type { SessionUser } from '~/modules/auth/session.server'
import { fieldErrorsOf, type FieldErrors } from '~/modules/forms/validation'
import type { Locale } from '~/i18n/locales'
import { sortDirection, tierOverrideSchema, vendorEditSchema, vendorInputSchema, type VendorInput, type VendorListQuery } from './schemas'
import { searchPattern, vendorSearchKey } from './search'
import { computeTier } from './tiering'
import type { VendorListPage, VendorListRow, VendorView } from './types'
import type { Tier } from './vocabulary'

export type { VendorContactView, VendorListPage, VendorListRow, VendorView } from './types'

export type VendorWriteResult =
  | { ok: true; vendorId: string; version: number }
  | { ok: false; status: 400 | 404 | 409; fieldErrors: FieldErrors; formError?: string }

const DUPLICATE_CREDIT_CODE = 'vendors:errors.duplicateCreditCode'

function assertCan(user: SessionUser, permission: Permission) {
  if (!can(user.role, permission)) throw new Response('Forbidden', { status: 403, statusText: 'Forbidden' })
}

const userActor = (user: SessionUser) => ({ kind: 'user' as const, id: user.id, label: user.email })

function isDuplicateKey(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 11000
}

function asObjectId(id: string): Types.ObjectId | null {
  return /^[0-9a-f]{24}$/i.test(id) ? new Types.ObjectId(id) : null
}

// ---------------------------------------------------------------------------------------------
// Reading

type LeanVendor = Record<string, any>

const iso = (value: unknown) => (value instanceof Date ? value.toISOString() : null)

function toVendorView(vendor: LeanVendor, owner: { _id: Types.ObjectId; name: string; email: string } | null): VendorView {
  const profile = vendor.dataProfile ?? {}
  const override = vendor.tier?.override
  const summary = vendor.assessmentSummary
  return {
    id: String(vendor._id),
    legalName: { 'zh-CN': vendor.legalName?.['zh-CN'] ?? '', en: vendor.legalName?.en ?? '' },
    creditCode: vendor.creditCode ?? null,
    foreignRegistration: vendor.foreignRegistration?.number
      ? { number: vendor.foreignRegistration.number, country: vendor.foreignRegistration.country ?? '' }
      : null,
    category: vendor.category,
    services: vendor.services ?? '',
    businessOwner: owner ? { id: String(owner._id), name: owner.name, email: owner.email } : null,
    contacts: (vendor.contacts ?? []).map((contact: LeanVendor) => ({
      id: String(contact._id),
      name: contact.name,
      email: contact.email,
      phone: contact.phone ?? null,
      title: contact.title ?? null,
      locale: contact.locale ?? 'zh-CN',
    })),
    status: vendor.status,
    dataProfile: {
      piCategories: profile.piCategories ?? [],
      sensitivity: profile.sensitivity ?? 'C1',
      recordCount: profile.recordCount ?? 0,
      crossBorder: Boolean(profile.crossBorder),
      crossBorderDestinations: profile.crossBorderDestinations ?? [],
      usesSubProcessors: Boolean(profile.usesSubProcessors),
      subProcessors: (profile.subProcessors ?? []).map((sub: LeanVendor) => ({ name: sub.name ?? '', country: sub.country ?? '', service: sub.service ?? '' })),
      transferMethods: profile.transferMethods ?? [],
      legalBasis: profile.legalBasis ?? null,
      consentOnRecord: Boolean(profile.consentOnRecord),
      serviceCriticality: profile.serviceCriticality ?? 'standard',
    },
    tier: {
      computed: vendor.tier?.computed,
      reasons: (vendor.tier?.reasons ?? []).map((reason: LeanVendor) => ({ code: reason.code, params: reason.params ?? {} })),
      override:
        override?.tier != null
          ? {
              tier: override.tier,
              justification: override.justification ?? '',
              byUserId: override.byUserId ? String(override.byUserId) : null,
              byName: override.byName ?? '',
              at: iso(override.at) ?? '',
            }
          : null,
    },
    effectiveTier: vendor.effectiveTier,
    assessmentSummary: summary?.lastAssessedAt
      ? {
          lastAssessedAt: iso(summary.lastAssessedAt),
          lastAssessmentId: summary.lastAssessmentId ? String(summary.lastAssessmentId) : null,
          controlScore: summary.controlScore ?? null,
          residualRisk: summary.residualRisk ?? null,
        }
      : null,
    reassessment: { cadenceMonths: vendor.reassessment?.cadenceMonths ?? null, nextDueAt: iso(vendor.reassessment?.nextDueAt) },
    version: vendor.version ?? 0,
    createdAt: iso(vendor.createdAt) ?? '',
    updatedAt: iso(vendor.updatedAt) ?? '',
  }
}

/** One vendor as a plain object (ids and dates as strings), or null when the id is unknown or malformed. */
export async function getVendor(id: string): Promise<VendorView | null> {
  const objectId = asObjectId(id)
  if (!objectId) return null
  const vendor = await VendorModel.findById(objectId, { searchKey: 0 }).lean()
  if (!vendor) return null
  const owner = vendor.businessOwnerId ? await UserModel.findById(vendor.businessOwnerId, { name: 1, email: 1 }).lean() : null
  return toVendorView(vendor, owner)
}

/** A vendor's display name in the reader's language, falling back to the other one. */
export function vendorName(vendor: { legalName: { 'zh-CN'?: string | null; en?: string | null } }, locale: Locale): string {
  const zh = vendor.legalName['zh-CN'] ?? ''
  const en = vendor.legalName.en ?? ''
  return (locale === 'en' ? en || zh : zh || en) || '—'
}

/** Only the list's columns leave the database: the rest of a vendor document is never read for a list. */
const LIST_PROJECTION = {
  legalName: 1,
  creditCode: 1,
  'foreignRegistration.number': 1,
  'foreignRegistration.country': 1,
  category: 1,
  status: 1,
  effectiveTier: 1,
  'tier.override.tier': 1,
  'dataProfile.sensitivity': 1,
  'dataProfile.recordCount': 1,
  'dataProfile.crossBorder': 1,
  'reassessment.nextDueAt': 1,
  updatedAt: 1,
} as const

/** The database filter for a parsed list query (only parsed primitives reach it). */
export function vendorListFilter(query: Pick<VendorListQuery, 'q' | 'tier' | 'category' | 'status'>): Record<string, unknown> {
  const filter: Record<string, unknown> = {}
  if (query.tier) filter.effectiveTier = query.tier
  if (query.category) filter.category = query.category
  if (query.status) filter.status = query.status
  const pattern = query.q ? searchPattern(query.q) : null
  if (pattern) filter.searchKey = { $regex: pattern }
  return filter
}

function vendorListSort(query: Pick<VendorListQuery, 'sort' | 'dir'>, locale: Locale): Record<string, 1 | -1> {
  const direction = sortDirection(query) === 'asc' ? 1 : -1
  const field = {
    updated: 'updatedAt',
    name: locale === 'en' ? 'legalName.en' : 'legalName.zh-CN',
    tier: 'effectiveTier',
    category: 'category',
    status: 'status',
    records: 'dataProfile.recordCount',
  }[query.sort]
  // _id breaks ties so that pages never overlap or skip a vendor.
  return { [field]: direction, _id: direction }
}

function toListRow(vendor: LeanVendor): VendorListRow {
  return {
    id: String(vendor._id),
    legalName: { 'zh-CN': vendor.legalName?.['zh-CN'] ?? '', en: vendor.legalName?.en ?? '' },
    registration: vendor.creditCode ?? vendor.foreignRegistration?.number ?? '',
    country: vendor.creditCode ? null : (vendor.foreignRegistration?.country ?? null),
    category: vendor.category,
    status: vendor.status,
    effectiveTier: vendor.effectiveTier,
    overridden: vendor.tier?.override?.tier != null,
    sensitivity: vendor.dataProfile?.sensitivity ?? 'C1',
    recordCount: vendor.dataProfile?.recordCount ?? 0,
    crossBorder: Boolean(vendor.dataProfile?.crossBorder),
    nextDueAt: iso(vendor.reassessment?.nextDueAt),
    updatedAt: iso(vendor.updatedAt) ?? '',
  }
}

/**
 * One page of the vendor list for a parsed query. A page past the end shows the last page.
 *
 * The embedded database answers every list query by scanning the collection (it uses an index only
 * for an exact match on all of its fields), so the number of scans is what counts: unfiltered, the
 * total comes from collection metadata and one find sorts and pages; filtered, one aggregation
 * matches and sorts once and returns both the total and the page ($facet) instead of a count and
 * a find that would each scan. See docs/tiering.md → "List performance" and bench/vendor-list.ts.
 */
export async function listVendors(query: VendorListQuery, options: { locale?: Locale } = {}): Promise<VendorListPage> {
  const filter = vendorListFilter(query)
  const sort = vendorListSort(query, options.locale ?? 'zh-CN')
  const pageOf = (total: number) => Math.min(query.page, Math.max(1, Math.ceil(total / query.size)))

  if (Object.keys(filter).length === 0) {
    const total = await VendorModel.estimatedDocumentCount()
    const page = pageOf(total)
    const vendors = await VendorModel.find({}, LIST_PROJECTION).sort(sort).skip((page - 1) * query.size).limit(query.size).lean()
    return listPage(vendors, total, page, query.size)
  }

  const run = async (page: number) => {
    const [result] = await VendorModel.aggregate<{ total: { count: number }[]; rows: LeanVendor[] }>([
      { $match: filter },
      { $sort: sort },
      { $facet: { total: [{ $count: 'count' }], rows: [{ $skip: (page - 1) * query.size }, { $limit: query.size }, { $project: LIST_PROJECTION }] } },
    ])
    return { total: result?.total[0]?.count ?? 0, rows: result?.rows ?? [] }
  }
  let page = query.page
  let result = await run(page)
  if (result.rows.length === 0 && page > 1 && result.total > 0) {
    page = pageOf(result.total) // asked past the end: show the last page
    result = await run(page)
  }
  return listPage(result.rows, result.total, Math.min(page, pageOf(result.total)), query.size)
}

function listPage(vendors: LeanVendor[], total: number, page: number, pageSize: number): VendorListPage {
  return { rows: vendors.map(toListRow), total, page, pageSize, pageCount: Math.max(1, Math.ceil(total / pageSize)) }
}

/** Every vendor matching the list's filters (no paging), in the list's order, for CSV export. */
export async function listVendorsForExport(query: VendorListQuery, options: { locale?: Locale; limit?: number } = {}) {
  const vendors = await VendorModel.find(vendorListFilter(query), { searchKey: 0 })
    .sort(vendorListSort(query, options.locale ?? 'zh-CN'))
    .limit(options.limit ?? 50_000)
    .lean()
  const ownerIds = [...new Set(vendors.map((vendor) => vendor.businessOwnerId).filter(Boolean).map(String))]
  const owners = ownerIds.length ? await UserModel.find({ _id: { $in: ownerIds.map((id) => new Types.ObjectId(id)) } }, { name: 1, email: 1 }).lean() : []
  const ownerById = new Map(owners.map((owner) => [String(owner._id), owner]))
  return vendors.map((vendor) => toVendorView(vendor, vendor.businessOwnerId ? (ownerById.get(String(vendor.businessOwnerId)) ?? null) : null))
}

/** Staff who can be named as a vendor's internal business owner. */
export async function listBusinessOwnerOptions(): Promise<{ id: string; name: string; email: string }[]> {
  const users = await UserModel.find({ active: true }, { name: 1, email: 1 }).sort({ name: 1 }).lean()
  return users.map((user) => ({ id: String(user._id), name: user.name, email: user.email }))
}

// ---------------------------------------------------------------------------------------------
// Writing

/**
 * Contacts to store: a contact that already exists keeps its id (assessment invitations refer to
 * it), a new one gets a fresh id.
 */
function contactsToStore(contacts: VendorInput['contacts'], existingIds: Set<string>) {
  return contacts.map(({ id, ...contact }) => ({ ...contact, _id: id && existingIds.has(id) ? new Types.ObjectId(id) : new Types.ObjectId() }))
}

/** The stored fields for validated input: what the person entered plus the tier and search key it implies. */
function derivedFields(input: VendorInput, existingContactIds: Set<string> = new Set()) {
  const { tier, reasons } = computeTier(input.dataProfile)
  return {
    legalName: { 'zh-CN': input.legalName['zh-CN'] ?? '', en: input.legalName.en ?? '' },
    category: input.category,
    services: input.services ?? '',
    status: input.status,
    contacts: contactsToStore(input.contacts, existingContactIds),
    dataProfile: input.dataProfile,
    computedTier: tier,
    reasons,
    searchKey: vendorSearchKey(input),
  }
}

/** The document a new vendor is stored as (also used by the demo data). */
export function newVendorDocument(input: VendorInput) {
  const fields = derivedFields(input)
  return {
    legalName: fields.legalName,
    ...(input.creditCode ? { creditCode: input.creditCode } : { foreignRegistration: input.foreignRegistration }),
    category: fields.category,
    services: fields.services,
    ...(input.businessOwnerId ? { businessOwnerId: new Types.ObjectId(input.businessOwnerId) } : {}),
    contacts: fields.contacts,
    status: fields.status,
    dataProfile: fields.dataProfile,
    tier: { computed: fields.computedTier, reasons: fields.reasons },
    effectiveTier: fields.computedTier,
    searchKey: fields.searchKey,
    version: 0,
  }
}

async function ownerProblem(input: VendorInput): Promise<FieldErrors | null> {
  if (!input.businessOwnerId) return null
  const exists = await UserModel.exists({ _id: new Types.ObjectId(input.businessOwnerId), active: true })
  return exists ? null : { businessOwnerId: ['vendors:errors.unknownOwner'] }
}

async function creditCodeTaken(creditCode: string | undefined, exceptId?: Types.ObjectId): Promise<boolean> {
  if (!creditCode) return false
  const filter: Record<string, unknown> = { creditCode }
  if (exceptId) filter._id = { $ne: exceptId }
  return Boolean(await VendorModel.exists(filter))
}

export async function createVendor(raw: unknown, actor: SessionUser, options: { source?: 'form' | 'csv' } = {}): Promise<VendorWriteResult> {
  assertCan(actor, 'vendor:write')
  const parsed = vendorInputSchema.safeParse(raw)
  if (!parsed.success) return { ok: false, status: 400, fieldErrors: fieldErrorsOf(parsed.error) }
  const input = parsed.data
  const ownerErrors = await ownerProblem(input)
  if (ownerErrors) return { ok: false, status: 400, fieldErrors: ownerErrors }
  if (await creditCodeTaken(input.creditCode)) return { ok: false, status: 400, fieldErrors: { creditCode: [DUPLICATE_CREDIT_CODE] } }

  let vendorId: string
  try {
    const created = await VendorModel.create(newVendorDocument(input))
    vendorId = String(created._id)
  } catch (error) {
    // Two people saving the same code at the same moment: the unique index decides.
    if (isDuplicateKey(error)) return { ok: false, status: 400, fieldErrors: { creditCode: [DUPLICATE_CREDIT_CODE] } }
    throw error
  }
  await recordAudit({
    actor: userActor(actor),
    action: 'vendor.create',
    subject: { kind: 'vendor', id: vendorId },
    details: { source: options.source ?? 'form', name: input.legalName, tier: computeTier(input.dataProfile).tier },
  })
  return { ok: true, vendorId, version: 0 }
}

/** A comparable form of a stored or new value: key order, sub-document ids and ObjectId/Date types ignored. */
function comparable(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString()
  if (value instanceof Types.ObjectId) return String(value)
  if (Array.isArray(value)) return value.map(comparable)
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key, inner]) => key !== '_id' && inner !== undefined && inner !== null)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([key, inner]) => [key, comparable(inner)]),
    )
  }
  return value ?? null
}

/** The fields whose stored value differs from the new one, for the audit entry. */
function changedPaths(before: LeanVendor, after: Record<string, unknown>): string[] {
  return Object.entries(after)
    .filter(([path, value]) => {
      const stored = path.split('.').reduce<any>((cursor, part) => cursor?.[part], before)
      return JSON.stringify(comparable(stored)) !== JSON.stringify(comparable(value))
    })
    .map(([path]) => path)
}

export async function updateVendor(id: string, raw: unknown, actor: SessionUser): Promise<VendorWriteResult> {
  assertCan(actor, 'vendor:write')
  const objectId = asObjectId(id)
  if (!objectId) return { ok: false, status: 404, fieldErrors: {}, formError: 'errors:notFound' }
  const parsed = vendorEditSchema.safeParse(raw)
  if (!parsed.success) return { ok: false, status: 400, fieldErrors: fieldErrorsOf(parsed.error) }
  const { version, ...input } = parsed.data

  const current = await VendorModel.findById(objectId).lean()
  if (!current) return { ok: false, status: 404, fieldErrors: {}, formError: 'errors:notFound' }
  if (current.version !== version) return { ok: false, status: 409, fieldErrors: {}, formError: 'errors:conflict' }
  const ownerErrors = await ownerProblem(input)
  if (ownerErrors) return { ok: false, status: 400, fieldErrors: ownerErrors }
  if (await creditCodeTaken(input.creditCode, objectId)) return { ok: false, status: 400, fieldErrors: { creditCode: [DUPLICATE_CREDIT_CODE] } }

  const fields = derivedFields(input, new Set((current.contacts ?? []).map((contact) => String(contact._id))))
  const effectiveTier = (current.tier?.override?.tier ?? fields.computedTier) as Tier
  const set: Record<string, unknown> = {
    legalName: fields.legalName,
    category: fields.category,
    services: fields.services,
    status: fields.status,
    contacts: fields.contacts,
    dataProfile: fields.dataProfile,
    'tier.computed': fields.computedTier,
    'tier.reasons': fields.reasons,
    effectiveTier,
    searchKey: fields.searchKey,
  }
  const unset: Record<string, 1> = {}
  if (input.creditCode) {
    set.creditCode = input.creditCode
    unset.foreignRegistration = 1
  } else {
    set.foreignRegistration = input.foreignRegistration
    unset.creditCode = 1
  }
  if (input.businessOwnerId) set.businessOwnerId = new Types.ObjectId(input.businessOwnerId)
  else unset.businessOwnerId = 1

  const changes = changedPaths(current, { ...set, businessOwnerId: set.businessOwnerId ?? undefined, creditCode: set.creditCode ?? undefined })
    .filter((path) => !['tier.reasons', 'searchKey', 'effectiveTier', 'tier.computed'].includes(path))
  const raised = effectiveTier < current.effectiveTier
  const update: Record<string, unknown> = { $set: set, $unset: unset, $inc: { version: 1 } }
  if (raised) {
    update.$push = { 'reassessment.triggers': { reason: 'tier_raised', detail: `${current.effectiveTier} → ${effectiveTier}`, at: new Date(), byName: actor.name } }
  }

  let updated
  try {
    updated = await VendorModel.findOneAndUpdate({ _id: objectId, version }, update, { new: true, projection: { version: 1 } }).lean()
  } catch (error) {
    if (isDuplicateKey(error)) return { ok: false, status: 400, fieldErrors: { creditCode: [DUPLICATE_CREDIT_CODE] } }
    throw error
  }
  if (!updated) return { ok: false, status: 409, fieldErrors: {}, formError: 'errors:conflict' }
  await recordAudit({
    actor: userActor(actor),
    action: 'vendor.update',
    subject: { kind: 'vendor', id },
    details: { changes, tier: { from: current.tier?.computed, to: fields.computedTier }, effectiveTier: { from: current.effectiveTier, to: effectiveTier } },
  })
  return { ok: true, vendorId: id, version: updated.version ?? version + 1 }
}

/** Sets or removes an admin's override of the computed tier; the justification, author and time are kept. */
export async function overrideTier(id: string, raw: unknown, actor: SessionUser): Promise<VendorWriteResult> {
  assertCan(actor, 'vendor:override-tier')
  const objectId = asObjectId(id)
  if (!objectId) return { ok: false, status: 404, fieldErrors: {}, formError: 'errors:notFound' }
  const parsed = tierOverrideSchema.safeParse(raw)
  if (!parsed.success) return { ok: false, status: 400, fieldErrors: fieldErrorsOf(parsed.error) }
  const { tier, justification, version } = parsed.data

  const current = await VendorModel.findById(objectId, { tier: 1, effectiveTier: 1, version: 1 }).lean()
  if (!current) return { ok: false, status: 404, fieldErrors: {}, formError: 'errors:notFound' }
  if (current.version !== version) return { ok: false, status: 409, fieldErrors: {}, formError: 'errors:conflict' }
  if (tier === 'computed' && current.tier?.override?.tier == null) {
    return { ok: false, status: 400, fieldErrors: { tier: ['vendors:errors.noOverride'] } }
  }

  const now = new Date()
  const newTier = (tier === 'computed' ? current.tier!.computed : Number(tier)) as Tier
  const update: Record<string, unknown> =
    tier === 'computed'
      ? { $unset: { 'tier.override': 1 }, $set: { effectiveTier: newTier }, $inc: { version: 1 } }
      : {
          $set: {
            'tier.override': { tier: newTier, justification, byUserId: new Types.ObjectId(actor.id), byName: actor.name, at: now },
            effectiveTier: newTier,
          },
          $inc: { version: 1 },
        }
  if (newTier < current.effectiveTier) {
    update.$push = { 'reassessment.triggers': { reason: 'tier_raised', detail: `${current.effectiveTier} → ${newTier}`, at: now, byName: actor.name } }
  }
  const updated = await VendorModel.findOneAndUpdate({ _id: objectId, version }, update, { new: true, projection: { version: 1 } }).lean()
  if (!updated) return { ok: false, status: 409, fieldErrors: {}, formError: 'errors:conflict' }
  await recordAudit({
    actor: userActor(actor),
    action: tier === 'computed' ? 'vendor.tier_override_removed' : 'vendor.tier_override',
    subject: { kind: 'vendor', id },
    details: { from: current.effectiveTier, to: newTier, computed: current.tier!.computed, justification, byName: actor.name },
  })
  return { ok: true, vendorId: id, version: updated.version ?? version + 1 }
}
