// A vendor and a submitted (or signed-off) assessment built from the real questionnaire library,
// written straight into the models, for the report tests. Answers cycle through each question's
// options so every clause result (met, partial, failed, not applicable) occurs.
import { createHash, randomBytes } from 'node:crypto'
import { Types } from 'mongoose'
import { AssessmentModel } from '~models/assessment'
import { VendorModel } from '~models/vendor'
import { snapshotOfVendor } from '~/modules/assessments/snapshot'
import type { AnswerValue } from '~/modules/assessments/vocabulary'
import type { Question } from '~/modules/library/content-schema'
import { getClause, getContractTemplate, latestQuestionnaire } from '~/modules/library/library.server'
import { computeTier } from '~/modules/vendors/tiering'

let counter = 0

function valueFor(question: Question, index: number): AnswerValue {
  const options = question.options ?? []
  switch (question.kind) {
    case 'yes_no_na':
    case 'single_choice':
      return options[index % Math.max(1, options.length)]?.id ?? null
    case 'multi_choice':
      return options.slice(0, 1 + (index % 2)).map((option) => option.id)
    case 'short_text':
      return `信息安全部 Information Security ${index}`
    case 'long_text':
      return `我们每年由内部审计复核个人信息保护措施。 Reviewed yearly by internal audit (${index}).`
    case 'number':
      return Math.max(question.min ?? 0, Math.min(question.max ?? 30, 12))
    case 'date':
      return '2025-01-15'
    default:
      return null
  }
}

export async function seedReportableAssessment({
  status = 'submitted',
  nameZh,
  nameEn,
  tier,
  category = 'payment_platform',
}: { status?: 'submitted' | 'under_review' | 'completed' | 'in_progress'; nameZh?: string; nameEn?: string; tier?: number; category?: 'payment_platform' | 'cloud_it' } = {}) {
  counter++
  const dataProfile = {
    piCategories: ['identity', 'account_auth', 'transactions'],
    sensitivity: 'C3',
    recordCount: 250_000,
    crossBorder: true,
    crossBorderDestinations: ['SG'],
    usesSubProcessors: true,
    subProcessors: [{ name: 'Asia Cloud Pte. Ltd.', country: 'SG', service: 'Hosting' }],
    transferMethods: ['api'],
    legalBasis: 'separate_consent',
    consentOnRecord: true,
    serviceCriticality: 'critical',
  } as const
  const computed = computeTier(dataProfile)
  const vendor = await VendorModel.create({
    legalName: { 'zh-CN': nameZh ?? `报告测试支付科技有限公司${counter}`, en: nameEn ?? `Report Test Payments ${counter} Co., Ltd.` },
    category,
    dataProfile,
    tier: { computed: computed.tier, reasons: computed.reasons },
    effectiveTier: tier ?? computed.tier,
  })

  const questionnaires = [latestQuestionnaire('baseline'), ...(category === 'payment_platform' ? [latestQuestionnaire('payment-supplement')] : [])]
  const clauses = getContractTemplate(category).clauses.map((id) => getClause(id)!).filter(Boolean)
  const answers: Record<string, unknown> = {}
  let index = 0
  const submittedAt = new Date('2025-03-01T06:00:00Z')
  for (const questionnaire of questionnaires) {
    for (const section of questionnaire.sections) {
      for (const question of section.questions) {
        index++
        const value = valueFor(question, index)
        answers[question.id] = {
          value,
          comment: index % 4 === 0 ? `补充说明 ${index}: see the attached policy.` : undefined,
          evidence: question.evidence ? [{ fileId: new Types.ObjectId().toString(), filename: `${question.id.toLowerCase()}-policy.pdf`, contentType: 'application/pdf', size: 2048, uploadedAt: submittedAt }] : [],
          rev: 1,
          updatedAt: submittedAt,
        }
      }
    }
  }
  // A working vendor link (only its hash is stored, as the portal does).
  const token = randomBytes(32).toString('base64url')
  const tokenHash = createHash('sha256').update(token, 'utf8').digest('hex')
  const assessment = await AssessmentModel.create({
    vendorId: vendor._id,
    status,
    vendorSnapshot: snapshotOfVendor(vendor.toObject()),
    questionnaires: questionnaires.map((questionnaire) => ({ id: questionnaire.id, version: questionnaire.version })),
    contract: { reference: `CTR-RPT-${counter}`, clauses },
    dueAt: new Date('2025-03-15T15:59:59Z'),
    createdBy: { id: new Types.ObjectId().toString(), name: 'Wang Procurement' },
    trigger: { reason: 'manual' },
    invitations: [{ name: '陈合规', email: `chen${counter}@vendor.test`, tokenHash, expiresAt: new Date(Date.now() + 30 * 86_400_000), sentAt: new Date('2025-02-10T02:00:00Z') }],
    answers,
    submission: status === 'in_progress' ? {} : { at: submittedAt, name: '陈合规', title: 'Data Protection Officer' },
    signOff: status === 'completed' ? { byUserId: 'u1', byName: 'Li Hegui 李合规', at: new Date('2025-03-10T08:00:00Z'), comment: 'Approved.' } : undefined,
  })
  return { vendor: vendor.toObject(), assessmentId: String(assessment._id), questionnaires, clauses, token }
}
