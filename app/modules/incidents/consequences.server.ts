// What an incident sets off elsewhere: a finding against the breach-notification clause when the
// vendor told us too late, and a reassessment trigger on the vendor. Both live in other documents,
// so each is idempotent on its own (the finding's unique key, the trigger's onlyOnce key) and the
// incident records that it is done; the scheduler's sweep finishes whatever a crash left undone.
import { addDays } from 'date-fns'
import type { Types } from 'mongoose'
import { recordAudit } from '~/modules/audit/audit.server'
import { translatorFor } from '~/i18n/i18n.server'
import { LOCALES } from '~/i18n/locales'
import { getClause } from '~/modules/library/library.server'
import { recordTrigger } from '~/modules/schedule/schedule.server'
import { findIncidentFindingId, insertFinding } from '~/modules/findings/finding-store.server'
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
  const result = await recordTrigger({
    vendorId: String(incident.vendorId),
    reason: 'incident',
    detail: `${incident.reference} (${severity})`,
    actor: { kind: 'system' },
    onlyOnce: key,
    startNow: policy.startNow,
    dueAt: policy.startNow ? undefined : addDays(now, policy.withinDays),
    now,
  })
  if (!result.ok) return false
  return markIncidentTriggered(incident._id, key, { at: now, event: 'trigger', actor: SYSTEM, changes: { broughtForward: result.broughtForward, nextDueAt: result.nextDueAt, issued: result.issued ?? null } })
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
