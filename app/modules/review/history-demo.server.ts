// Demo step: one vendor with a history — two yearly assessments signed off a year apart (answered
// differently, so "what changed" and the score chart show something) and this year's reassessment
// under way, started from last year's answers: some sections confirmed, a few answers edited, the
// rest still to confirm. Runs after the review step (it takes the next vendor without assessments).
import { Types } from 'mongoose'
import { anyAssessment, backdateDemoAssessment, findAssessment, findDemoInvitationsAndProgress, vendorIdsWithAssessments } from '~/modules/assessments/assessment-store.server'
import { listVendorsBy } from '~/modules/vendors/vendor-store.server'
import { getEnv } from '~/env.server'
import { checkVendorAccess } from '~/modules/assessments/access.server'
import { questionnairesOf } from '~/modules/assessments/catalog.server'
import { dayIn } from '~/modules/dates/dates'
import { confirmSection, saveAnswer, submitAssessment } from '~/modules/assessments/portal.server'
import { closeFindingsOfAssessment } from '~/modules/findings/finding-store.server'
import { createAssessment } from '~/modules/assessments/start.server'
import type { SessionUser } from '~/modules/auth/session.server'
import { answerAll, decideClauses, sessionUserFor } from './demo.server'
import { applySignOffEffects, signOff, startReview } from './review.server'
import { signOffReadiness } from './sign-off.server'

type Log = (line: string) => void

const DAY = 86_400_000
/** Marks the demo's yearly assessments, so the step runs once. */
export const HISTORY_DEMO_DETAIL = 'Demo: yearly reassessment'

/** Answers, submits, reviews and signs off one yearly assessment, then dates it `daysAgo` back. */
async function completedYear(vendorId: string, { weakEvery, daysAgo }: { weakEvery: number; daysAgo: number }, reviewer: SessionUser, checker: SessionUser, actor: Parameters<typeof createAssessment>[0]['actor']) {
  const timeZone = getEnv().INSTITUTION_TIMEZONE
  const { assessmentId, links } = await createAssessment({ vendorId, dueAt: new Date(Date.now() + 21 * DAY), trigger: { reason: 'manual', detail: HISTORY_DEMO_DETAIL }, actor })
  const token = links[0]?.token
  if (!token) return null
  await answerAll(assessmentId, token, weakEvery)
  const access = await checkVendorAccess(token)
  if (!access.ok) return null
  const submitted = await submitAssessment(access.access, { name: '刘敏 Liu Min', title: '首席信息安全官 CISO', confirm: 'on', submissionKey: `demo-history-${assessmentId}` })
  if (submitted.status !== 200) return null
  await startReview(assessmentId, reviewer)
  await decideClauses(assessmentId, reviewer, 0)
  const current = (await findAssessment(assessmentId))!
  const readiness = await signOffReadiness(current, checker)
  const signed = await signOff(
    assessmentId,
    {
      intent: 'sign-off',
      version: String(current.version ?? 0),
      scoreHash: readiness.scoreHash,
      confirm: 'on',
      name: checker.name,
      date: dayIn(new Date(), timeZone),
      comment: '年度复评通过。Yearly reassessment approved.',
    },
    checker,
  )
  if (!signed.ok) return null
  // Back to when it happened: sent five weeks before the sign-off, submitted a week before it.
  const signedAt = new Date(Date.now() - daysAgo * DAY)
  const at = (days: number) => new Date(signedAt.getTime() - days * DAY)
  const invitations = (await findDemoInvitationsAndProgress(assessmentId))?.invitations ?? []
  // Straight to the collection: createdAt is immutable to mongoose.
  await backdateDemoAssessment(assessmentId, {
    createdAt: at(35),
    dueAt: at(7),
    ...Object.fromEntries(invitations.map((_invitation, index) => [`invitations.${index}.sentAt`, at(35)])),
    'submission.at': at(8),
    'review.startedAt': at(6),
    'signOff.at': signedAt,
    'score.computedAt': at(1),
    lastActivityAt: signedAt,
  })
  // The vendor's summary and next due date follow the sign-off's real date.
  await applySignOffEffects(assessmentId)
  // Last year's findings were dealt with in their year.
  await closeFindingsOfAssessment(new Types.ObjectId(assessmentId))
  return assessmentId
}

export async function seedHistoryDemo(log: Log) {
  if (await anyAssessment({ triggerDetail: HISTORY_DEMO_DETAIL })) return
  const reviewer = await sessionUserFor('compliance')
  if (!reviewer) {
    log('[clausewise] demo history: no compliance user, skipped')
    return
  }
  const checker = (await sessionUserFor('compliance', 1)) ?? reviewer
  const procurement = await sessionUserFor('procurement')
  const actor = procurement ? { kind: 'user' as const, id: procurement.id, name: procurement.name } : { kind: 'system' as const }
  const busy = new Set(await vendorIdsWithAssessments())
  const vendors = await listVendorsBy({ fields: 'name', statuses: ['active'], order: 'created' })
  const vendor = vendors.find((candidate) => !busy.has(String(candidate._id)))
  if (!vendor) {
    log('[clausewise] demo history: no free demo vendor, skipped')
    return
  }
  const vendorId = String(vendor._id)

  // Two years ago weaker (every third scored answer only partly met), last year better.
  const older = await completedYear(vendorId, { weakEvery: 3, daysAgo: 730 }, reviewer, checker, actor)
  const last = older && (await completedYear(vendorId, { weakEvery: 7, daysAgo: 365 }, reviewer, checker, actor))
  if (!last) {
    log('[clausewise] demo history: a yearly assessment could not be completed, stopped')
    return
  }

  // This year's, from last year's answers.
  const { assessmentId, links } = await createAssessment({ vendorId, dueAt: new Date(Date.now() + 30 * DAY), trigger: { reason: 'manual', detail: HISTORY_DEMO_DETAIL }, actor })
  const token = links[0]?.token
  const access = token ? await checkVendorAccess(token) : null
  if (!token || !access?.ok) return
  const questionnaires = questionnairesOf(access.access.assessment.questionnaires)
  const sections = questionnaires.flatMap((questionnaire) => questionnaire.sections.map((section) => ({ questionnaireId: questionnaire.id, section })))
  // The first two sections confirmed as they are ("nothing changed").
  for (const { questionnaireId, section } of sections.slice(0, 2)) {
    const again = await checkVendorAccess(token)
    if (again.ok) await confirmSection(again.access, { questionnaireId, sectionId: section.id })
  }
  // In the third, two choice answers changed since last year.
  let edited = 0
  for (const question of sections[2]?.section.questions ?? []) {
    if (edited === 2) break
    const again = await checkVendorAccess(token)
    if (!again.ok) break
    const carried = again.access.assessment.answers?.[question.id]
    const other = question.kind === 'single_choice' || question.kind === 'yes_no_na' ? question.options?.find((option) => option.id !== carried?.value) : undefined
    if (!carried || !other) continue
    const saved = await saveAnswer(again.access, { questionId: question.id, baseRev: carried.rev ?? 0, value: other.id, comment: '今年已调整。Changed this year.' })
    if (saved.status === 200) edited++
  }
  const progress: { answered?: number; required?: number } = (await findDemoInvitationsAndProgress(assessmentId))?.progress ?? {}
  log(`[clausewise] demo history: ${vendor.legalName?.en ?? vendorId} — two yearly assessments signed off, this year's under way (${progress.answered ?? 0}/${progress.required ?? 0} answered, the rest carried over to confirm)`)
}
