import { getEnv } from '~/env.server'
import { recordAudit } from '~/modules/audit/audit.server'
import type { SessionUser } from '~/modules/auth/session.server'
import { TIERS } from '~/modules/vendors/vocabulary'
import { findSettingsDocument, saveSettingsDocument, type SettingsOf } from '~/modules/settings/settings-store.server'
import { DEFAULT_SETTINGS, type ScheduleSettings } from './settings'

const SETTINGS_ID = 'schedule' as const

function withDefaults(stored: SettingsOf<typeof SETTINGS_ID> | null): ScheduleSettings & { version: number } {
  const d = DEFAULT_SETTINGS
  const tiers = stored?.tierCadenceMonths ?? {}
  return {
    defaultCadenceMonths: stored?.defaultCadenceMonths ?? d.defaultCadenceMonths,
    tierCadenceMonths: Object.fromEntries(TIERS.map((tier) => [tier, tiers[String(tier) as '1'] ?? null])) as ScheduleSettings['tierCadenceMonths'],
    issueAheadDays: stored?.issueAheadDays ?? d.issueAheadDays,
    reminderOffsetsDays: stored?.reminderOffsetsDays?.length ? [...stored.reminderOffsetsDays] : [...d.reminderOffsetsDays],
    escalation: {
      enabled: stored?.escalation?.enabled ?? d.escalation.enabled,
      everyDays: stored?.escalation?.everyDays ?? d.escalation.everyDays,
    },
    contractExpiryWarningDays: stored?.contractExpiryWarningDays ?? d.contractExpiryWarningDays,
    documentExpiryWarningDays: stored?.documentExpiryWarningDays ?? d.documentExpiryWarningDays,
    version: stored?.version ?? 0,
  }
}

/** The institution's scheduling settings (defaults where nothing was saved), with their version. */
export async function getSettings(): Promise<ScheduleSettings & { version: number }> {
  return withDefaults(await findSettingsDocument(SETTINGS_ID))
}

/** The institution's time zone, in which every due date and reminder day is reckoned. */
export function institutionTimeZone(): string {
  return getEnv().INSTITUTION_TIMEZONE
}

export type SaveSettingsResult = { ok: true; version: number } | { ok: false; reason: 'conflict' }

/**
 * Saves validated settings in one atomic update, only if nobody saved since `expectedVersion`
 * was read (two admins editing at once: the second is told to reload instead of overwriting).
 */
export async function saveSettings(settings: ScheduleSettings, expectedVersion: number, actor: SessionUser): Promise<SaveSettingsResult> {
  const values = {
    defaultCadenceMonths: settings.defaultCadenceMonths,
    tierCadenceMonths: Object.fromEntries(TIERS.map((tier) => [String(tier), settings.tierCadenceMonths[tier]])),
    issueAheadDays: settings.issueAheadDays,
    reminderOffsetsDays: settings.reminderOffsetsDays,
    escalation: settings.escalation,
    contractExpiryWarningDays: settings.contractExpiryWarningDays,
    documentExpiryWarningDays: settings.documentExpiryWarningDays,
    updatedBy: { id: actor.id, name: actor.name },
  }
  const saved = await saveSettingsDocument(SETTINGS_ID, values, expectedVersion)
  if (!saved.ok) return { ok: false, reason: 'conflict' }
  await recordAudit({
    actor: { kind: 'user', id: actor.id, label: actor.email },
    action: 'settings.schedule.update',
    subject: { kind: 'settings', id: SETTINGS_ID },
    details: values,
  })
  return { ok: true, version: saved.version }
}
