// What an incident sets off elsewhere: a finding against the breach-notification clause when the
// vendor told us too late, and a reassessment of the vendor. The finding lives in another
// document, so it is idempotent on its own (its unique key) and the incident records that it is
// done. The reassessment is asked for with an event (`incident.reassessment_requested`) recorded
// in the incident's own update, once per key; the schedule reacts by recording the trigger (at most
// once per key). The scheduler's sweep finishes whatever a crash left undone before either update.
import { addDays } from 'date-fns'
import type { Types } from 'mongoose'
import { recordAudit } from '~/modules/audit/audit.server'
import { translatorFor } from '~/i18n/i18n.server'
import { LOCALES } from '~/i18n/locales'
import { getClause } from '~/modules/library/library.server'
import { findIncidentFindingId, insertFinding } from '~/modules/findings/finding-store.server'
import { domainEvent } from '~/modules/events/catalogue.server'
import { publishEvents } from '~/modules/events/outbox.server'
import { DEFAULT_NOTIFICATION_CLAUSE } from './deadline'
import { findIncident, linkIncidentFinding, listIncidentsWithPendingConsequences, markIncidentTriggered, type IncidentRecord } from './incident-store.server'
import { reassessmentPolicy } from './tasks'
import type { IncidentSeverity } from './vocabulary'

/** Days the vendor gets to remediate a missed notification deadline. */
export const FINDING_DUE_DAYS = 30

const SYSTEM = { kind: 'system' as const, name: 'system' }

export const findingKeyOf = (incidentId: string) => `incident:${incidentId}`

export async function applyConsequences(incidentId: string, now = new Date()): Promise<{ finding: boolean; triggers: number }> {
  const incident = await findIncident(incidentId)
  if (!incident) return { finding: false, triggers: 0 }
  const finding = incident.notification.state === 'missed' && !incident.notification.findingId ? await openDeadlineFinding(incident, now) : false
  let triggers = 0
  const severity = incident.effectiveSeverity
  const keys = [findingKeyOf(incidentId), ...(severity === 'critical' && incident.severity.computed !== 'critical' ? [`${findingKeyOf(incidentId)}:critical`] : [])]
  for (const key of keys) {
    if (incident.triggerKeys.includes(key)) continue
    if (await recordIncidentTrigger(incident, key, severity, now)) triggers++
  }
  return { finding, triggers }
}

async function openDeadlineFinding(incident: IncidentRecord, now: Date): Promise<boolean> {
  const clauseId = incident.notification.clauseId ?? DEFAULT_NOTIFICATION_CLAUSE
  const clause = getClause(clauseId)
  const key = findingKeyOf(String(incident._id))
  const texts = Object.fromEntries(
    await Promise.all(
      LOCALES.map(async (locale) => {
        const t = await translatorFor(locale, 'incidents')
        const params = {
          reference: incident.reference,
          clause: clauseId,
          hours: incident.notification.hours,
          minutes: incident.notification.lateMinutes,
          source: t(`finding.source.${incident.notification.clauseId ? 'contract' : 'default'}`),
        }
        return [locale, { title: t('finding.title', params), description: t('finding.description', params), remediation: t('finding.remediation', params) }] as const
      }),
    ),
  )
  const pick = (field: 'title' | 'description' | 'remediation') => ({ 'zh-CN': texts['zh-CN']![field], en: texts.en![field] })
  const created = await insertFinding({
    incidentId: incident._id,
    vendorId: incident.vendorId,
    vendorName: incident.vendorName,
    key,
    source: { kind: 'incident', clauseId, clauseIds: incident.notification.clauseId ? [clauseId] : [] },
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
  // Null: opened by another run a moment ago; link that one.
  const findingId: Types.ObjectId | null = created ?? (await findIncidentFindingId(key))
  if (!findingId) throw new Error(`incident ${String(incident._id)}: its finding ${key} exists but cannot be read`)
  const linked = await linkIncidentFinding(incident._id, findingId, { at: now, event: 'finding', actor: SYSTEM, changes: { findingId: String(findingId), clauseId } })
  if (!linked) return false
  await recordAudit({ actor: { kind: 'system', label: 'incidents' }, action: 'incident.finding', subject: { kind: 'incident', id: String(incident._id) }, details: { findingId: String(findingId), clauseId, lateMinutes: incident.notification.lateMinutes } })
  return true
}

async function recordIncidentTrigger(incident: IncidentRecord, key: string, severity: IncidentSeverity, now: Date): Promise<boolean> {
  const policy = reassessmentPolicy(severity)
  const dueAt = policy.startNow ? null : addDays(now, policy.withinDays)
  const requested = domainEvent(
    'incident.reassessment_requested',
    { incidentId: String(incident._id), vendorId: String(incident.vendorId), reference: incident.reference, severity, key, startNow: policy.startNow, dueAt: dueAt?.toISOString() ?? null },
    now,
  )
  const marked = await markIncidentTriggered(incident._id, key, { at: now, event: 'trigger', actor: SYSTEM, changes: { startNow: policy.startNow, requestedDueAt: dueAt } }, requested)
  if (!marked) return false
  await publishEvents('incidents', incident._id)
  return true
}

/** For the sweep: incidents whose finding or trigger a crash may have left unrecorded. */
export async function completePendingConsequences(now = new Date()): Promise<number> {
  const pending = await listIncidentsWithPendingConsequences()
  let done = 0
  for (const incident of pending) {
    const result = await applyConsequences(String(incident._id), now)
    if (result.finding || result.triggers) done++
  }
  return done
}
