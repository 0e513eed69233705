// Demo reviews: three more demo vendors get an assessment the vendor answered and submitted
// (submitted through the portal), then compliance's side through the review functions: one
// signed off with findings being remediated, one under review (ready to sign off), one waiting for
// the vendor's clarification. Runs after the portal's demo step.
import type { Types } from 'mongoose'
import { anyAssessment, findAssessment, setDemoFields, vendorIdsWithAssessments } from '~/modules/assessments/assessment-store.server'
import { findFirstStaffOfRole } from '~/modules/auth/user-store.server'
import { listVendorsBy } from '~/modules/vendors/vendor-store.server'
import { getEnv } from '~/env.server'
import type { Role } from '~/modules/auth/roles'
import type { SessionUser } from '~/modules/auth/session.server'
import { checkVendorAccess } from '~/modules/assessments/access.server'
import { questionnairesOf } from '~/modules/assessments/catalog.server'
import { dayIn, endOfDayIn } from '~/modules/dates/dates'
import { submitAssessment } from '~/modules/assessments/portal.server'
import { needsEvidence, progressOf, questionEntry, visibleQuestions } from '~/modules/assessments/questions'
import { storeEvidence, type StoredEvidence } from '~/modules/evidence/evidence.server'
import { createAssessment } from '~/modules/assessments/start.server'
import type { AnswerValue } from '~/modules/assessments/vocabulary'
import { updateFinding } from '~/modules/findings/findings.server'
import { countFindings, listFindingsOfAssessment, setFindingDueAt } from '~/modules/findings/finding-store.server'
import type { Question } from '~/modules/library/content-schema'
import { acceptClauseResult, decideAnswer, overrideClause, sendClarificationRequest, signOff, startReview } from './review.server'
import { signOffReadiness } from './sign-off.server'
import { readReview } from './state'
import { storedScoreOf } from './score.server'

type Log = (line: string) => void
type Outcome = 'completed' | 'under_review' | 'clarification'

const DAY = 86_400_000
const DEMO_PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
)

const RANK = { fails: 0, partial: 1, meets: 2, not_applicable: 3 } as const

/** The option a vendor with this weakness would choose: the best one, or a weaker one for the weak questions. */
function demoValue(question: Question, weak: boolean): AnswerValue {
  const options = question.options ?? []
  const worst = (option: (typeof options)[number]) => Math.min(3, ...option.clauses.map((effect) => RANK[effect.effect]))
  switch (question.kind) {
    case 'yes_no_na':
    case 'single_choice': {
      const scored = options.filter((option) => option.clauses.length > 0)
      if (scored.length === 0) return options[0]?.id ?? null
      const sorted = [...scored].sort((a, b) => worst(a) - worst(b))
      const choice = weak ? (sorted.find((option) => worst(option) === RANK.partial) ?? sorted[0]) : sorted.find((option) => worst(option) === RANK.meets)
      return (choice ?? options[0])?.id ?? null
    }
    case 'multi_choice': {
      const good = options.filter((option) => option.clauses.length > 0 && worst(option) === RANK.meets)
      if (weak) {
        const partial = options.find((option) => worst(option) === RANK.partial)
        if (partial) return [partial.id]
      }
      return (good.length ? good.slice(0, 2) : options.slice(0, 1)).map((option) => option.id)
    }
    case 'short_text':
      return '信息安全部 / Information Security'
    case 'long_text':
      return '按公司《个人信息保护管理办法》执行，每年由内审复核。\nGoverned by our personal information protection policy and reviewed yearly by internal audit.'
    case 'number':
      return Math.max(question.min ?? 0, Math.min(question.max ?? 12, 12))
    case 'date':
      return '2025-06-30'
    case 'file':
      return null
  }
}

/**
 * Answers every visible question as the vendor would (conditions open up as answers arrive) and
 * writes them in one update, as the portal's own demo step does: the demo must seed in seconds.
 * Submitting then goes through the portal, which checks that nothing required is missing.
 */
export async function answerAll(assessmentId: string, token: string, weakEvery: number): Promise<string[]> {
  const weakQuestions: string[] = []
  const checked = await checkVendorAccess(token)
  if (!checked.ok) return weakQuestions
  const questionnaires = questionnairesOf(checked.access.assessment.questionnaires)
  const now = new Date()
  const answers: Record<string, { value: AnswerValue; comment: string | null; evidence: StoredEvidence[]; rev: number; updatedAt: Date; updatedBy: string }> = {}
  let seen = 0
  for (let round = 0; round < 6; round++) {
    const open = visibleQuestions(questionnaires, answers).filter(({ question }) => !answers[question.id])
    if (open.length === 0) break
    for (const { question } of open) {
      const bearsOnClauses = (question.options ?? []).some((option) => option.clauses.some((effect) => effect.effect !== 'meets'))
      const weak = bearsOnClauses && ++seen % weakEvery === 0
      if (weak) weakQuestions.push(question.id)
      const value = demoValue(question, weak)
      const entry = questionEntry(questionnaires, question.id)
      const evidence =
        question.kind === 'file' || (entry && needsEvidence(entry, value))
          ? [await storeEvidence({ bytes: DEMO_PDF, filename: `${question.id}-evidence.pdf`, contentType: 'application/pdf', extension: 'pdf', metadata: { assessmentId, questionId: question.id } })]
          : []
      answers[question.id] = {
        value,
        comment: weak ? '正在整改中。Being remediated.' : null,
        evidence,
        rev: question.kind === 'file' ? 0 : 1,
        updatedAt: now,
        updatedBy: checked.access.invitation.name,
      }
    }
  }
  const progress = progressOf(questionnaires, answers)
  await setDemoFields(
    checked.access.assessment._id,
    { answers, status: 'in_progress', lastActivityAt: now, progress: { answered: progress.answered, required: progress.required, percent: progress.percent } },
    { version: checked.access.assessment.version, bumpVersion: true },
  )
  return weakQuestions
}

/**
 * Decides every clause result the way a reviewer would: accepts the computed result where answers
 * bear on the clause, and records "does not meet" where none does (nothing shows it is met).
 * `leave` clauses (the last ones) stay undecided.
 */
export async function decideClauses(assessmentId: string, reviewer: SessionUser, leave: number) {
  const assessment = await findAssessment(assessmentId)
  const review = readReview(assessment?.review)
  const clauses = (storedScoreOf(assessment ?? {})?.clauses ?? []).filter((clause) => !review.clauseOverrides[clause.clauseId])
  for (const clause of clauses.slice(0, clauses.length - leave)) {
    if (clause.contributions.length > 0) await acceptClauseResult(assessmentId, { intent: 'accept-clause', clauseId: clause.clauseId }, reviewer)
    else {
      await overrideClause(
        assessmentId,
        { intent: 'override', clauseId: clause.clauseId, status: 'fails', justification: '问卷中没有答复涉及该条款，亦无证明材料。No answer or evidence bears on this clause.' },
        reviewer,
      )
    }
  }
}

export async function sessionUserFor(role: Role, skip = 0): Promise<SessionUser | null> {
  const user = await findFirstStaffOfRole(role, { skip })
  return user ? { id: String(user._id), email: user.email, name: user.name, role, locale: user.locale } : null
}

/** An assessment's findings in the order of their keys (none without an assessment). */
async function findingsByKey(assessmentId: Types.ObjectId | undefined) {
  const findings = assessmentId ? await listFindingsOfAssessment(assessmentId) : []
  return findings.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
}

export async function seedReviewDemo(log: Log) {
  if (await anyAssessment({ statuses: ['under_review', 'clarification_requested', 'completed'] })) return
  const compliance = await sessionUserFor('compliance')
  const procurement = await sessionUserFor('procurement')
  // Maker-checker: a second compliance officer signs off what the first reviewed (the first when alone).
  if (!compliance) {
    log('[clausewise] demo reviews: no compliance user, skipped')
    return
  }
  // Maker-checker: a second compliance officer signs off what the first reviewed (the first when alone).
  const checker = (await sessionUserFor('compliance', 1)) ?? compliance
  const busy = await vendorIdsWithAssessments()
  const vendors = await listVendorsBy({ fields: 'id', statuses: ['active', 'onboarding'], order: 'created' })
  const free = vendors.filter((vendor) => !busy.includes(String(vendor._id)))
  const plans: { outcome: Outcome; weakEvery: number }[] = [
    { outcome: 'completed', weakEvery: 6 },
    { outcome: 'under_review', weakEvery: 4 },
    { outcome: 'clarification', weakEvery: 9 },
  ]
  const timeZone = getEnv().INSTITUTION_TIMEZONE
  const actor = procurement ? { kind: 'user' as const, id: procurement.id, name: procurement.name } : { kind: 'system' as const }
  const done: string[] = []
  for (const [index, plan] of plans.entries()) {
    const vendor = free[index]
    if (!vendor) break
    const { assessmentId, links } = await createAssessment({
      vendorId: String(vendor._id),
      dueAt: new Date(Date.now() + 21 * DAY),
      trigger: { reason: 'manual', detail: 'Demo' },
      actor,
    })
    const link = links[0]
    if (!link) continue
    const weak = await answerAll(assessmentId, link.token, plan.weakEvery)
    const access = await checkVendorAccess(link.token)
    if (!access.ok) continue
    const submitted = await submitAssessment(access.access, { name: '陈静 Chen Jing', title: '数据保护官 DPO', confirm: 'on', submissionKey: `demo-review-${assessmentId}` })
    if (submitted.status !== 200) continue

    await startReview(assessmentId, compliance)
    const assessment = await findAssessment(assessmentId)
    const answers = assessment?.answers ?? {}
    const rev = (questionId: string) => String(answers[questionId]?.rev ?? 0)
    const strong = Object.keys(answers).filter((questionId) => !weak.includes(questionId))
    for (const questionId of strong.slice(0, 2)) {
      await decideAnswer(assessmentId, { intent: 'decide', questionId, decision: 'accepted', answerRev: rev(questionId) }, compliance)
    }
    const score = storedScoreOf(assessment ?? {})
    // The reviewer's own judgement on one clause each: evidence that proves more, or less, than the answer says.
    const upgrade = score?.clauses.find((clause) => clause.status === 'partial') ?? score?.clauses.find((clause) => clause.status === 'not_assessed')
    const downgrade = score?.clauses.find((clause) => clause.status === 'meets' && clause.severity === 'high')

    if (plan.outcome === 'clarification') {
      const question = weak[0] ?? strong[0]
      if (question) {
        await decideAnswer(
          assessmentId,
          { intent: 'decide', questionId: question, decision: 'clarification', answerRev: rev(question), comment: '请说明整改计划及完成时间。Please describe the remediation plan and its completion date.' },
          compliance,
        )
        await sendClarificationRequest(assessmentId, { intent: 'send-clarification', respondBy: dayIn(new Date(Date.now() + 10 * DAY), timeZone) }, compliance)
      }
    } else if (plan.outcome === 'completed' && upgrade) {
      await overrideClause(
        assessmentId,
        {
          intent: 'override',
          clauseId: upgrade.clauseId,
          status: 'meets',
          justification: '现场检查时已核实相关控制措施并查阅了记录。Controls verified and records inspected during the on-site visit.',
        },
        compliance,
      )
    } else if (plan.outcome === 'under_review' && downgrade) {
      await overrideClause(
        assessmentId,
        {
          intent: 'override',
          clauseId: downgrade.clauseId,
          status: 'partial',
          justification: '证明材料仅覆盖生产环境，测试环境未见相应控制。The evidence only covers production; no such control is shown for test systems.',
        },
        compliance,
      )
    }

    // Every clause result decided before a sign-off; under review, one is left for the reviewer.
    if (plan.outcome === 'completed' || plan.outcome === 'under_review') await decideClauses(assessmentId, compliance, plan.outcome === 'under_review' ? 1 : 0)

    if (plan.outcome === 'completed') {
      const current = await findAssessment(assessmentId)
      const readiness = await signOffReadiness(current!, checker)
      const signed = await signOff(
        assessmentId,
        {
          intent: 'sign-off',
          version: String(current?.version ?? 0),
          scoreHash: readiness.scoreHash,
          confirm: 'on',
          name: checker.name,
          date: dayIn(new Date(), timeZone),
          comment: '同意通过，未关闭的发现按期跟踪整改。Approved; open findings are tracked to their due dates.',
        },
        checker,
      )
      if (!signed.ok) log(`[clausewise] demo reviews: the demo sign-off was refused (${signed.formError ?? JSON.stringify(signed.fieldErrors)})`)
      // Remediation under way on one finding, a risk accepted on another.
      const findings = await findingsByKey(assessment?._id)
      for (const [i, finding] of findings.slice(0, 2).entries()) {
        const accept = i === 1
        await updateFinding(
          String(finding._id),
          {
            version: String(finding.version ?? 0),
            severity: finding.severity,
            status: accept ? 'risk_accepted' : 'in_progress',
            owner: accept ? 'internal' : 'vendor',
            ownerName: accept ? '风险管理部 Risk Management' : '陈静 Chen Jing',
            dueAt: dayIn(finding.dueAt, timeZone),
            remediation: { 'zh-CN': finding.remediation?.['zh-CN'] ?? '', en: finding.remediation?.en ?? '' },
            riskJustification: accept ? '该服务将于下季度迁移，期间以加强监控作为补偿措施。The service moves next quarter; closer monitoring compensates until then.' : undefined,
            riskApprover: accept ? '周首席风险官 Zhou (CRO)' : undefined,
            comment: accept ? '经风险委员会批准。Approved by the risk committee.' : '合作机构已提交整改计划。The vendor sent a remediation plan.',
          },
          compliance,
        )
      }
      // Make one finding overdue, so the list's overdue filter shows something.
      const open = (await findingsByKey(assessment?._id)).find((finding) => finding.status === 'open')
      if (open) await setFindingDueAt(open._id, endOfDayIn(dayIn(new Date(Date.now() - 5 * DAY), timeZone), timeZone))
    }
    done.push(plan.outcome)
  }
  const findings = await countFindings(null, new Date())
  log(`[clausewise] demo reviews: ${done.join(', ') || 'none (no free demo vendor)'}; ${findings} findings`)
}
