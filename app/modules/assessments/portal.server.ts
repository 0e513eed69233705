// What a vendor can do through their link: read the assessment, save answers, attach evidence,
// submit. Each change is one conditional update of the one assessment the link maps to (the
// guard also re-checks that the link is still good at the moment of writing).
import type { Types } from 'mongoose'
import type { VersionedDecision } from '~/modules/db/versioned-update.server'
import { domainEvent } from '~/modules/events/catalogue.server'
import { publishEvents, withEvents } from '~/modules/events/outbox.server'
import { getEnv } from '~/env.server'
import { recordAudit } from '~/modules/audit/audit.server'
import { deleteEvidence, releaseEvidence, shareEvidence, sniffEvidence, storeEvidence, type StoredEvidence } from '~/modules/evidence/evidence.server'
import { documentFieldsSchema } from '~/modules/documents/documents'
import { reusableDocuments } from '~/modules/documents/documents.server'
import { EVIDENCE_MAX_BYTES, EVIDENCE_MAX_FILES } from '~/modules/evidence/policy'
import type { FieldErrors } from '~/modules/forms/validation'
import type { Questionnaire } from '~/modules/library/content-schema'
import { LINK_PROBLEM_STATUS, recheckVendorAccess, rememberAssessment, type LinkProblem, type VendorAccess } from './access.server'
import {
  findAnswersAndVersion,
  findAssessmentByGuard,
  storeProgress,
  touchInvitationUse,
  updateAssessmentWithVersion,
  updateVendorAssessment,
  updateVendorAssessmentReturning,
  type AnswerRecord,
  type AnswersAfterChange,
  type VendorAssessment,
} from './assessment-store.server'
import { attestationSchema, parseSaveRequest, questionIdSchema } from './answer-schema'
import { questionnairesOf } from './catalog.server'
import { questionnaireForVendor, vendorForVendor } from './vendor-view'
import { answerFields } from './answer-view.server'
import { findQuestion, progressOf, type Progress } from './questions'
import { VENDOR_EDITABLE, type AssessmentStatus } from './vocabulary'
import { transition } from './lifecycle'
import { fieldErrorsOf } from '~/modules/forms/validation'
import { isUnconfirmedCarry } from './carried'
import { confirmSectionSchema } from './answer-schema'

type StoredAnswer = AnswerRecord
type Answers = Record<string, StoredAnswer>

type LinkProblemStatus = 401 | 403 | 410
export type PortalResult<T> = { status: 200; body: T } | { status: 400 | 404 | 409 | 413 | 415 | 423; body: { ok: false; [key: string]: unknown } }

function answersOf(assessment: { answers?: Answers }): Answers {
  return assessment.answers ?? {}
}

/** Which questions this vendor may change now: all, only those staff reopened, or none. */
export function editableQuestions(assessment: Pick<VendorAssessment, 'status' | 'review'>): 'all' | Set<string> {
  const status = assessment.status
  if (!VENDOR_EDITABLE.includes(status)) return new Set()
  if (status === 'clarification_requested') return new Set(assessment.review?.reopenedQuestions ?? [])
  return 'all'
}

function canEdit(assessment: VendorAssessment, questionId: string) {
  const editable = editableQuestions(assessment)
  return editable === 'all' || editable.has(questionId)
}

/** The status after a vendor's change (checked editable before): an invited assessment is now in progress. */
const nextStatus = (status: AssessmentStatus): AssessmentStatus => transition(status, 'vendor_saved') ?? status

function progressFields(progress: Progress) {
  return { 'progress.answered': progress.answered, 'progress.required': progress.required, 'progress.percent': progress.percent }
}

/**
 * The progress stored with a change was computed from what the writer read. If someone else
 * wrote in between (the version moved by more than one), recompute from what is there now.
 */
async function settleProgress(assessmentId: Types.ObjectId, readVersion: number, after: AnswersAfterChange | null, questionnaires: Questionnaire[]) {
  if (!after || after.version === readVersion + 1) return
  const current = after.answers ? after : await findAnswersAndVersion(assessmentId)
  if (!current) return
  const progress = progressOf(questionnaires, answersOf(current))
  await storeProgress(assessmentId, current.version, progressFields(progress))
}

function theirAnswer(answer: StoredAnswer | undefined) {
  return {
    value: answer?.value ?? null,
    comment: answer?.comment ?? null,
    rev: answer?.rev ?? 0,
    updatedAt: answer?.updatedAt ? new Date(answer.updatedAt).toISOString() : undefined,
    updatedBy: answer?.updatedBy,
  }
}

async function reread(access: VendorAccess): Promise<VendorAssessment | null> {
  return findAssessmentByGuard(access.guard)
}

/** The stored answer is exactly this save by this contact (value and comment alike). */
function sameAnswer(stored: StoredAnswer, value: unknown, comment: unknown, by: string): boolean {
  return stored.updatedBy === by && JSON.stringify(stored.value ?? null) === JSON.stringify(value ?? null) && (stored.comment ?? null) === (comment ?? null)
}

/**
 * One autosave. 200 with the new revision; 409 with both values when someone else saved first.
 *
 * One round trip when this process knows the assessment's current state (it read or wrote it
 * last): the update is pinned to that state's `version`, so it applies only if nothing changed
 * since — not the answer, not the status or reopened questions, not the links (every write to an
 * assessment increments `version`). Permission, the revision check and the stored progress are
 * therefore decided on exactly the state the update lands on. If the update matches nothing, the
 * assessment is read again (by `_id`) and everything is decided anew.
 */
export async function saveAnswer(
  access: VendorAccess,
  payload: unknown,
  // How to read the access again after a write matched nothing: the link's check by default; a
  // staff user filling in for the vendor (offline-fill.server.ts) passes their own.
  recheck: (access: VendorAccess, now: Date) => ReturnType<typeof recheckVendorAccess> = recheckVendorAccess,
): Promise<PortalResult<{ ok: true; questionId: string; rev: number; progress: Progress; status: AssessmentStatus }> | { status: LinkProblemStatus; body: { ok: false; linkProblem: LinkProblem } }> {
  let assessment: VendorAssessment = access.assessment
  const questionnaires = questionnairesOf(assessment.questionnaires)
  const parsed = parseSaveRequest(questionnaires, payload)
  if (!parsed.ok) return { status: 400, body: { ok: false, fieldErrors: parsed.fieldErrors } }
  const { questionId, baseRev, value, comment } = parsed.value
  const now = new Date()
  let checkedDatabase = false

  for (let attempt = 0; attempt < 4; attempt++) {
    if (!canEdit(assessment, questionId)) return { status: 423, body: { ok: false, locked: true, status: assessment.status } }
    const answers = answersOf(assessment)
    const current = answers[questionId]
    const currentRev = current?.rev ?? 0
    if (currentRev !== baseRev && !checkedDatabase) {
      // The state may come from this process's cache of recent assessments, which another
      // instance's (or a guarded retry's) write leaves behind: a conflict is decided on the
      // database's state, read once more, never on the cache alone.
      checkedDatabase = true
      const again = await recheckVendorAccess(access, now)
      if (!again.ok) return { status: LINK_PROBLEM_STATUS[again.problem] as LinkProblemStatus, body: { ok: false, linkProblem: again.problem } }
      assessment = again.access.assessment
      attempt--
      continue
    }
    if (currentRev !== baseRev) {
      // The browser resending a save whose reply was lost (a crash, a dropped connection): it
      // landed already, so it is acknowledged again rather than shown as someone else's change.
      if (current && currentRev === baseRev + 1 && sameAnswer(current, value, comment, access.invitation.name)) {
        return { status: 200, body: { ok: true, questionId, rev: currentRev, progress: progressOf(questionnaires, answers), status: assessment.status } }
      }
      return { status: 409, body: { ok: false, conflict: { questionId, theirs: theirAnswer(current), yours: { value, comment, baseRev } } } }
    }
    const status = assessment.status
    // Editing a carried answer makes it the vendor's own: its carried mark goes in the same update.
    const { carriedFrom: wasCarried, ...kept } = current ?? {}
    const saved: StoredAnswer = { ...kept, value, comment, rev: baseRev + 1, updatedAt: now, updatedBy: access.invitation.name, evidence: current?.evidence ?? [] }
    const answersAfter = { ...answers, [questionId]: saved }
    const progress = progressOf(questionnaires, answersAfter)
    const path = `answers.${questionId}`
    const set: Record<string, unknown> = {
      [`${path}.value`]: value,
      [`${path}.comment`]: comment,
      [`${path}.rev`]: baseRev + 1,
      [`${path}.updatedAt`]: now,
      [`${path}.updatedBy`]: access.invitation.name,
      ...(current ? {} : { [`${path}.evidence`]: [] }),
      status: nextStatus(status),
      lastActivityAt: now,
      ...progressFields(progress),
    }
    // Pinned: exactly the fields of the unique index { _id, version }, which the embedded database
    // finds through the index instead of scanning (it uses one only when a filter names its fields).
    // After two misses (other answers of the same assessment saved at the same moment), the
    // answer's own revision guards the write instead, so busy neighbours cannot starve it.
    const version = assessment.version ?? 0
    const pinned = attempt < 2
    const update = { $set: set, $inc: { version: 1 }, ...(wasCarried ? { $unset: { [`${path}.carriedFrom`]: '' } } : {}) }
    const saved200 = { status: 200 as const, body: { ok: true as const, questionId, rev: baseRev + 1, progress, status: nextStatus(status) } }
    if (pinned) {
      if (await updateVendorAssessment({ _id: assessment._id, version }, update)) {
        const { missing: _missing, missingEvidence: _missingEvidence, ...stored } = progress
        rememberAssessment({ ...assessment, answers: answersAfter, status: nextStatus(status), lastActivityAt: now, progress: stored, version: version + 1 })
        return saved200
      }
    } else {
      const filter = { ...access.guard, status, ...(current ? { [`${path}.rev`]: baseRev } : { [path]: { $exists: false } }) }
      const after = await updateVendorAssessmentReturning(filter, update, { withAnswers: false })
      if (after) {
        await settleProgress(assessment._id, version, after, questionnaires)
        return saved200
      }
    }
    // Something changed since that state (the answer, the status, a link, or another answer):
    // read it again, check the link again, and decide again.
    const again = await recheck(access, now)
    if (!again.ok) return { status: LINK_PROBLEM_STATUS[again.problem] as LinkProblemStatus, body: { ok: false, linkProblem: again.problem } }
    assessment = again.access.assessment
    checkedDatabase = true
  }
  return { status: 409, body: { ok: false, conflict: { questionId, theirs: theirAnswer(answersOf(assessment)[questionId]), yours: { value, comment, baseRev } } } }
}

/** An evidence file as the vendor's browser sees it: no ids of other assessments. */
export function evidenceForVendor(file: StoredEvidence) {
  return {
    fileId: file.fileId,
    filename: file.filename,
    contentType: file.contentType,
    size: file.size,
    kind: file.kind ?? null,
    issuedOn: file.issuedOn ?? null,
    expiresOn: file.expiresOn ?? null,
  }
}
type VendorEvidence = ReturnType<typeof evidenceForVendor>

/**
 * "Nothing changed in this section": every carried answer of one section becomes the vendor's own
 * (revision +1, by this contact). One update pinned to the version read, so it lands on exactly
 * the answers it was decided on; retried on a fresh read if anything changed in between.
 */
export async function confirmSection(
  access: VendorAccess,
  payload: unknown,
): Promise<PortalResult<{ ok: true; confirmed: string[]; revs: Record<string, number>; progress: Progress; status: AssessmentStatus }> | { status: LinkProblemStatus; body: { ok: false; linkProblem: LinkProblem } }> {
  const parsed = confirmSectionSchema.safeParse(payload)
  if (!parsed.success) return { status: 400, body: { ok: false, fieldErrors: fieldErrorsOf(parsed.error) } }
  let assessment: VendorAssessment = access.assessment
  const questionnaires = questionnairesOf(assessment.questionnaires)
  const questionnaire = questionnaires.find((candidate) => candidate.id === parsed.data.questionnaireId)
  const section = questionnaire?.sections.find((candidate) => candidate.id === parsed.data.sectionId)
  if (!section) return { status: 404, body: { ok: false, notFound: true } }
  const now = new Date()
  type Confirmed = { carried: string[]; revs: Record<string, number>; progress: Progress; status: AssessmentStatus; answersAfter: Answers; version: number }
  type Refused = PortalResult<never> | { status: LinkProblemStatus; body: { ok: false; linkProblem: LinkProblem } }
  const outcome = await updateAssessmentWithVersion({
    attempts: 4,
    // The state this request started from first; after a lost race, the database's, with the link checked again.
    read: async (attempt): Promise<VendorAssessment | { refuse: Refused }> => {
      if (attempt === 0) return assessment
      const again = await recheckVendorAccess(access, now)
      if (!again.ok) return { refuse: { status: LINK_PROBLEM_STATUS[again.problem] as LinkProblemStatus, body: { ok: false, linkProblem: again.problem } } }
      assessment = again.access.assessment
      return assessment
    },
    decide: (assessment: VendorAssessment): VersionedDecision<Confirmed, Refused> => {
      const answers = answersOf(assessment)
      const carried = section.questions.map((question) => question.id).filter((questionId) => isUnconfirmedCarry(answers[questionId]) && canEdit(assessment, questionId))
      const status = assessment.status
      if (carried.length === 0) {
        if (!VENDOR_EDITABLE.includes(status)) return { refuse: { status: 423, body: { ok: false, locked: true, status } } }
        return { unchanged: { carried: [], revs: {}, progress: progressOf(questionnaires, answers), status, answersAfter: answers, version: assessment.version ?? 0 } }
      }
      const answersAfter: Answers = { ...answers }
      const set: Record<string, unknown> = {}
      const unset: Record<string, ''> = {}
      const revs: Record<string, number> = {}
      for (const questionId of carried) {
        const { carriedFrom: _carried, ...kept } = answers[questionId]!
        const rev = (kept.rev ?? 0) + 1
        answersAfter[questionId] = { ...kept, rev, updatedAt: now, updatedBy: access.invitation.name }
        revs[questionId] = rev
        set[`answers.${questionId}.rev`] = rev
        set[`answers.${questionId}.updatedAt`] = now
        set[`answers.${questionId}.updatedBy`] = access.invitation.name
        unset[`answers.${questionId}.carriedFrom`] = ''
      }
      const progress = progressOf(questionnaires, answersAfter)
      const version = assessment.version ?? 0
      return {
        update: { $set: { ...set, status: nextStatus(status), lastActivityAt: now, ...progressFields(progress) }, $unset: unset },
        result: { carried, revs, progress, status: nextStatus(status), answersAfter, version },
      }
    },
  }, { driver: true })
  if (outcome.status === 'refused') return outcome.reason
  if (outcome.status === 'unchanged') {
    const { carried, revs, progress, status } = outcome.result
    return { status: 200, body: { ok: true, confirmed: carried, revs, progress, status } }
  }
  if (outcome.status === 'updated') {
    const { carried, revs, progress, status, answersAfter, version } = outcome.result
    const { missing: _missing, missingEvidence: _missingEvidence, ...stored } = progress
    rememberAssessment({ ...outcome.record, answers: answersAfter, status, lastActivityAt: now, progress: stored, version: version + 1 })
    return { status: 200, body: { ok: true, confirmed: carried, revs, progress, status } }
  }
  return { status: 409, body: { ok: false, retry: true } }
}

function fileError(key: string, status: 400 | 413 | 415): PortalResult<never> {
  return { status, body: { ok: false, fieldErrors: { file: [key] } } }
}

/** Attaches an evidence file to an answer after checking its size and, by content, its type. */
export async function addEvidence(
  access: VendorAccess,
  input: { questionId: unknown; file: unknown; document?: Record<string, unknown> },
): Promise<PortalResult<{ ok: true; questionId: string; evidence: VendorEvidence[] }>> {
  const questionId = questionIdSchema.safeParse(input.questionId)
  if (!questionId.success) return { status: 400, body: { ok: false, fieldErrors: { questionId: fieldErrorsOf(questionId.error)._form ?? ['errors:invalid'] } } }
  // What the document is and its dates: the same schema as the vendor's upload form.
  const facts = documentFieldsSchema.safeParse(input.document ?? {})
  if (!facts.success) return { status: 400, body: { ok: false, fieldErrors: fieldErrorsOf(facts.error) } }
  const assessment: VendorAssessment = access.assessment
  const questionnaires = questionnairesOf(assessment.questionnaires)
  const question = findQuestion(questionnaires, questionId.data)
  if (!question) return { status: 400, body: { ok: false, fieldErrors: { questionId: ['vendorPortal:errors.unknownQuestion'] } } }
  if (!canEdit(assessment, question.id)) return { status: 423, body: { ok: false, locked: true } }
  if (!(input.file instanceof Blob) || input.file.size === 0) return fileError('vendorPortal:errors.fileMissing', 400)
  if (input.file.size > EVIDENCE_MAX_BYTES) return fileError(`vendorPortal:errors.fileTooLarge|${JSON.stringify({ max: EVIDENCE_MAX_BYTES / 1024 / 1024 })}`, 413)
  const bytes = new Uint8Array(await input.file.arrayBuffer())
  const sniffed = await sniffEvidence(bytes)
  if (!sniffed.ok) {
    return sniffed.reason === 'tooLarge'
      ? fileError(`vendorPortal:errors.fileTooLarge|${JSON.stringify({ max: EVIDENCE_MAX_BYTES / 1024 / 1024 })}`, 413)
      : fileError(sniffed.reason === 'empty' ? 'vendorPortal:errors.fileMissing' : 'vendorPortal:errors.fileType', sniffed.reason === 'empty' ? 400 : 415)
  }
  const name = input.file instanceof File ? input.file.name : 'evidence'
  const stored = await storeEvidence({
    bytes,
    filename: name,
    contentType: sniffed.contentType,
    extension: sniffed.extension,
    metadata: { assessmentId: assessment._id.toString(), questionId: question.id, uploadedBy: access.invitation.email },
  })
  return attachEvidence(access, question.id, { ...stored, ...documentFacts(facts.data) }, () => deleteEvidence(stored.fileId))
}

function documentFacts(facts: { kind: string; issuedOn?: string; expiresOn?: string }) {
  return { kind: facts.kind, ...(facts.issuedOn ? { issuedOn: facts.issuedOn } : {}), ...(facts.expiresOn ? { expiresOn: facts.expiresOn } : {}) }
}

/** Reuses a still-valid document of one of the vendor's earlier assessments: the same stored file, shared with this one. */
export async function reuseEvidence(access: VendorAccess, input: { questionId: string; fileId: string }): Promise<PortalResult<{ ok: true; questionId: string; evidence: VendorEvidence[] }>> {
  const assessment = access.assessment
  const question = findQuestion(questionnairesOf(assessment.questionnaires), input.questionId)
  if (!question) return { status: 400, body: { ok: false, fieldErrors: { questionId: ['vendorPortal:errors.unknownQuestion'] } } }
  if (!canEdit(assessment, question.id)) return { status: 423, body: { ok: false, locked: true } }
  const offered = (await reusableDocuments(assessment)).find((document) => document.fileId === input.fileId)
  if (!offered) return { status: 404, body: { ok: false, notFound: true } }
  const shared = await shareEvidence(input.fileId, { assessmentId: offered.assessmentId }, assessment._id.toString())
  if (!shared) return { status: 404, body: { ok: false, notFound: true } }
  const entry: StoredEvidence = {
    fileId: offered.fileId,
    filename: offered.filename,
    contentType: offered.contentType,
    size: offered.size,
    uploadedAt: new Date(offered.uploadedAt),
    kind: offered.kind,
    ...(offered.issuedOn ? { issuedOn: offered.issuedOn } : {}),
    ...(offered.expiresOn ? { expiresOn: offered.expiresOn } : {}),
    sharedFrom: offered.assessmentId,
  }
  // If it cannot be attached, it stops being shared with this assessment again.
  return attachEvidence(access, question.id, entry, () => releaseEvidence(input.fileId, assessment._id.toString()))
}

/** Adds one file's entry to an answer (creating the answer if needed); `undo` runs when it cannot be added. */
async function attachEvidence(
  access: VendorAccess,
  questionId: string,
  stored: StoredEvidence,
  undo: () => Promise<void>,
): Promise<PortalResult<{ ok: true; questionId: string; evidence: VendorEvidence[] }>> {
  let assessment: VendorAssessment | null = access.assessment
  const questionnaires = questionnairesOf(assessment.questionnaires)
  const question = findQuestion(questionnaires, questionId)!
  const now = new Date()
  const path = `answers.${question.id}`
  for (let attempt = 0; attempt < 4 && assessment; attempt++) {
    if (!canEdit(assessment, question.id)) break
    const answers = answersOf(assessment)
    const current = answers[question.id]
    if ((current?.evidence?.length ?? 0) >= EVIDENCE_MAX_FILES) {
      await undo()
      return fileError(`vendorPortal:errors.tooManyFiles|${JSON.stringify({ max: EVIDENCE_MAX_FILES })}`, 400)
    }
    const evidence = [...(current?.evidence ?? []), stored]
    const progress = progressOf(questionnaires, { ...answers, [question.id]: { ...current, evidence } })
    const status = assessment.status
    const common = { status: nextStatus(status), lastActivityAt: now, ...progressFields(progress) }
    const after = current
      ? await updateVendorAssessmentReturning(
          { ...access.guard, status, [path]: { $exists: true }, [`${path}.evidence.${EVIDENCE_MAX_FILES - 1}`]: { $exists: false } },
          { $push: { [`${path}.evidence`]: stored }, $set: common, $inc: { version: 1 } },
          { withAnswers: true },
        )
      : await updateVendorAssessmentReturning(
          { ...access.guard, status, [path]: { $exists: false } },
          { $set: { [path]: { value: null, comment: null, evidence: [stored], rev: 0, updatedAt: now, updatedBy: access.invitation.name }, ...common }, $inc: { version: 1 } },
          { withAnswers: true },
        )
    if (after) {
      await settleProgress(assessment._id, assessment.version, after, questionnaires)
      const saved = answersOf(after)[question.id]
      return { status: 200, body: { ok: true, questionId: question.id, evidence: (saved?.evidence ?? evidence).map(evidenceForVendor) } }
    }
    assessment = await reread(access)
  }
  await undo()
  return { status: 423, body: { ok: false, locked: true } }
}

/** Detaches one evidence file of an answer (deleting the stored file if nothing else uses it). */
export async function removeEvidence(access: VendorAccess, input: { questionId: string; fileId: string }): Promise<PortalResult<{ ok: true; questionId: string; evidence: VendorEvidence[] }>> {
  const assessment = access.assessment
  const questionnaires = questionnairesOf(assessment.questionnaires)
  if (!findQuestion(questionnaires, input.questionId)) return { status: 400, body: { ok: false, fieldErrors: { questionId: ['vendorPortal:errors.unknownQuestion'] } } }
  if (!canEdit(assessment, input.questionId)) return { status: 423, body: { ok: false, locked: true } }
  const path = `answers.${input.questionId}`
  const answers = answersOf(assessment)
  const current = answers[input.questionId]
  if (!current?.evidence?.some((file) => file.fileId === input.fileId)) return { status: 404, body: { ok: false, notFound: true } }
  const evidence = current.evidence.filter((file) => file.fileId !== input.fileId)
  const progress = progressOf(questionnaires, { ...answers, [input.questionId]: { ...current, evidence } })
  const after = await updateVendorAssessmentReturning(
    { ...access.guard, status: assessment.status, [`${path}.evidence.fileId`]: input.fileId },
    { $pull: { [`${path}.evidence`]: { fileId: input.fileId } }, $set: { lastActivityAt: new Date(), ...progressFields(progress) }, $inc: { version: 1 } },
    { withAnswers: true },
  )
  if (!after) return { status: 409, body: { ok: false, retry: true } }
  await settleProgress(assessment._id, assessment.version, after, questionnaires)
  // A reused document stays its first assessment's; an own file goes unless a later assessment reuses it.
  await releaseEvidence(input.fileId, assessment._id.toString())
  return { status: 200, body: { ok: true, questionId: input.questionId, evidence: (answersOf(after)[input.questionId]?.evidence ?? []).map(evidenceForVendor) } }
}

/**
 * Submits with the attestation. Idempotent: the same submission key (one per page load) answers
 * "done" however often it arrives, so a double click or a retried request submits once.
 */
export async function submitAssessment(
  access: VendorAccess,
  raw: Record<string, unknown>,
): Promise<PortalResult<{ ok: true; repeated: boolean }> | { status: 400; body: { ok: false; fieldErrors: FieldErrors; formError?: string; missing?: string[]; missingEvidence?: string[] } }> {
  const parsed = attestationSchema.safeParse(raw)
  if (!parsed.success) return { status: 400, body: { ok: false, fieldErrors: fieldErrorsOf(parsed.error) } }
  const attestation = parsed.data
  const questionnaires = questionnairesOf(access.assessment.questionnaires)
  type Refused = { status: 200; body: { ok: true; repeated: true } } | { status: 400 | 409; body: { ok: false; fieldErrors: FieldErrors; formError: string; missing?: string[]; missingEvidence?: string[] } }
  const alreadySubmitted = { status: 409 as const, body: { ok: false as const, fieldErrors: {}, formError: 'vendorPortal:errors.alreadySubmitted' } }
  const outcome = await updateAssessmentWithVersion({
    attempts: 4,
    read: async (attempt) => (attempt === 0 ? access.assessment : reread(access)),
    decide: (assessment): VersionedDecision<{ percent: number; round: number }, Refused> => {
      if (assessment.submission?.submissionKey === attestation.submissionKey) return { refuse: { status: 200, body: { ok: true, repeated: true } } }
      const status = assessment.status
      if (!VENDOR_EDITABLE.includes(status)) return { refuse: alreadySubmitted }
      const progress = progressOf(questionnaires, answersOf(assessment))
      if (progress.missing.length || progress.missingEvidence.length) {
        return { refuse: { status: 400, body: { ok: false, fieldErrors: {}, formError: 'vendorPortal:submit.incomplete', missing: progress.missing, missingEvidence: progress.missingEvidence } } }
      }
      const now = new Date()
      // Carried answers nobody confirmed (optional questions only, or progress would have refused)
      // are not answers: they leave with the submission, so the review and the score see a fresh one's.
      const unconfirmed = Object.entries(answersOf(assessment)).filter(([, answer]) => isUnconfirmedCarry(answer)).map(([questionId]) => questionId)
      const round = (assessment.submission?.count ?? 0) + 1
      const submitted = domainEvent('assessment.submitted', { assessmentId: assessment._id.toString(), vendorId: String(assessment.vendorId), round })
      return {
        // The link must still be good, and the status still the one decided on.
        where: { ...access.guard, status },
        update: withEvents({
          ...(unconfirmed.length ? { $unset: Object.fromEntries(unconfirmed.map((questionId) => [`answers.${questionId}`, ''])) } : {}),
          $set: {
            status: 'submitted',
            submission: {
              at: now,
              name: attestation.name,
              title: attestation.title,
              submissionKey: attestation.submissionKey,
              email: access.invitation.email,
              count: round,
            },
            lastActivityAt: now,
            ...progressFields(progress),
          },
        }, submitted),
        result: { percent: progress.percent, round },
      }
    },
  }, { driver: true })
  if (outcome.status === 'refused') return outcome.reason
  if (outcome.status !== 'updated') return alreadySubmitted
  const assessmentId = outcome.record._id.toString()
  // Also waits for the reactions to the submission: compliance sees the score and findings at once
  // (review rescores, review/reactions.server.ts); the submission stands even if scoring fails.
  await publishEvents('assessments', outcome.record._id)
  await recordAudit({
    actor: { kind: 'vendor-contact', id: access.invitation.email, label: `${attestation.name} (${attestation.title})` },
    action: 'assessment.submit',
    subject: { kind: 'assessment', id: assessmentId },
    details: outcome.result,
  })
  return { status: 200, body: { ok: true, repeated: false } }
}

/** Notes that the link was used (at most every few minutes, so page views stay cheap). */
export async function touchInvitation(access: VendorAccess) {
  const last = access.invitation.lastUsedAt ? new Date(access.invitation.lastUsedAt).getTime() : 0
  if (Date.now() - last < 5 * 60_000) return
  await touchInvitationUse(access.assessment._id, access.tokenHash, new Date())
}

/** Everything the portal pages show, as plain JSON-safe values. */
export function portalView(access: VendorAccess) {
  const { assessment } = access
  // Sent to the vendor's browser: no scoring key, no internal rating (vendor-view.ts).
  const questionnaires = questionnairesOf(assessment.questionnaires).map(questionnaireForVendor)
  const answers = answersOf(assessment)
  const editable = editableQuestions(assessment)
  const env = getEnv()
  return {
    institution: env.INSTITUTION_NAME,
    timeZone: env.INSTITUTION_TIMEZONE,
    status: assessment.status,
    dueAt: new Date(assessment.dueAt).toISOString(),
    expiresAt: new Date(access.invitation.expiresAt).toISOString(),
    contactName: access.invitation.name,
    vendor: vendorForVendor(assessment.vendorSnapshot),
    questionnaires,
    answers: Object.fromEntries(
      Object.entries(answers).map(([questionId, answer]) => [
        questionId,
        {
          ...answerFields(answer),
          carriedFrom: answer.carriedFrom ? { at: new Date(answer.carriedFrom.at ?? 0).toISOString() } : null,
          evidence: (answer.evidence ?? []).map(evidenceForVendor),
        },
      ]),
    ),
    editable: editable === 'all' ? ('all' as const) : [...editable],
    submission: assessment.submission?.at
      ? { at: new Date(assessment.submission.at).toISOString(), name: assessment.submission.name ?? '', title: assessment.submission.title ?? '' }
      : null,
    clarification: clarificationMessage(assessment.review),
  }
}
export type PortalView = ReturnType<typeof portalView>

function clarificationMessage(review: VendorAssessment['review']): string | null {
  const message = review?.clarificationMessage
  return typeof message === 'string' && message.trim() ? message : null
}
