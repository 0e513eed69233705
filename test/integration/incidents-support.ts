// Builders for the incident tests: staff users, a vendor with a contract, and a report's fields.
import { Types } from 'mongoose'
import { ContractModel } from '~models/contract'
import { UserModel } from '~models/user'
import { VendorModel } from '~models/vendor'
import type { SessionUser } from '~/modules/auth/session.server'

export async function staffUser(role: 'admin' | 'compliance' | 'procurement' | 'viewer', email: string, name: string, locale: 'en' | 'zh-CN' = 'en'): Promise<SessionUser> {
  const user = await UserModel.create({ email, name, role, passwordHash: 'x', locale })
  return { id: String(user._id), email, name, role, locale }
}

export async function vendorWithContract(input: { name: string; clauseIds: string[]; contacts?: { name: string; email: string; locale: 'en' | 'zh-CN' }[]; businessOwnerId?: string; effectiveAt?: Date }) {
  const vendor = await VendorModel.create({
    legalName: { en: input.name, 'zh-CN': `${input.name}（中国）` },
    category: 'cloud_it',
    status: 'active',
    contacts: input.contacts ?? [{ name: 'Ann Contact', email: `ann@${input.name.toLowerCase().replace(/\W/g, '')}.test`, locale: 'en' }],
    businessOwnerId: input.businessOwnerId ? new Types.ObjectId(input.businessOwnerId) : undefined,
    tier: { computed: 2, reasons: [] },
    effectiveTier: 2,
  })
  await ContractModel.create({
    vendorId: vendor._id,
    reference: `C-${input.name.replace(/\W/g, '')}`,
    title: 'Service agreement',
    status: 'active',
    effectiveAt: input.effectiveAt ?? new Date('2024-01-01T00:00:00+08:00'),
    expiresAt: new Date('2030-12-31T23:59:59+08:00'),
    clauseIds: input.clauseIds,
  })
  return { vendorId: String(vendor._id), contactId: String(vendor.contacts[0]!._id) }
}

export function reportFields(overrides: Record<string, unknown> = {}) {
  return {
    title: 'Exported customer file exposed',
    description: 'An export of customer records was reachable without authentication for two days.',
    occurredAt: '2026-03-01T08:00',
    detectedAt: '2026-03-01T10:00',
    notifiedAt: '2026-03-02T10:00',
    piCategories: ['identity', 'contact'],
    recordCount: '5000',
    customerCount: '4200',
    cause: 'human_error',
    containment: 'Access removed.',
    reporterName: 'Reporter',
    ...overrides,
  }
}
