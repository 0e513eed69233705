// Shared set-up for the assessment integration tests: the pinned fixture library, a vendor with
// two contacts, a contract, and a started assessment with its links' tokens (read from the outbox).
import path from 'node:path'
import { Types } from 'mongoose'
import { VendorModel } from '~models/vendor'
import { MailMessageModel } from '~models/mail-message'
import { AssessmentModel } from '~models/assessment'
import { reloadLibrary } from '~/modules/library/library.server'
import { createContract } from '~/modules/contracts/contracts.server'
import { startAssessment } from '~/modules/assessments/start.server'
import { checkVendorAccess, type VendorAccess } from '~/modules/assessments/access.server'

export const FIXTURE_LIBRARY = path.resolve(__dirname, '../fixtures/portal-questionnaires')

export function useFixtureLibrary() {
  reloadLibrary(FIXTURE_LIBRARY)
}

let counter = 0
export async function createVendor(overrides: { category?: string; contacts?: { name: string; email: string; locale: string }[] } = {}) {
  counter++
  const vendor = await VendorModel.create({
    legalName: { 'zh-CN': `测试支付公司${counter}`, en: `Test Pay ${counter} Ltd` },
    category: overrides.category ?? 'payment_platform',
    contacts: overrides.contacts ?? [
      { name: '张三', email: `zhang${counter}@vendor.test`, locale: 'zh-CN' },
      { name: 'Alice Smith', email: `alice${counter}@vendor.test`, locale: 'en' },
    ],
    dataProfile: { piCategories: ['identity', 'transactions'], sensitivity: 'C2', recordCount: 1000 },
    tier: { computed: 2 },
    effectiveTier: 2,
  })
  return vendor.toObject()
}

export async function createContractFor(vendorId: string) {
  const result = await createContract({ kind: 'system', label: 'test' }, vendorId, {
    reference: `CTR-${counter}-${Date.now()}`,
    title: 'Payment services agreement',
    effectiveAt: '2025-01-01',
    status: 'active',
    clauseIds: ['PRIV-01', 'SEC-01', 'PCI-01'],
  })
  if (!result.ok) throw new Error(`contract not created: ${JSON.stringify(result)}`)
  return result
}

export const inDays = (days: number) => new Date(Date.now() + days * 86_400_000)

/** The token of each link, taken from the e-mail that carried it (the database only has hashes). */
export async function tokensFromOutbox(assessmentId: string): Promise<Map<string, string>> {
  const mails = await MailMessageModel.find({ 'related.kind': 'assessment', 'related.id': assessmentId }).sort({ createdAt: 1 }).lean()
  const tokens = new Map<string, string>()
  for (const mail of mails) {
    const match = /\/v\/([A-Za-z0-9_-]{43})/.exec(mail.text)
    if (match) tokens.set(mail.to[0]!, match[1]!)
  }
  return tokens
}

export async function startTestAssessment(options: { contract?: boolean; category?: string } = {}) {
  const vendor = await createVendor({ category: options.category })
  if (options.contract !== false) await createContractFor(vendor._id.toString())
  const { assessmentId } = await startAssessment({
    vendorId: vendor._id.toString(),
    dueAt: inDays(30),
    trigger: { reason: 'manual' },
    actor: { kind: 'user', id: new Types.ObjectId().toString(), name: 'Wang Procurement' },
  })
  const tokens = await tokensFromOutbox(assessmentId)
  return { vendor, assessmentId, tokens, token: [...tokens.values()][0]! }
}

export async function access(token: string): Promise<VendorAccess> {
  const checked = await checkVendorAccess(token)
  if (!checked.ok) throw new Error(`token refused: ${checked.problem}`)
  return checked.access
}

export async function readAssessment(id: string) {
  return AssessmentModel.findById(id).lean()
}
