// The sign-in security settings: one document, _id "security", in the settings collection.
// Read on every signed-in request (idle timeout, required roles), so kept in memory for a few
// seconds; a save on this instance refreshes it at once, other instances within CACHE_MS.
import { getEnv } from '~/env.server'
import { recordAudit } from '~/modules/audit/audit.server'
import { findSettingsDocument, saveSettingsDocument } from '~/modules/settings/settings-store.server'
import { ROLES, type Role } from './roles'
import { DEFAULT_SECURITY_SETTINGS, parseRequiredRoles, type SecuritySettings } from './security-settings'

const SETTINGS_ID = 'security' as const
const CACHE_MS = 5_000

let cached: { at: number; value: SecuritySettings & { version: number } } | undefined

export async function getSecuritySettings(): Promise<SecuritySettings & { version: number; rolesFromEnvironment: boolean; storedTwoFactorRoles: Role[] }> {
  if (!cached || Date.now() - cached.at > CACHE_MS) {
    const stored = await findSettingsDocument(SETTINGS_ID)
    const d = DEFAULT_SECURITY_SETTINGS
    cached = {
      at: Date.now(),
      value: {
        twoFactorRoles: Array.isArray(stored?.twoFactorRoles) ? ROLES.filter((role) => stored.twoFactorRoles!.includes(role)) : [...d.twoFactorRoles],
        sessionIdleMinutes: stored?.sessionIdleMinutes ?? d.sessionIdleMinutes,
        sessionAbsoluteHours: stored?.sessionAbsoluteHours ?? d.sessionAbsoluteHours,
        version: stored?.version ?? 0,
      },
    }
  }
  // The environment wins over the stored setting (deployments and test runs decide it in one place).
  const override = getEnv().TWO_FACTOR_REQUIRED_ROLES
  return { ...cached.value, ...(override ? { twoFactorRoles: parseRequiredRoles(override) } : {}), rolesFromEnvironment: Boolean(override), storedTwoFactorRoles: cached.value.twoFactorRoles }
}

/** Saves in one atomic update guarded by the version read; the change is audited. */
/** Who saves: the signed-in user's id, name and e-mail (a SessionUser; typed here without importing the session, which reads these settings). */
type SettingsActor = { id: string; name: string; email: string }

export async function saveSecuritySettings(settings: SecuritySettings, expectedVersion: number, actor: SettingsActor): Promise<{ ok: boolean }> {
  const values = { ...settings, updatedBy: { id: actor.id, name: actor.name } }
  const saved = await saveSettingsDocument(SETTINGS_ID, values, expectedVersion)
  if (!saved.ok) return { ok: false }
  cached = undefined
  await recordAudit({ actor: { kind: 'user', id: actor.id, label: actor.email }, action: 'settings.security.update', subject: { kind: 'settings', id: SETTINGS_ID }, details: values })
  return { ok: true }
}

/** Forget the cached settings (tests that change them directly). */
export function forgetSecuritySettings() {
  cached = undefined
}
