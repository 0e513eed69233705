// Severity of a data incident at a vendor, from what leaked and how much. Pure and deterministic
// like the tier rule (app/modules/vendors/tiering.ts): every step that decided the result is
// returned as a reason, and every branch has a row in test/unit/incidents-severity.test.ts.
import type { PiCategory } from '~/modules/vendors/vocabulary'
import type { IncidentSeverity } from './vocabulary'

/**
 * Sensitive personal information in the sense of PIPL Art. 28 among our categories: biometrics,
 * financial accounts (authentication data, credit and financial information) and whereabouts.
 */
export const SENSITIVE_CATEGORIES: readonly PiCategory[] = ['biometric', 'account_auth', 'financial_credit', 'location']

export type IncidentVolumeBand = 'none' | 'small' | 'medium' | 'large' | 'massive'
/** People affected (the larger of records and customers). 100,000 and 1,000,000 follow the CAC's thresholds for reportable incidents. */
export const INCIDENT_VOLUME_THRESHOLDS = { small: 1, medium: 1_000, large: 100_000, massive: 1_000_000 } as const

export function incidentVolumeBand(affected: number): IncidentVolumeBand {
  if (affected >= INCIDENT_VOLUME_THRESHOLDS.massive) return 'massive'
  if (affected >= INCIDENT_VOLUME_THRESHOLDS.large) return 'large'
  if (affected >= INCIDENT_VOLUME_THRESHOLDS.medium) return 'medium'
  if (affected >= INCIDENT_VOLUME_THRESHOLDS.small) return 'small'
  return 'none'
}

/** Base severity by kind of data (rows) and volume (columns). */
export const BASE_SEVERITY: Record<'sensitive' | 'ordinary', Record<Exclude<IncidentVolumeBand, 'none'>, IncidentSeverity>> = {
  sensitive: { small: 'medium', medium: 'high', large: 'critical', massive: 'critical' },
  ordinary: { small: 'low', medium: 'medium', large: 'high', massive: 'critical' },
}

const ORDER: readonly IncidentSeverity[] = ['low', 'medium', 'high', 'critical']

export type SeverityReason =
  | { code: 'no_personal_data'; params: { severity: IncidentSeverity } }
  | { code: 'sensitive_data'; params: { categories: string } }
  | { code: 'ordinary_data'; params: { categories: string } }
  | { code: 'volume'; params: { affected: number; band: IncidentVolumeBand } }
  | { code: 'base'; params: { severity: IncidentSeverity } }
  | { code: 'cross_border'; params: Record<string, never> }
  | { code: 'raised'; params: { from: IncidentSeverity; to: IncidentSeverity } }
  | { code: 'already_highest'; params: Record<string, never> }

export interface IncidentImpact {
  piCategories: readonly PiCategory[]
  recordCount: number
  customerCount: number
  crossBorder: boolean
}

export interface SeverityResult {
  severity: IncidentSeverity
  reasons: SeverityReason[]
}

export function computeSeverity(impact: IncidentImpact): SeverityResult {
  const affected = Math.max(0, Math.floor(impact.recordCount), Math.floor(impact.customerCount))
  const band = incidentVolumeBand(affected)
  if (impact.piCategories.length === 0 || band === 'none') {
    // Nothing personal is known to be affected: low until triage says otherwise.
    return { severity: 'low', reasons: [{ code: 'no_personal_data', params: { severity: 'low' } }] }
  }
  const reasons: SeverityReason[] = []
  const sensitive = impact.piCategories.filter((category) => SENSITIVE_CATEGORIES.includes(category))
  if (sensitive.length) reasons.push({ code: 'sensitive_data', params: { categories: sensitive.join(', ') } })
  else reasons.push({ code: 'ordinary_data', params: { categories: impact.piCategories.join(', ') } })
  reasons.push({ code: 'volume', params: { affected, band } })
  let severity = BASE_SEVERITY[sensitive.length ? 'sensitive' : 'ordinary'][band]
  reasons.push({ code: 'base', params: { severity } })
  if (impact.crossBorder) {
    // Data abroad is harder to recover and brings the cross-border rules in: one step up.
    reasons.push({ code: 'cross_border', params: {} })
    const index = ORDER.indexOf(severity)
    if (index < ORDER.length - 1) {
      const raised = ORDER[index + 1]!
      reasons.push({ code: 'raised', params: { from: severity, to: raised } })
      severity = raised
    } else {
      reasons.push({ code: 'already_highest', params: {} })
    }
  }
  return { severity, reasons }
}

/** The severity that counts: an override with its justification wins over the computed one. */
export function effectiveSeverityOf(severity: { computed: string; override?: { severity?: string | null } | null }): IncidentSeverity {
  return (severity.override?.severity ?? severity.computed) as IncidentSeverity
}
