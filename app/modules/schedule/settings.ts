// Scheduling settings: defaults and the form schema shared by the settings page and its action.
// Pure: no I/O (settings.server.ts reads and writes them).
import { TIERS, type Tier } from '~/modules/vendors/vocabulary'
import { z } from '~/modules/forms/validation'
import { DEFAULT_DOCUMENT_EXPIRY_WARNING_DAYS } from '~/modules/documents/documents'

export interface ScheduleSettings {
  defaultCadenceMonths: number
  /** Cadence per inherent risk tier; null = the default cadence. */
  tierCadenceMonths: Record<Tier, number | null>
  /** The reassessment is issued this many days before the vendor's next due date. */
  issueAheadDays: number
  /** Reminders to the vendor this many days before the assessment's due date, largest first. */
  reminderOffsetsDays: number[]
  escalation: { enabled: boolean; everyDays: number }
  contractExpiryWarningDays: number
  /** Procurement and the vendor's contacts are reminded this many days before a vendor document expires. */
  documentExpiryWarningDays: number
}

export const DEFAULT_SETTINGS: ScheduleSettings = {
  defaultCadenceMonths: 12,
  tierCadenceMonths: { 1: null, 2: null, 3: null, 4: null },
  issueAheadDays: 30,
  reminderOffsetsDays: [14, 7, 1],
  escalation: { enabled: true, everyDays: 7 },
  contractExpiryWarningDays: 60,
  documentExpiryWarningDays: DEFAULT_DOCUMENT_EXPIRY_WARNING_DAYS,
}

export const MAX_CADENCE_MONTHS = 36

const months = z.coerce.number().int().min(1).max(MAX_CADENCE_MONTHS)
// An empty tier field means "use the default cadence".
const optionalMonths = z.preprocess((value) => (value === '' || value === undefined || value === null ? null : value), months.nullable())

/** "14, 7, 1" (or an array from a multi-value post) → [14, 7, 1], largest first; empty = no reminders. */
const offsets = z.preprocess(
  (value) => {
    if (Array.isArray(value)) return value.map((item) => Number(String(item).trim()))
    if (typeof value !== 'string') return value
    return value
      .split(/[,，\s]+/)
      .filter(Boolean)
      .map((part) => (/^\d+$/.test(part) ? Number(part) : Number.NaN))
  },
  // Checked as a whole, so the message lands on the field rather than on one of its numbers.
  z
    .array(z.unknown())
    .superRefine((list, context) => {
      const valid = list.length <= 6 && list.every((day) => typeof day === 'number' && Number.isInteger(day) && day >= 1 && day <= 90)
      if (!valid) context.addIssue({ code: 'custom', message: 'schedule:settings.errors.offsets' })
      else if (new Set(list).size !== list.length) context.addIssue({ code: 'custom', message: 'schedule:settings.errors.offsetsRepeat' })
    })
    .transform((list) => (list as number[]).slice().sort((a, b) => b - a)),
)

export const settingsFormSchema = z
  .object({
    defaultCadenceMonths: months,
    tier1: optionalMonths,
    tier2: optionalMonths,
    tier3: optionalMonths,
    tier4: optionalMonths,
    issueAheadDays: z.coerce.number().int().min(1).max(120),
    reminderOffsetsDays: offsets,
    escalationEnabled: z.preprocess((value) => value === true || value === 'on' || value === 'true', z.boolean()),
    escalationEveryDays: z.coerce.number().int().min(1).max(60),
    contractExpiryWarningDays: z.coerce.number().int().min(1).max(365),
    // A form from before this setting existed keeps the default.
    documentExpiryWarningDays: z.preprocess((value) => (value === undefined || value === '' ? DEFAULT_DOCUMENT_EXPIRY_WARNING_DAYS : value), z.coerce.number().int().min(1).max(365)),
    version: z.coerce.number().int().min(0),
  })
  .superRefine((value, context) => {
    // A reminder must fall after the invitation: no offset may reach back past the issue date.
    const tooEarly = value.reminderOffsetsDays.find((offset) => offset >= value.issueAheadDays)
    if (tooEarly !== undefined) {
      context.addIssue({ code: 'custom', path: ['reminderOffsetsDays'], message: `schedule:settings.errors.offsetBeyondIssue|${JSON.stringify({ days: value.issueAheadDays })}` })
    }
    for (const tier of TIERS) {
      const tierMonths = value[`tier${tier}`]
      if (tierMonths !== null && tierMonths > value.defaultCadenceMonths) {
        context.addIssue({ code: 'custom', path: [`tier${tier}`], message: 'schedule:settings.errors.tierLonger' })
      }
    }
  })

export type SettingsForm = z.output<typeof settingsFormSchema>

export function settingsFromForm(form: SettingsForm): ScheduleSettings {
  return {
    defaultCadenceMonths: form.defaultCadenceMonths,
    tierCadenceMonths: { 1: form.tier1, 2: form.tier2, 3: form.tier3, 4: form.tier4 },
    issueAheadDays: form.issueAheadDays,
    reminderOffsetsDays: form.reminderOffsetsDays,
    escalation: { enabled: form.escalationEnabled, everyDays: form.escalationEveryDays },
    contractExpiryWarningDays: form.contractExpiryWarningDays,
    documentExpiryWarningDays: form.documentExpiryWarningDays,
  }
}

export function formFromSettings(settings: ScheduleSettings, version: number) {
  return {
    defaultCadenceMonths: String(settings.defaultCadenceMonths),
    tier1: settings.tierCadenceMonths[1]?.toString() ?? '',
    tier2: settings.tierCadenceMonths[2]?.toString() ?? '',
    tier3: settings.tierCadenceMonths[3]?.toString() ?? '',
    tier4: settings.tierCadenceMonths[4]?.toString() ?? '',
    issueAheadDays: String(settings.issueAheadDays),
    reminderOffsetsDays: settings.reminderOffsetsDays.join(', '),
    escalationEnabled: settings.escalation.enabled,
    escalationEveryDays: String(settings.escalation.everyDays),
    contractExpiryWarningDays: String(settings.contractExpiryWarningDays),
    documentExpiryWarningDays: String(settings.documentExpiryWarningDays),
    version: String(version),
  }
}
