// Filling the questionnaire offline: download a workbook, upload it back, see what it would
// change, apply. Shared by the vendor portal (the link is the writer) and the staff assessment
// page (a user with assessment:manage filling in for the vendor). Applying goes answer by answer
// through saveAnswer — the autosave's conditional update — so an answer a colleague saved online
// since the download is a conflict with both values, never overwritten (docs/decisions/034).
import { createHash, randomBytes } from 'node:crypto'
import type { TFunction } from 'i18next'
import { Types } from 'mongoose'
import { localized, type Locale } from '~/i18n/locales'
import { recordAudit, type AuditActor } from '~/modules/audit/audit.server'
import { readWorkbook } from '~/modules/spreadsheets/read-workbook.server'
import { WorkbookReadError, type WorkbookPlace } from '~/modules/spreadsheets/workbook-problem'
import type { LinkProblem, VendorAccess } from './access.server'
import { findVendorAssessmentById, type AnswerRecord, type InvitationRecord } from './assessment-store.server'
import { questionnairesOf } from './catalog.server'
import { buildOfflineWorkbook, parseOfflineWorkbook, planOfflineChanges, type OfflinePlan, type OfflineProblem } from './offline-workbook.server'
import { claimOfflinePreview, findOfflinePreview, insertOfflinePreview } from './offline/offline-preview-store.server'
import { editableQuestions, saveAnswer } from './portal.server'
import type { AnswerValue } from './vocabulary'

export const OFFLINE_UPLOAD_MAX_BYTES = 20 * 1024 * 1024
const PREVIEW_TTL_MS = 30 * 60_000

/** Who fills in: the vendor through their link, or a staff user on the vendor's behalf. */
export type OfflineFiller = { kind: 'link'; access: VendorAccess } | { kind: 'user'; access: VendorAccess; user: { id: string; email: string; name: string } }

type Answers = Record<string, AnswerRecord>
const answersOf = (assessment: { answers?: Record<string, AnswerRecord> }): Answers => assessment.answers ?? {}
const ownerOf = (filler: OfflineFiller) => (filler.kind === 'link' ? { kind: 'link' as const, key: filler.access.tokenHash } : { kind: 'user' as const, key: filler.user.id })
const hashId = (id: string) => createHash('sha256').update(id).digest('hex')
export const PREVIEW_ID_PATTERN = /^[A-Za-z0-9_-]{43}$/

function auditActor(filler: OfflineFiller): AuditActor {
  return filler.kind === 'link'
    ? { kind: 'vendor-contact', id: filler.access.invitation.email, label: filler.access.invitation.name }
    : { kind: 'user', id: filler.user.id, label: filler.user.email }
}

/**
 * A staff user acting for the vendor, shaped like the link's access so saveAnswer applies the very
 * same rules (editable questions, revisions, progress). The guard is the assessment itself; the
 * answers record the staff user's name with "for the vendor".
 */
export async function staffFiller(assessmentId: string, user: { id: string; email: string; name: string }, t: TFunction): Promise<OfflineFiller | null> {
  if (!Types.ObjectId.isValid(assessmentId)) return null
  const assessment = await findVendorAssessmentById(new Types.ObjectId(assessmentId))
  if (!assessment) return null
  // Staff filling in on the vendor's behalf act through no link: a stand-in with the name and address the audit and mail use.
  const invitation = { name: t('staff.onBehalf', { name: user.name || user.email }), email: user.email } as unknown as InvitationRecord
  return { kind: 'user', user, access: { assessment, invitation, tokenHash: '', guard: { _id: assessment._id } } }
}

async function recheckForStaff(access: VendorAccess): Promise<{ ok: true; access: VendorAccess } | { ok: false; problem: LinkProblem }> {
  const assessment = await findVendorAssessmentById(access.assessment._id)
  if (!assessment || assessment.status === 'cancelled') return { ok: false, problem: 'withdrawn' }
  return { ok: true, access: { ...access, assessment } }
}

/** Which questions may change now; staff follow the vendor's rule (nothing once submitted). */
const editableFor = (filler: OfflineFiller) => editableQuestions(filler.access.assessment)

/** The workbook to download, in the filler's language, with the answers stored now. */
export async function offlineWorkbookFor(filler: OfflineFiller, locale: Locale, t: TFunction) {
  const { assessment } = filler.access
  const vendor = assessment.vendorSnapshot
  const workbook = await buildOfflineWorkbook({
    assessmentId: assessment._id.toString(),
    questionnaires: questionnairesOf(assessment.questionnaires),
    answers: answersOf(assessment),
    editable: editableFor(filler),
    locale,
    t,
    vendorName: localized(vendor.legalName, locale),
  })
  if (filler.kind === 'user') {
    await recordAudit({ actor: auditActor(filler), action: 'assessment.offline-download', subject: { kind: 'assessment', id: assessment._id.toString() }, details: { onBehalfOfVendor: true } })
  }
  const day = new Date().toISOString().slice(0, 10)
  return { workbook, filename: t('workbook.filename', { vendor: localized(vendor.legalName, locale) || 'vendor', day }), asciiName: `questionnaire-${day}.xlsx` }
}

export type UploadOutcome = { ok: true; previewId: string } | { ok: false; problems: OfflineProblem[] }

/** Reads and checks an upload; when it is good, keeps the checked rows as a preview. Nothing is applied. */
export async function previewOfflineUpload(filler: OfflineFiller, file: unknown, now = new Date()): Promise<UploadOutcome> {
  if (!(file instanceof Blob) || file.size === 0) return { ok: false, problems: [{ place: {}, message: 'offline:problems.noFile' }] }
  if (file.size > OFFLINE_UPLOAD_MAX_BYTES) return { ok: false, problems: [{ place: {}, message: `spreadsheets:read.too-large|${JSON.stringify({ limitMb: 20 })}` }] }
  let workbook
  try {
    workbook = await readWorkbook(new Uint8Array(await file.arrayBuffer()))
  } catch (error) {
    if (error instanceof WorkbookReadError) return { ok: false, problems: [{ place: error.place, message: `spreadsheets:read.${error.code}|${JSON.stringify(error.params)}` }] }
    throw error
  }
  const { assessment } = filler.access
  const parsed = parseOfflineWorkbook(workbook, { assessmentId: assessment._id.toString(), questionnaires: questionnairesOf(assessment.questionnaires), editable: editableFor(filler) })
  if (!parsed.ok) return parsed
  const id = randomBytes(32).toString('base64url')
  // Old previews are dropped when new ones are made.
  await insertOfflinePreview(
    {
      idHash: hashId(id),
      assessmentId: assessment._id,
      owner: ownerOf(filler),
      fileName: file instanceof File ? file.name.slice(0, 200) : '',
      rows: parsed.rows,
      expiresAt: new Date(now.getTime() + PREVIEW_TTL_MS),
    },
    now,
  )
  return { ok: true, previewId: id }
}

async function findPreview(filler: OfflineFiller, previewId: unknown, now: Date) {
  if (typeof previewId !== 'string' || !PREVIEW_ID_PATTERN.test(previewId)) return null
  const owner = ownerOf(filler)
  const preview = await findOfflinePreview(hashId(previewId))
  if (!preview || preview.expiresAt < now || !preview.assessmentId.equals(filler.access.assessment._id) || preview.owner?.kind !== owner.kind || preview.owner?.key !== owner.key) return null
  return preview
}

export interface PreviewView {
  fileName: string
  plan: OfflinePlan
  expiresAt: string
}

/** What the stored upload would change if applied now (computed afresh against the stored answers). */
export async function offlinePreviewView(filler: OfflineFiller, previewId: unknown, now = new Date()): Promise<PreviewView | null> {
  const preview = await findPreview(filler, previewId, now)
  if (!preview) return null
  return { fileName: preview.fileName ?? '', plan: planOfflineChanges(preview.rows, answersOf(filler.access.assessment)), expiresAt: preview.expiresAt.toISOString() }
}

export interface ApplyReport {
  saved: string[]
  conflicts: OfflinePlan['conflicts']
  locked: string[]
  alreadySaved: number
}

/**
 * Applies a preview once: it is claimed (deleted) first, so a double click or a replayed form
 * cannot apply it twice; each change is then one autosave with the revision from the download.
 */
export async function applyOfflinePreview(filler: OfflineFiller, previewId: unknown, clientAddress?: string, now = new Date()): Promise<ApplyReport | null> {
  const preview = await findPreview(filler, previewId, now)
  if (!preview) return null
  if (!(await claimOfflinePreview(preview._id))) return null
  const plan = planOfflineChanges(preview.rows, answersOf(filler.access.assessment))
  const report: ApplyReport = { saved: [], conflicts: [...plan.conflicts], locked: [], alreadySaved: plan.alreadySaved }
  const recheck = filler.kind === 'user' ? recheckForStaff : undefined
  let access = filler.access
  for (const change of plan.changes) {
    const result = await saveAnswer(access, { questionId: change.questionId, baseRev: change.baseRev, value: change.value, comment: change.comment }, recheck)
    if (result.status === 200) {
      report.saved.push(change.questionId)
      // The state the save left, so the next save is pinned to it (one round trip). If it is not
      // exactly the database's, that save misses, rereads and decides again (decision 007).
      const before = access.assessment
      const answers = answersOf(before)
      access = {
        ...access,
        assessment: {
          ...before,
          status: result.body.status,
          version: (before.version ?? 0) + 1,
          answers: { ...answers, [change.questionId]: { ...answers[change.questionId], value: change.value, comment: change.comment, rev: result.body.rev, updatedBy: access.invitation.name, evidence: answers[change.questionId]?.evidence ?? [] } },
        },
      }
      continue
    }
    const body = result.body as { conflict?: { theirs: { value: AnswerValue; comment: string | null; updatedBy?: string; updatedAt?: string } }; linkProblem?: string }
    if (result.status === 409 && body.conflict) {
      const theirs = body.conflict.theirs
      report.conflicts.push({ questionId: change.questionId, yours: { value: change.value, comment: change.comment }, theirs: { value: theirs.value ?? null, comment: theirs.comment ?? null, updatedBy: theirs.updatedBy ?? null, updatedAt: theirs.updatedAt ?? null } })
    } else {
      // Locked (status changed, question no longer reopened) or the link stopped working.
      report.locked.push(change.questionId)
    }
    // The next save starts from what the database says now.
    const fresh = await findVendorAssessmentById(access.assessment._id)
    if (fresh) access = { ...access, assessment: fresh }
  }
  await recordAudit({
    actor: auditActor(filler),
    action: 'assessment.offline-import',
    subject: { kind: 'assessment', id: filler.access.assessment._id.toString() },
    details: { saved: report.saved.length, conflicts: report.conflicts.length, locked: report.locked.length, file: preview.fileName ?? '', ...(filler.kind === 'user' ? { onBehalfOfVendor: true } : {}) },
    clientAddress,
  })
  return report
}

export type { OfflineProblem, WorkbookPlace }
