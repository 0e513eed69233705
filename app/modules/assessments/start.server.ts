// Starting an assessment: procurement's "send questionnaire" and the scheduler's yearly
// reassessment both come through here.
import { Types } from 'mongoose'
import { domainEvent } from '~/modules/events/catalogue.server'
import { eventsOnCreate, publishEvents } from '~/modules/events/outbox.server'
import { insertAssessment, type NewAssessment } from './assessment-store.server'
import { recordAudit } from '~/modules/audit/audit.server'
import { contractClauses, getCurrentContract, type Contract } from '~/modules/contracts/read.server'
import { getVendor } from '~/modules/vendors/vendors.server'
import { isVendorLeaving } from '~/modules/offboarding/read-only.server'
import type { QuestionnaireRef } from '~/modules/library/content-schema'
import { refreshPublishedVersions } from '~/modules/library/drafts.server'
import { defaultQuestionnaires, questionnairesOf } from './catalog.server'
import { actorLabel, auditActor, issueInvitation, mailInvitations, type Actor } from './invitations.server'
import { progressOf } from './questions'
import { endOfDayIn } from '~/modules/dates/dates'
import type { FieldErrors } from '~/modules/forms/validation'
import { snapshotOfVendor } from './snapshot'
import { lastCompletedForCarryOver } from './history.server'
import { planCarryOver, type CarryOverPlan, type PreviousAssessment } from './carry-over'
import type { Questionnaire } from '~/modules/library/content-schema'
import type { AnswerValue } from './vocabulary'

export type StartTrigger = { reason: 'manual' | 'scheduled' | 'contract_renewal' | 'tier_raised' | 'staff_request' | 'incident'; detail?: string }

export interface StartAssessmentInput {
  vendorId: string
  /** Pinned versions; when absent, the latest baseline and the supplements proposed for the vendor. */
  questionnaires?: QuestionnaireRef[]
  dueAt: Date
  /** Vendor contacts to invite; when absent, every contact of the vendor. */
  contactIds?: string[]
  trigger: StartTrigger
  actor: Actor
  /** Pre-fill the answers of the vendor's last completed assessment (default: yes, also for the scheduler). */
  carryOver?: boolean
}

export class StartAssessmentError extends Error {
  constructor(
    readonly code: 'vendorNotFound' | 'vendorLeaving' | 'unknownQuestionnaire' | 'unknownContact' | 'dueInPast',
    message: string,
  ) {
    super(message)
    this.name = 'StartAssessmentError'
  }
}

/**
 * Pins the questionnaire versions, copies the contract's clauses and the vendor's profile as they
 * are now, creates one link per invited contact and e-mails it in that contact's language.
 */
export async function startAssessment(input: StartAssessmentInput): Promise<{ assessmentId: string }> {
  const { assessmentId } = await createAssessment(input)
  return { assessmentId }
}

/** The start form's values (startAssessmentSchema), from the staff page or the REST API. */
export interface StartAssessmentValues {
  vendorId: string
  questionnaires: string[]
  dueDate: string
  contactIds: string[]
  note?: string
  /** Pre-fill the last signed-off assessment's answers (default: yes). */
  carryOver?: boolean
}

/** Starts an assessment from the form's values; a refusal names the field to correct. */
export async function startAssessmentFromForm(
  values: StartAssessmentValues,
  actor: Actor,
  timeZone: string,
): Promise<{ ok: true; assessmentId: string } | { ok: false; fieldErrors: FieldErrors }> {
  try {
    const { assessmentId } = await startAssessment({
      vendorId: values.vendorId,
      questionnaires: values.questionnaires.map((ref) => {
        const [id, version] = ref.split('@')
        return { id: id!, version: Number(version) }
      }),
      dueAt: endOfDayIn(values.dueDate, timeZone),
      contactIds: values.contactIds,
      trigger: { reason: 'manual', detail: values.note },
      actor,
      carryOver: values.carryOver,
    })
    return { ok: true, assessmentId }
  } catch (error) {
    if (error instanceof StartAssessmentError) {
      const field = { vendorNotFound: 'vendorId', vendorLeaving: 'vendorId', unknownQuestionnaire: 'questionnaires', unknownContact: 'contactIds', dueInPast: 'dueDate' }[error.code]
      return { ok: false, fieldErrors: { [field]: [`assessments:errors.${error.code}`] } }
    }
    throw error
  }
}

/** startAssessment, also handing back the links it mailed (for the demo data, which fills some in). */
export async function createAssessment(input: StartAssessmentInput): Promise<{ assessmentId: string; links: { email: string; token: string }[] }> {
  const vendor = await getVendor(input.vendorId)
  if (!vendor) throw new StartAssessmentError('vendorNotFound', `vendor ${input.vendorId} not found`)
  if (await isVendorLeaving(vendor.id)) throw new StartAssessmentError('vendorLeaving', `vendor ${input.vendorId} is being offboarded`)
  if (!(input.dueAt instanceof Date) || Number.isNaN(input.dueAt.getTime()) || input.dueAt.getTime() < Date.now()) {
    throw new StartAssessmentError('dueInPast', 'the due date must be in the future')
  }
  await refreshPublishedVersions() // a version another process published in the app may be pinned
  const refs = dedupeRefs(input.questionnaires?.length ? input.questionnaires : defaultQuestionnaires(vendor.category))
  let questionnaires
  try {
    questionnaires = questionnairesOf(refs)
  } catch (error) {
    throw new StartAssessmentError('unknownQuestionnaire', error instanceof Error ? error.message : String(error))
  }
  if (questionnaires.length === 0) throw new StartAssessmentError('unknownQuestionnaire', 'no questionnaire to send')

  const contacts = input.contactIds
    ? input.contactIds.map((id) => {
        const contact = vendor.contacts.find((candidate) => candidate.id === id)
        if (!contact) throw new StartAssessmentError('unknownContact', `contact ${id} is not a contact of vendor ${vendor.id}`)
        return contact
      })
    : vendor.contacts

  const contract = await getCurrentContract(vendor.id)
  const clauses = contract ? contractClauses(contract) : []
  const now = new Date()
  const issued = contacts.map((contact) => issueInvitation(contact, input.dueAt, 'invitation', input.actor, now))
  const carried = input.carryOver === false ? null : await carryOverFromLastCompleted(vendor.id, vendor.assessmentSummary?.lastAssessmentId, questionnaires)
  const answers = carried ? carriedAnswers(carried.plan, now) : {}
  const progress = progressOf(questionnaires, answers)
  const _id = new Types.ObjectId()
  const started = domainEvent('assessment.started', { assessmentId: String(_id), vendorId: vendor.id, dueAt: input.dueAt.toISOString(), trigger: input.trigger?.reason ?? null })
  const created: NewAssessment = {
    _id,
    ...eventsOnCreate(started),
    vendorId: new Types.ObjectId(vendor.id),
    status: 'invited',
    vendorSnapshot: snapshotOfVendor(vendor),
    questionnaires: refs,
    contract: contract
      ? { contractId: contractIdOf(contract), reference: contract.reference, clauses: clauses.map((clause) => ({ ...clause })) }
      : { clauses: [] },
    dueAt: input.dueAt,
    createdBy: input.actor.kind === 'user' ? { id: input.actor.id, name: input.actor.name } : { name: actorLabel(input.actor) },
    trigger: input.trigger,
    invitations: issued.map((entry) => entry.invitation),
    ...(carried ? { carriedOverFrom: { assessmentId: carried.previous.assessmentId, at: carried.previous.completedAt } } : {}),
    progress: { answered: progress.answered, required: progress.required, percent: progress.percent },
  }
  await insertAssessment(created, answers, now)
  const assessmentId = created._id.toString()
  await recordAudit({
    actor: auditActor(input.actor),
    action: 'assessment.start',
    subject: { kind: 'assessment', id: assessmentId },
    details: {
      vendorId: vendor.id,
      questionnaires: refs,
      dueAt: input.dueAt,
      trigger: input.trigger,
      invited: issued.map((entry) => entry.invitation.email),
      carriedOver: carried ? { from: carried.previous.assessmentId, answers: Object.keys(carried.plan.answers).length } : null,
    },
  })
  await publishEvents('assessments', _id)
  await mailInvitations(created, issued)
  return { assessmentId, links: issued.map((entry) => ({ email: entry.invitation.email, token: entry.token })) }
}

function dedupeRefs(refs: QuestionnaireRef[]): QuestionnaireRef[] {
  const seen = new Set<string>()
  return refs.filter((ref) => {
    if (seen.has(ref.id)) return false
    seen.add(ref.id)
    return true
  })
}

function contractIdOf(contract: Pick<Contract, 'id'>): Types.ObjectId | undefined {
  return contract.id && Types.ObjectId.isValid(contract.id) ? new Types.ObjectId(contract.id) : undefined
}

/** The plan for carrying the last completed assessment's answers over, or null when there is none. */
async function carryOverFromLastCompleted(
  vendorId: string,
  lastAssessmentId: string | null | undefined,
  questionnaires: Questionnaire[],
): Promise<{ previous: PreviousAssessment; plan: CarryOverPlan } | null> {
  const previous = await lastCompletedForCarryOver(vendorId, lastAssessmentId)
  if (!previous) return null
  const plan = planCarryOver(previous, questionnaires)
  return Object.keys(plan.answers).length ? { previous, plan } : null
}

/** Stored form of the carried answers: revision 0, so the vendor's first edit or confirmation is revision 1. */
function carriedAnswers(plan: CarryOverPlan, now: Date): Record<string, StoredCarriedAnswer> {
  return Object.fromEntries(
    Object.entries(plan.answers).map(([questionId, answer]) => [
      questionId,
      {
        value: answer.value,
        ...(answer.comment === null ? {} : { comment: answer.comment }),
        evidence: [],
        rev: 0,
        updatedAt: now,
        carriedFrom: { assessmentId: answer.carriedFrom.assessmentId, at: answer.carriedFrom.at },
      },
    ]),
  )
}

/** Exactly the stored shape of models/assessment.ts's answerSchema for a carried answer. */
interface StoredCarriedAnswer {
  value: AnswerValue
  comment?: string
  evidence: []
  rev: 0
  updatedAt: Date
  carriedFrom: { assessmentId: string; at: Date }
}
