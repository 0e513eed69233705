// Sign-in security settings (Admin → Settings): pure defaults, form schema and the device label.
import { z } from '~/modules/forms/validation'
import { ROLES, type Role } from './roles'

export interface SecuritySettings {
  /** Roles whose users must sign in with a second factor. */
  twoFactorRoles: Role[]
  /** A session unused this long ends. */
  sessionIdleMinutes: number
  /** A session ends this long after sign-in, used or not. */
  sessionAbsoluteHours: number
}

export const DEFAULT_SECURITY_SETTINGS: SecuritySettings = { twoFactorRoles: ['admin', 'compliance'], sessionIdleMinutes: 30, sessionAbsoluteHours: 12 }

export const securitySettingsFormSchema = z.object({
  intent: z.literal('security-settings'),
  securityVersion: z.coerce.number().int().min(0),
  sessionIdleMinutes: z.coerce.number().int().min(1).max(1440),
  sessionAbsoluteHours: z.coerce.number().int().min(1).max(720),
  ...Object.fromEntries(ROLES.map((role) => [`twoFactor_${role}`, z.preprocess((value) => value === 'on' || value === true, z.boolean())])),
})

export function securitySettingsFromForm(value: Record<string, unknown>): SecuritySettings {
  return {
    twoFactorRoles: ROLES.filter((role) => value[`twoFactor_${role}`] === true),
    sessionIdleMinutes: Number(value.sessionIdleMinutes),
    sessionAbsoluteHours: Number(value.sessionAbsoluteHours),
  }
}

/** TWO_FACTOR_REQUIRED_ROLES: "none" or comma-separated roles; unknown names are ignored. */
export function parseRequiredRoles(value: string): Role[] {
  if (value === 'none') return []
  return ROLES.filter((role) => value.split(',').includes(role))
}

/** "Chrome on Windows" from a user agent, for the sessions list (a label, never a security check). */
export function deviceOf(userAgent: string | null | undefined): { browser: string; os: string } {
  const ua = userAgent ?? ''
  const browser = /Edg\//.test(ua)
    ? 'Edge'
    : /OPR\//.test(ua)
      ? 'Opera'
      : /Firefox\//.test(ua)
        ? 'Firefox'
        : /(Chrome|Chromium|HeadlessChrome)\//.test(ua)
          ? 'Chrome'
          : /Safari\//.test(ua)
            ? 'Safari'
            : ''
  const os = /Android/.test(ua) ? 'Android' : /iPhone|iPad|iPod/.test(ua) ? 'iOS' : /Windows/.test(ua) ? 'Windows' : /Mac OS X|Macintosh/.test(ua) ? 'macOS' : /Linux|X11/.test(ua) ? 'Linux' : ''
  return { browser, os }
}
