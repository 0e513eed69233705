// Shared set-up for the offboarding tests: vendors with contacts in both languages, open
// assessments with working links, staff users, and the tokens read back from the outbox.
import { Types } from 'mongoose'
import { AssessmentModel } from '~models/assessment'
import { MailMessageModel } from '~models/mail-message'
import { UserModel } from '~models/user'
import { VendorModel } from '~models/vendor'
import { newAccessToken } from '~/modules/assessments/tokens.server'

let counter = 0

export async function createLeavingVendor(name = 'Leaving Pay') {
  counter++
  const vendor = await VendorModel.create({
    legalName: { 'zh-CN': `${name}（中国）${counter}`, en: `${name} ${counter}` },
    category: 'payment_platform',
    status: 'active',
    contacts: [
      { name: '张三', email: `zhang${counter}@leaving.test`, locale: 'zh-CN' },
      { name: 'Alice Smith', email: `alice${counter}@leaving.test`, locale: 'en' },
    ],
    dataProfile: { piCategories: ['identity', 'transactions'], sensitivity: 'C2', recordCount: 1000 },
    tier: { computed: 2 },
    effectiveTier: 2,
    reassessment: { nextDueAt: new Date(Date.now() + 90 * 86_400_000) },
  })
  return vendor.toObject()
}

/** An assessment with a working link, straight into the collection (the token is returned). */
export async function createOpenAssessment(vendorId: Types.ObjectId, status: string = 'in_progress', answers: Record<string, unknown> = {}) {
  const { token, tokenHash } = newAccessToken()
  const assessment = await AssessmentModel.create({
    vendorId,
    status,
    vendorSnapshot: { vendorId: String(vendorId), legalName: { en: 'x', 'zh-CN': 'x' }, category: 'payment_platform' },
    questionnaires: [{ id: 'baseline', version: 1 }],
    dueAt: new Date(Date.now() + 30 * 86_400_000),
    invitations: [{ name: 'Zhang', email: 'zhang@leaving.test', tokenHash, expiresAt: new Date(Date.now() + 60 * 86_400_000) }],
    answers,
  })
  return { assessmentId: assessment._id, token }
}

export async function createStaff() {
  const suffix = ++counter
  const compliance = await UserModel.create({ email: `compliance${suffix}@bank.test`, name: '李合规', role: 'compliance', passwordHash: 'x', locale: 'zh-CN' })
  const procurement = await UserModel.create({ email: `procurement${suffix}@bank.test`, name: 'Pat Procurement', role: 'procurement', passwordHash: 'x', locale: 'en' })
  const admin = await UserModel.create({ email: `admin${suffix}@bank.test`, name: 'Ada Admin', role: 'admin', passwordHash: 'x', locale: 'en' })
  const actor = (user: { _id: Types.ObjectId; name: string }) => ({ id: String(user._id), name: user.name })
  return { compliance, procurement, admin, actor }
}

/** The newest link token e-mailed to each address for this offboarding. */
export async function offboardingTokens(offboardingId: string): Promise<Map<string, string>> {
  const mails = await MailMessageModel.find({ 'related.kind': 'offboarding', 'related.id': offboardingId }).sort({ createdAt: 1, _id: 1 }).lean()
  const tokens = new Map<string, string>()
  for (const mail of mails) {
    const match = /\/o\/([A-Za-z0-9_-]{43})/.exec(mail.text)
    if (match) tokens.set(mail.to[0]!, match[1]!)
  }
  return tokens
}

/** The smallest file that file-type recognises as a PDF. */
export function pdfFile(name = 'deletion-certificate.pdf') {
  return new File([Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n')], name, { type: 'application/pdf' })
}

export const goodResponse = {
  categories: { identity: { disposal: 'deleted' as const, method: 'Secure wipe', date: '2026-02-20' }, transactions: { disposal: 'returned' as const, method: 'SFTP export', date: '2026-02-18' } },
  attestationName: '张三',
  attestationTitle: '首席信息安全官',
  confirm: true,
}
