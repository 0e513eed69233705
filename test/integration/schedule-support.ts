// Helpers for the scheduler's tests: the shared SMTP server on loopback (test/support/smtp.ts) and
// small builders for vendors and contracts.
import { Types } from 'mongoose'
import { ContractModel } from '~models/contract'
import { VendorModel } from '~models/vendor'
import { startControlledSmtp, type Delivered } from '../support/smtp'

export { decodeHeader } from '../support/smtp'
export type ReceivedMail = Delivered
export const startSmtpServer = startControlledSmtp

export async function createVendor(input: {
  name: string
  tier: 1 | 2 | 3 | 4
  contacts: { name: string; email: string; locale: 'en' | 'zh-CN' }[]
  businessOwnerId?: Types.ObjectId
  category?: string
  status?: string
}) {
  const vendor = await VendorModel.create({
    legalName: { en: input.name, 'zh-CN': `${input.name}（中国）` },
    category: input.category ?? 'cloud_it',
    status: input.status ?? 'active',
    contacts: input.contacts,
    businessOwnerId: input.businessOwnerId,
    tier: { computed: input.tier, reasons: [] },
    effectiveTier: input.tier,
  })
  return vendor._id
}

export async function createContract(input: { vendorId: Types.ObjectId; reference: string; effectiveAt: Date; expiresAt: Date }) {
  const contract = await ContractModel.create({ ...input, title: `Service agreement ${input.reference}`, status: 'active' })
  return contract._id
}
