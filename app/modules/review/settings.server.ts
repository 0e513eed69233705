// The review settings: one document, _id "review", in the settings collection. Absent = defaults.
import { recordAudit } from '~/modules/audit/audit.server'
import type { SessionUser } from '~/modules/auth/session.server'
import { isTier } from '~/modules/scoring/settings'
import { findSettingsDocument, saveSettingsDocument } from '~/modules/settings/settings-store.server'
import { DEFAULT_REVIEW_SETTINGS, type ReviewSettings } from './settings'

const SETTINGS_ID = 'review' as const

export async function getReviewSettings(): Promise<ReviewSettings & { version: number }> {
  const stored = await findSettingsDocument(SETTINGS_ID)
  const tiers = Array.isArray(stored?.makerCheckerTiers) ? stored.makerCheckerTiers.filter(isTier) : [...DEFAULT_REVIEW_SETTINGS.makerCheckerTiers]
  return { makerCheckerTiers: tiers, version: stored?.version ?? 0 }
}

/** Saves in one atomic update guarded by the version read; the change is audited. */
export async function saveReviewSettings(settings: ReviewSettings, expectedVersion: number, actor: SessionUser): Promise<{ ok: boolean }> {
  const values = { makerCheckerTiers: settings.makerCheckerTiers, updatedBy: { id: actor.id, name: actor.name } }
  const saved = await saveSettingsDocument(SETTINGS_ID, values, expectedVersion)
  if (!saved.ok) return { ok: false }
  await recordAudit({
    actor: { kind: 'user', id: actor.id, label: actor.email },
    action: 'settings.review.update',
    subject: { kind: 'settings', id: SETTINGS_ID },
    details: values,
  })
  return { ok: true }
}
