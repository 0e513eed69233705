// Demo assessments for the first demo vendors: one submitted with evidence, one half answered,
// one invited and overdue. Links and e-mails come from the real start; answers are written in one
// update per assessment (the seed must stay fast); the submission goes through the real check.
import { anyAssessment, setDemoFields } from './assessment-store.server'
import { findFirstStaffOfRole } from '~/modules/auth/user-store.server'
import { listVendors } from '~/modules/vendors/vendors.server'
import { parseVendorListQuery } from '~/modules/vendors/schemas'
import type { Question } from '~/modules/library/content-schema'
import { checkVendorAccess } from './access.server'
import { questionnairesOf } from './catalog.server'
import { submitAssessment } from './portal.server'
import { storeEvidence, type StoredEvidence } from '~/modules/evidence/evidence.server'
import { needsEvidence, progressOf, questionEntry, visibleQuestions } from './questions'
import { createAssessment } from './start.server'
import type { AnswerValue } from './vocabulary'

type Log = (line: string) => void

// A minimal valid PDF, so the demo's evidence opens in any viewer.
const DEMO_PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
)

function demoValue(question: Question): AnswerValue {
  switch (question.kind) {
    case 'yes_no_na':
    case 'single_choice':
      return question.options?.[0]?.id ?? null
    case 'multi_choice':
      return question.options?.slice(0, 2).map((option) => option.id) ?? null
    case 'short_text':
      return '信息安全部 / Information Security'
    case 'long_text':
      return '按照公司《个人信息保护管理办法》执行，每年由内审复核。\nHandled under our personal information protection policy, reviewed yearly by internal audit.'
    case 'number':
      return Math.max(question.min ?? 0, Math.min(question.max ?? 12, 12))
    case 'date':
      return '2025-06-30'
    case 'file':
      return null
  }
}

/**
 * Answers visible questions in order (as a person would, so conditions open up) until `limit`,
 * and writes them in one update: the demo must seed in well under two seconds.
 */
async function fill(assessmentId: string, token: string, limit: number) {
  const checked = await checkVendorAccess(token)
  if (!checked.ok) return
  const questionnaires = questionnairesOf(checked.access.assessment.questionnaires)
  const now = new Date()
  const answers: Record<string, { value: AnswerValue; comment: null; evidence: StoredEvidence[]; rev: number; updatedAt: Date; updatedBy: string }> = {}
  const needingEvidence: string[] = []
  for (let round = 0; round < 6 && Object.keys(answers).length < limit; round++) {
    const open = visibleQuestions(questionnaires, answers).filter(({ question }) => !answers[question.id])
    if (open.length === 0) break
    for (const { question } of open.slice(0, limit - Object.keys(answers).length)) {
      const value = demoValue(question)
      const entry = questionEntry(questionnaires, question.id)
      if (question.kind === 'file' || (entry && needsEvidence(entry, value))) needingEvidence.push(question.id)
      answers[question.id] = { value, comment: null, evidence: [], rev: question.kind === 'file' ? 0 : 1, updatedAt: now, updatedBy: checked.access.invitation.name }
    }
  }
  // Each answer gets its own file (a vendor may later remove one without touching the others).
  await Promise.all(
    needingEvidence.map(async (questionId) => {
      answers[questionId]!.evidence = [
        await storeEvidence({ bytes: DEMO_PDF, filename: `${questionId}-evidence.pdf`, contentType: 'application/pdf', extension: 'pdf', metadata: { assessmentId, questionId } }),
      ]
    }),
  )
  const progress = progressOf(questionnaires, answers)
  await setDemoFields(
    checked.access.assessment._id,
    { answers, status: 'in_progress', lastActivityAt: now, progress: { answered: progress.answered, required: progress.required, percent: progress.percent } },
    { bumpVersion: true },
  )
}

export async function seedAssessmentsDemo(log: Log) {
  if (await anyAssessment()) return
  const page = await listVendors(parseVendorListQuery(new URLSearchParams({ size: '50' })))
  const vendors = page.rows.filter((row) => row.status !== 'offboarded')
  if (vendors.length === 0) {
    log('[clausewise] demo assessments: no demo vendors, skipped')
    return
  }
  const procurement = await findFirstStaffOfRole('procurement')
  const actor = procurement ? { kind: 'user' as const, id: procurement._id.toString(), name: procurement.name } : { kind: 'system' as const }
  const payment = vendors.find((vendor) => vendor.category === 'payment_platform')
  const others = vendors.filter((vendor) => vendor !== payment)
  const [submitted, inProgress, invited] = [payment ?? others.shift(), others.shift(), others.shift()]
  const day = 86_400_000
  const plans = [
    { vendor: submitted, dueIn: 20, fill: Infinity, submit: true },
    { vendor: inProgress, dueIn: 12, fill: 18, submit: false },
    { vendor: invited, dueIn: -3, fill: 0, submit: false }, // overdue: the list shows the flag
  ]
  await Promise.all(
    plans.map(async (plan) => {
      if (!plan.vendor) return
      const { assessmentId, links } = await createAssessment({
        vendorId: plan.vendor.id,
        dueAt: new Date(Date.now() + Math.max(plan.dueIn, 1) * day),
        trigger: { reason: 'manual', detail: 'Demo' },
        actor,
      })
      const token = links[0]?.token
      if (token && plan.fill > 0) await fill(assessmentId, token, plan.fill)
      if (token && plan.submit) {
        const checked = await checkVendorAccess(token)
        if (checked.ok) await submitAssessment(checked.access, { name: checked.access.invitation.name, title: 'Information Security Manager', confirm: 'on', submissionKey: `demo-${assessmentId}` })
      }
      if (plan.dueIn < 0) await setDemoFields(assessmentId, { dueAt: new Date(Date.now() + plan.dueIn * day) })
    }),
  )
  log(`[clausewise] demo assessments: ${plans.filter((plan) => plan.vendor).length}`)
}
