// Retention of offboarded vendors' records: the setting, the list of what is due for deletion
// (sent to admins once), and the deletion an admin confirms. Deletion removes the answers and
// evidence files of the vendor's assessments; audit events and report fingerprints stay.
import mongoose, { Types } from 'mongoose'
import { deleteAnswers, listAnswersOfVendor } from '~/modules/assessments/assessment-store.server'
import { listActiveStaff } from '~/modules/auth/user-store.server'
import { listVendorsByIds } from '~/modules/vendors/vendor-store.server'
import { recordAudit } from '~/modules/audit/audit.server'
import { findSettingsDocument, saveSettingsDocument } from '~/modules/settings/settings-store.server'
import { sendRetentionDueMail } from './mail.server'
import { claimRetentionListing, findOffboarding, listAcceptedOffboardings, recordRetentionDeletion } from './offboarding-store.server'
import { DEFAULT_RETENTION_YEARS, isRetentionDue, retentionEndsAt } from './rules'

const RETENTION_ID = 'retention' as const

export async function getRetentionSettings(): Promise<{ retentionYears: number; version: number }> {
  const stored = await findSettingsDocument(RETENTION_ID)
  return { retentionYears: stored?.retentionYears ?? DEFAULT_RETENTION_YEARS, version: stored?.version ?? 0 }
}

export async function saveRetentionSettings(retentionYears: number, expectedVersion: number, actor: { id: string; name: string; email?: string }) {
  const saved = await saveSettingsDocument(RETENTION_ID, { retentionYears, updatedBy: { id: actor.id, name: actor.name } }, expectedVersion)
  if (!saved.ok) return { ok: false as const }
  await recordAudit({ actor: { kind: 'user', id: actor.id, label: actor.email ?? actor.name }, action: 'settings.retention.update', subject: { kind: 'settings', id: RETENTION_ID }, details: { retentionYears } })
  return { ok: true as const }
}

export interface RetentionEntry {
  offboardingId: string
  vendorId: string
  vendorName: { 'zh-CN'?: string; en?: string }
  acceptedAt: string
  dueAt: string
  due: boolean
  deletedAt: string | null
}

/** Every offboarded vendor with the day its records fall due, due ones first. */
export async function listRetention(now = new Date()): Promise<RetentionEntry[]> {
  const { retentionYears } = await getRetentionSettings()
  const accepted = await listAcceptedOffboardings()
  const vendors = await listVendorsByIds(accepted.map((entry) => entry.vendorId), 'name')
  const names = new Map(vendors.map((vendor) => [String(vendor._id), vendor.legalName]))
  return accepted
    .filter((entry) => entry.acceptedAt)
    .map((entry) => ({
      offboardingId: String(entry._id),
      vendorId: String(entry.vendorId),
      vendorName: { 'zh-CN': names.get(String(entry.vendorId))?.['zh-CN'] ?? undefined, en: names.get(String(entry.vendorId))?.en ?? undefined },
      acceptedAt: entry.acceptedAt!.toISOString(),
      dueAt: retentionEndsAt(entry.acceptedAt!, retentionYears).toISOString(),
      due: isRetentionDue(entry.acceptedAt, retentionYears, now) && !entry.retention?.deletedAt,
      deletedAt: entry.retention?.deletedAt?.toISOString() ?? null,
    }))
    .sort((a, b) => Number(b.due) - Number(a.due) || a.dueAt.localeCompare(b.dueAt))
}

/** The retention job: newly due vendors are listed to the admins, once each (claim, then dedupe keys). */
export async function notifyRetentionDue(now: Date): Promise<number> {
  const due = (await listRetention(now)).filter((entry) => entry.due)
  const fresh: RetentionEntry[] = []
  for (const entry of due) {
    if (await claimRetentionListing(new Types.ObjectId(entry.offboardingId), now)) fresh.push(entry)
  }
  if (fresh.length === 0) return 0
  await recordAudit({ actor: { kind: 'system', label: 'retention' }, action: 'retention.listed', subject: { kind: 'retention', id: 'due' }, details: { vendors: fresh.map((entry) => entry.vendorId) } })
  const admins = await listActiveStaff({ roles: ['admin'] })
  const key = fresh.map((entry) => entry.offboardingId).sort().join(',')
  for (const admin of admins) {
    await sendRetentionDueMail({
      recipient: { id: String(admin._id), name: admin.name, email: admin.email, locale: admin.locale },
      vendors: fresh.map((entry) => ({ name: entry.vendorName })),
      dedupeKey: `retention-due:${String(admin._id)}:${key}`,
    })
  }
  return fresh.length
}

function evidenceBucket() {
  const db = mongoose.connection.db
  if (!db) throw new Error('database not connected')
  return new mongoose.mongo.GridFSBucket(db, { bucketName: 'evidence' })
}

export type DeletionResult = { ok: true; assessments: number; answers: number; files: number } | { ok: false; status: 404 | 409; formError: string }

/**
 * An admin's confirmed deletion of one offboarded vendor's records: per assessment, its evidence
 * files, then its answers (one update each). Repeatable: a crash midway is finished by confirming again.
 */
export async function deleteRetainedRecords(offboardingId: string, actor: { id: string; name: string }, now = new Date()): Promise<DeletionResult> {
  if (!/^[a-f0-9]{24}$/.test(offboardingId)) return { ok: false, status: 404, formError: 'errors:notFound' }
  const offboarding = await findOffboarding(offboardingId)
  if (!offboarding) return { ok: false, status: 404, formError: 'errors:notFound' }
  const { retentionYears } = await getRetentionSettings()
  if (offboarding.status !== 'accepted' || !isRetentionDue(offboarding.acceptedAt, retentionYears, now)) return { ok: false, status: 409, formError: 'offboarding:errors.notDue' }
  if (offboarding.retention?.deletedAt) return { ok: false, status: 409, formError: 'offboarding:errors.alreadyDeleted' }
  const assessments = await listAnswersOfVendor(offboarding.vendorId)
  let answers = 0
  let files = 0
  for (const assessment of assessments) {
    const stored = await evidenceBucket().find({ 'metadata.assessmentId': String(assessment._id) }, { projection: { _id: 1 } }).toArray()
    for (const file of stored) {
      try {
        await evidenceBucket().delete(file._id)
        files++
      } catch {
        // Already gone.
      }
    }
    answers += Object.keys(assessment.answers ?? {}).length
    await deleteAnswers(assessment._id)
  }
  const deleted = { assessments: assessments.length, answers, files }
  await recordRetentionDeletion(offboarding._id, { by: actor, deleted, now })
  await recordAudit({ actor: { kind: 'user', id: actor.id, label: actor.name }, action: 'retention.delete', subject: { kind: 'vendor', id: String(offboarding.vendorId) }, details: { offboardingId, retentionYears, ...deleted } })
  return { ok: true, ...deleted }
}
