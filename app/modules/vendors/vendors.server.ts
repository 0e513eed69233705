// Reading the vendor inventory: one vendor, the list, the export. Plain objects (ids and dates as
// strings) leave this file. The writes are in writes.server.ts.
import { Types } from 'mongoose'
import { findStaffContact, listActiveStaff, listStaffContactsByIds } from '~/modules/auth/user-store.server'
import type { Locale } from '~/i18n/locales'
import { sortDirection, type VendorListQuery } from './schemas'
import type { VendorListPage, VendorListRow, VendorView } from './types'
import { isoOrNull } from '~/modules/dates/dates'
import { findVendor, findVendorListPage, listVendorRowsAfter, listVendorsForExport as findVendorsForExport, type StoredVendor, type VendorListRecord } from './vendor-store.server'

export type { VendorContactView, VendorListPage, VendorListRow, VendorView } from './types'
export { vendorListFilter } from './vendor-store.server'

export function asObjectId(id: string): Types.ObjectId | null {
  return /^[0-9a-f]{24}$/i.test(id) ? new Types.ObjectId(id) : null
}

// ---------------------------------------------------------------------------------------------
// Reading

function toVendorView(vendor: StoredVendor, owner: { _id: Types.ObjectId; name: string; email: string } | null): VendorView {
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
    contacts: (vendor.contacts ?? []).map((contact) => ({
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
      subProcessors: (profile.subProcessors ?? []).map((sub) => ({ name: sub.name ?? '', country: sub.country ?? '', service: sub.service ?? '' })),
      transferMethods: profile.transferMethods ?? [],
      legalBasis: profile.legalBasis ?? null,
      consentOnRecord: Boolean(profile.consentOnRecord),
      serviceCriticality: profile.serviceCriticality ?? 'standard',
    },
    tier: {
      computed: vendor.tier?.computed,
      reasons: vendor.tier?.reasons ?? [],
      override:
        override?.tier != null
          ? {
              tier: override.tier,
              justification: override.justification ?? '',
              byUserId: override.byUserId ? String(override.byUserId) : null,
              byName: override.byName ?? '',
              at: isoOrNull(override.at) ?? '',
            }
          : null,
    },
    effectiveTier: vendor.effectiveTier,
    assessmentSummary: summary?.lastAssessedAt
      ? {
          lastAssessedAt: isoOrNull(summary.lastAssessedAt),
          lastAssessmentId: summary.lastAssessmentId ? String(summary.lastAssessmentId) : null,
          controlScore: summary.controlScore ?? null,
          residualRisk: summary.residualRisk ?? null,
        }
      : null,
    reassessment: { cadenceMonths: vendor.reassessment?.cadenceMonths ?? null, nextDueAt: isoOrNull(vendor.reassessment?.nextDueAt) },
    version: vendor.version ?? 0,
    createdAt: isoOrNull(vendor.createdAt) ?? '',
    updatedAt: isoOrNull(vendor.updatedAt) ?? '',
  }
}

/** One vendor as a plain object (ids and dates as strings), or null when the id is unknown or malformed. */
export async function getVendor(id: string): Promise<VendorView | null> {
  const objectId = asObjectId(id)
  if (!objectId) return null
  const vendor = await findVendor(objectId)
  if (!vendor) return null
  const owner = vendor.businessOwnerId ? await findStaffContact(vendor.businessOwnerId) : null
  return toVendorView(vendor, owner)
}

/** A vendor's display name in the reader's language, falling back to the other one. */
export function vendorName(vendor: { legalName: { 'zh-CN'?: string | null; en?: string | null } }, locale: Locale): string {
  const zh = vendor.legalName['zh-CN'] ?? ''
  const en = vendor.legalName.en ?? ''
  return (locale === 'en' ? en || zh : zh || en) || '—'
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

function toListRow(vendor: VendorListRecord): VendorListRow {
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
    nextDueAt: isoOrNull(vendor.reassessment?.nextDueAt),
    updatedAt: isoOrNull(vendor.updatedAt) ?? '',
  }
}

/** One page of the vendor list for a parsed query (one scan: see `findVendorListPage`). A page past the end shows the last page. */
export async function listVendors(query: VendorListQuery, options: { locale?: Locale } = {}): Promise<VendorListPage> {
  const { rows, total, page } = await findVendorListPage(query, vendorListSort(query, options.locale ?? 'zh-CN'), { page: query.page, size: query.size })
  return listPage(rows, total, page, query.size)
}

function listPage(vendors: VendorListRecord[], total: number, page: number, pageSize: number): VendorListPage {
  return { rows: vendors.map(toListRow), total, page, pageSize, pageCount: Math.max(1, Math.ceil(total / pageSize)) }
}

/**
 * The list's filters in creation order, after a vendor id: the REST API's keyset pages. The key is
 * the unique _id, so vendors added meanwhile never shift a page (docs/decisions/036-api-pagination.md).
 */
export async function listVendorsAfter(query: Pick<VendorListQuery, 'q' | 'tier' | 'category' | 'status'>, afterId: string | null, limit: number): Promise<VendorListRow[]> {
  const vendors = await listVendorRowsAfter(query, afterId ? asObjectId(afterId) : null, limit)
  return vendors.map(toListRow)
}

/** Every vendor matching the list's filters (no paging), in the list's order, for CSV export. */
export async function listVendorsForExport(query: VendorListQuery, options: { locale?: Locale; limit?: number } = {}) {
  const vendors = await findVendorsForExport(query, vendorListSort(query, options.locale ?? 'zh-CN'), options.limit ?? 50_000)
  const ownerIds = [...new Set(vendors.map((vendor) => vendor.businessOwnerId).filter(Boolean).map(String))]
  const owners = await listStaffContactsByIds(ownerIds.map((id) => new Types.ObjectId(id)))
  const ownerById = new Map(owners.map((owner) => [String(owner._id), owner]))
  return vendors.map((vendor) => toVendorView(vendor, vendor.businessOwnerId ? (ownerById.get(String(vendor.businessOwnerId)) ?? null) : null))
}

/** Staff who can be named as a vendor's internal business owner. */
export async function listBusinessOwnerOptions(): Promise<{ id: string; name: string; email: string }[]> {
  const users = await listActiveStaff({ sortByName: true })
  return users.map((user) => ({ id: String(user._id), name: user.name, email: user.email }))
}
