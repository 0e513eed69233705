// What an incident sets off elsewhere: a finding against the breach-notification clause when the
// vendor told us too late, and a reassessment of the vendor. The finding lives in another
// document, so it is idempotent on its own (its unique key) and the incident records that it is
// done. The reassessment is asked for with an event (`incident.reassessment_requested`) recorded
// in the incident's own update, once per key; the schedule reacts by recording the trigger (at most
// once per key). The scheduler's sweep finishes whatever a crash left undone before either update.
import { addDays } from 'date-fns'
import { Types } from 'mongoose'
import { FindingModel } from '~models/finding'
import { IncidentModel } from '~models/incident'
import { recordAudit } from '~/modules/audit/audit.server'
import { translatorFor } from '~/i18n/i18n.server'
import { LOCALES } from '~/i18n/locales'
import { getClause } from '~/modules/library/library.server'
import { domainEvent } from '~/modules/events/catalogue.server'
import { publishEvents, withEvents } from '~/modules/events/outbox.server'
import { DEFAULT_NOTIFICATION_CLAUSE } from './deadline'
import { reassessmentPolicy } from './tasks'
import { OPEN_INCIDENT_STATUSES, type IncidentSeverity } from './vocabulary'

/** Days the vendor gets to remediate a missed notification deadline. */
export const FINDING_DUE_DAYS = 30

const isDuplicateKey = (error: unknown) => typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 11000
const SYSTEM = { kind: 'system' as const, name: 'system' }

export const findingKeyOf = (incidentId: string) => `incident:${incidentId}`

export async function applyConsequences(incidentId: string, now = new Date()): Promise<{ finding: boolean; triggers: number }> {
  const incident = await IncidentModel.findById(incidentId).lean()
  if (!incident) return { finding: false, triggers: 0 }
  const finding = incident.notification!.state === 'missed' && !incident.notification!.findingId ? await openDeadlineFinding(incident, now) : false
  let triggers = 0
  const severity = incident.effectiveSeverity as IncidentSeverity
  const keys = [findingKeyOf(incidentId), ...(severity === 'critical' && incident.severity!.computed !== 'critical' ? [`${findingKeyOf(incidentId)}:critical`] : [])]
  for (const key of keys) {
    if (incident.triggerKeys.includes(key)) continue
    if (await recordIncidentTrigger(incident, key, severity, now)) triggers++
  }
  return { finding, triggers }
}

type Incident = NonNullable<Awaited<ReturnType<typeof loadIncident>>>
// eslint-disable-next-line @typescript-eslint/no-unused-vars -- only its return type is used
const loadIncident = (id: string) => IncidentModel.findById(id).lean()

async function openDeadlineFinding(incident: Incident, now: Date): Promise<boolean> {
  const clauseId = incident.notification!.clauseId ?? DEFAULT_NOTIFICATION_CLAUSE
  const clause = getClause(clauseId)
  const key = findingKeyOf(String(incident._id))
  const texts = Object.fromEntries(
    await Promise.all(
      LOCALES.map(async (locale) => {
        const t = await translatorFor(locale, 'incidents')
        const params = {
          reference: incident.reference,
          clause: clauseId,
          hours: incident.notification!.hours,
          minutes: incident.notification!.lateMinutes,
          source: t(`finding.source.${incident.notification!.clauseId ? 'contract' : 'default'}`),
        }
        return [locale, { title: t('finding.title', params), description: t('finding.description', params), remediation: t('finding.remediation', params) }] as const
      }),
    ),
  )
  const pick = (field: 'title' | 'description' | 'remediation') => Object.fromEntries(LOCALES.map((locale) => [locale, texts[locale]![field]]))
  let findingId: Types.ObjectId
  try {
    const created = await FindingModel.create({
      incidentId: incident._id,
      vendorId: incident.vendorId,
      vendorName: incident.vendorName,
      key,
      source: { kind: 'incident', clauseId, clauseIds: incident.notification!.clauseId ? [clauseId] : [] },
      severity: clause?.severity ?? 'high',
      computedSeverity: clause?.severity ?? 'high',
      title: pick('title'),
      description: pick('description'),
      remediation: pick('remediation'),
      owner: 'vendor',
      dueAt: addDays(now, FINDING_DUE_DAYS),
      status: 'open',
      history: [{ at: now, event: 'created', changes: { severity: [null, clause?.severity ?? 'high'] } }],
    })
    findingId = created._id
  } catch (error) {
    if (!isDuplicateKey(error)) throw error
    // Opened by another run a moment ago: link that one.
    const existing = await FindingModel.findOne({ assessmentId: null, key }, { _id: 1 }).lean()
    if (!existing) throw error
    findingId = existing._id
  }
  const linked = await IncidentModel.updateOne(
    { _id: incident._id, 'notification.findingId': null },
    { $set: { 'notification.findingId': findingId }, $push: { timeline: { at: now, event: 'finding', actor: SYSTEM, changes: { findingId: String(findingId), clauseId } } }, $inc: { version: 1 } },
  )
  if (linked.modifiedCount !== 1) return false
  await recordAudit({ actor: { kind: 'system', label: 'incidents' }, action: 'incident.finding', subject: { kind: 'incident', id: String(incident._id) }, details: { findingId: String(findingId), clauseId, lateMinutes: incident.notification!.lateMinutes } })
  return true
}

async function recordIncidentTrigger(incident: Incident, key: string, severity: IncidentSeverity, now: Date): Promise<boolean> {
  const policy = reassessmentPolicy(severity)
  const dueAt = policy.startNow ? null : addDays(now, policy.withinDays)
  const requested = domainEvent(
    'incident.reassessment_requested',
    { incidentId: String(incident._id), vendorId: String(incident.vendorId), reference: incident.reference, severity, key, startNow: policy.startNow, dueAt: dueAt?.toISOString() ?? null },
    now,
  )
  const marked = await IncidentModel.updateOne(
    { _id: incident._id, triggerKeys: { $ne: key } },
    withEvents({
      $addToSet: { triggerKeys: key },
      $push: { timeline: { at: now, event: 'trigger', actor: SYSTEM, changes: { startNow: policy.startNow, dueAt } } },
      $inc: { version: 1 },
    }, requested),
  )
  if (marked.modifiedCount !== 1) return false
  await publishEvents('incidents', incident._id)
  return true
}

/** For the sweep: incidents whose finding or trigger a crash may have left unrecorded. */
export async function completePendingConsequences(now = new Date()): Promise<number> {
  const pending = await IncidentModel.find(
    { status: { $in: OPEN_INCIDENT_STATUSES }, $or: [{ 'notification.state': 'missed', 'notification.findingId': null }, { triggerKeys: { $size: 0 } }] },
    { _id: 1 },
  )
    .limit(100)
    .lean()
  let done = 0
  for (const incident of pending) {
    const result = await applyConsequences(String(incident._id), now)
    if (result.finding || result.triggers) done++
  }
  return done
}
