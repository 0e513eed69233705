import { describe, expect, it } from 'vitest'
import { checkNotification, DEFAULT_NOTIFICATION_HOURS, notificationRule, parseLocalDateTime, toLocalDateTime } from '~/modules/incidents/deadline'
import { computeSeverity, incidentVolumeBand, type IncidentImpact } from '~/modules/incidents/severity'
import { canTransition, INCIDENT_TRANSITIONS } from '~/modules/incidents/status'
import { planTasks, reassessmentPolicy, taskMailDue } from '~/modules/incidents/tasks'
import { INCIDENT_STATUSES, type IncidentSeverity, type IncidentStatus } from '~/modules/incidents/vocabulary'
import type { PiCategory } from '~/modules/vendors/vocabulary'

const impact = (piCategories: PiCategory[], affected: number, crossBorder = false): IncidentImpact => ({ piCategories, recordCount: affected, customerCount: 0, crossBorder })

describe('incident severity: affected categories × volume', () => {
  const rows: [string, IncidentImpact, IncidentSeverity, string[]][] = [
    ['nothing personal', impact([], 5000), 'low', ['no_personal_data']],
    ['categories but nobody affected', impact(['contact'], 0), 'low', ['no_personal_data']],
    ['ordinary, small', impact(['contact'], 999), 'low', ['ordinary_data', 'volume', 'base']],
    ['ordinary, medium', impact(['identity', 'contact'], 1000), 'medium', ['ordinary_data', 'volume', 'base']],
    ['ordinary, large', impact(['transactions'], 100_000), 'high', ['ordinary_data', 'volume', 'base']],
    ['ordinary, massive', impact(['identity'], 1_000_000), 'critical', ['ordinary_data', 'volume', 'base']],
    ['sensitive, small', impact(['biometric'], 1), 'medium', ['sensitive_data', 'volume', 'base']],
    ['sensitive, medium', impact(['account_auth', 'contact'], 5_000), 'high', ['sensitive_data', 'volume', 'base']],
    ['sensitive, large', impact(['financial_credit'], 100_000), 'critical', ['sensitive_data', 'volume', 'base']],
    ['location counts as sensitive', impact(['location'], 10), 'medium', ['sensitive_data', 'volume', 'base']],
    ['cross-border raises one step', impact(['contact'], 10, true), 'medium', ['ordinary_data', 'volume', 'base', 'cross_border', 'raised']],
    ['cross-border at the top stays', impact(['biometric'], 200_000, true), 'critical', ['sensitive_data', 'volume', 'base', 'cross_border', 'already_highest']],
  ]
  it.each(rows)('%s', (_name, input, severity, codes) => {
    const result = computeSeverity(input)
    expect(result.severity).toBe(severity)
    expect(result.reasons.map((reason) => reason.code)).toEqual(codes)
  })
  it('counts the larger of records and customers', () => {
    expect(computeSeverity({ piCategories: ['contact'], recordCount: 10, customerCount: 150_000, crossBorder: false }).severity).toBe('high')
    expect(incidentVolumeBand(999)).toBe('small')
    expect(incidentVolumeBand(1000)).toBe('medium')
  })
})

describe('status transitions', () => {
  const allowed = new Set(['reported>triaged', 'triaged>contained', 'contained>closed'])
  for (const from of INCIDENT_STATUSES) {
    for (const to of INCIDENT_STATUSES) {
      it(`${from} → ${to}: ${allowed.has(`${from}>${to}`) ? 'allowed' : 'refused'}`, () => {
        expect(canTransition(from as IncidentStatus, to as IncidentStatus)).toBe(allowed.has(`${from}>${to}`))
      })
    }
  }
  it('closed is final', () => expect(INCIDENT_TRANSITIONS.closed).toEqual([]))
})

describe('the contract clock', () => {
  const zone = 'Asia/Shanghai'
  it('takes the hours from the breach-notification clause, else the default', () => {
    expect(notificationRule(['PRIV-01', 'INC-NOTIFY-01'])).toEqual({ hours: 24, clauseId: 'INC-NOTIFY-01', source: 'contract' })
    expect(notificationRule(['PRIV-01'])).toEqual({ hours: DEFAULT_NOTIFICATION_HOURS, clauseId: null, source: 'default' })
    expect(notificationRule(null).source).toBe('default')
  })
  it('reads typed times in the institution time zone', () => {
    expect(parseLocalDateTime('2026-03-01T10:00', zone)!.toISOString()).toBe('2026-03-01T02:00:00.000Z')
    expect(parseLocalDateTime('2026-03-01T10:00', 'Europe/London')!.toISOString()).toBe('2026-03-01T10:00:00.000Z')
    expect(parseLocalDateTime('2026-02-30T10:00', zone)).toBeNull()
    expect(parseLocalDateTime('yesterday', zone)).toBeNull()
    expect(toLocalDateTime(new Date('2026-03-01T02:00:00Z'), zone)).toBe('2026-03-01T10:00')
  })
  it('is met at the deadline exactly and missed one minute after, in Beijing time', () => {
    const detectedAt = parseLocalDateTime('2026-03-01T23:30', zone)!
    const atDeadline = parseLocalDateTime('2026-03-02T23:30', zone)!
    const oneMinuteLate = parseLocalDateTime('2026-03-02T23:31', zone)!
    expect(checkNotification({ detectedAt, notifiedAt: atDeadline, hours: 24 })).toEqual({ deadline: atDeadline, state: 'met', lateMinutes: 0 })
    expect(checkNotification({ detectedAt, notifiedAt: oneMinuteLate, hours: 24 })).toEqual({ deadline: atDeadline, state: 'missed', lateMinutes: 1 })
    expect(checkNotification({ detectedAt, notifiedAt: new Date(atDeadline.getTime() + 1), hours: 24 }).state).toBe('missed')
  })
  it('counts elapsed hours across a daylight-saving change', () => {
    // New York springs forward on 8 March 2026: 24 hours after 09:00 is 10:00 the next day.
    const detectedAt = parseLocalDateTime('2026-03-07T09:00', 'America/New_York')!
    const deadline = checkNotification({ detectedAt, notifiedAt: detectedAt, hours: 24 }).deadline
    expect(toLocalDateTime(deadline, 'America/New_York')).toBe('2026-03-08T10:00')
  })
})

describe('tasks and their mails', () => {
  const told = new Date('2026-03-02T00:00:00Z')
  it('plans the four PIPL Art. 57 duties, faster when critical', () => {
    const normal = planTasks(told, 'high')
    expect(normal.map((task) => task.kind)).toEqual(['notify_regulator', 'notify_individuals', 'remediation', 'root_cause_report'])
    expect(normal[0]!.dueAt.toISOString()).toBe('2026-03-05T00:00:00.000Z')
    expect(planTasks(told, 'critical')[0]!.dueAt.toISOString()).toBe('2026-03-03T00:00:00.000Z')
  })
  it('reminds a day before due, escalates once past due, nothing when done', () => {
    const dueAt = new Date('2026-03-05T00:00:00Z')
    expect(taskMailDue({ dueAt }, new Date('2026-03-03T23:59:59Z'))).toBeNull()
    expect(taskMailDue({ dueAt }, new Date('2026-03-04T00:00:00Z'))).toBe('reminder')
    expect(taskMailDue({ dueAt }, dueAt)).toBe('reminder')
    expect(taskMailDue({ dueAt }, new Date(dueAt.getTime() + 1))).toBe('escalation')
    expect(taskMailDue({ dueAt, doneAt: told }, new Date('2026-04-01T00:00:00Z'))).toBeNull()
  })
  it('brings the reassessment forward by severity', () => {
    expect(reassessmentPolicy('critical')).toEqual({ startNow: true })
    expect(reassessmentPolicy('high')).toEqual({ startNow: false, withinDays: 30 })
    expect(reassessmentPolicy('low')).toEqual({ startNow: false, withinDays: 180 })
  })
})
