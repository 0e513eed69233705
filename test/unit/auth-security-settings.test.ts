import { describe, expect, it } from 'vitest'
import { deviceOf, parseRequiredRoles, securitySettingsFormSchema, securitySettingsFromForm } from '~/modules/auth/security-settings'

describe('the device label of a session', () => {
  it.each([
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36', 'Chrome', 'Windows'],
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0', 'Edge', 'Windows'],
    ['Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Safari/605.1.15', 'Safari', 'macOS'],
    ['Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1', 'Safari', 'iOS'],
    ['Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0', 'Firefox', 'Linux'],
    ['Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36', 'Chrome', 'Android'],
    ['curl/8.0', '', ''],
  ])('%s', (ua, browser, os) => {
    expect(deviceOf(ua)).toEqual({ browser, os })
  })
  it('copes with no user agent', () => expect(deviceOf(undefined)).toEqual({ browser: '', os: '' }))
})

describe('required roles and the settings form', () => {
  it('reads TWO_FACTOR_REQUIRED_ROLES', () => {
    expect(parseRequiredRoles('none')).toEqual([])
    expect(parseRequiredRoles('compliance,admin')).toEqual(['admin', 'compliance'])
    expect(parseRequiredRoles('admin,ghost')).toEqual(['admin'])
  })
  it('takes checked roles and bounded minutes and hours', () => {
    const parsed = securitySettingsFormSchema.safeParse({ intent: 'security-settings', securityVersion: '2', sessionIdleMinutes: '15', sessionAbsoluteHours: '8', twoFactor_admin: 'on', twoFactor_viewer: 'on' })
    expect(parsed.success).toBe(true)
    expect(securitySettingsFromForm(parsed.data!)).toEqual({ twoFactorRoles: ['admin', 'viewer'], sessionIdleMinutes: 15, sessionAbsoluteHours: 8 })
    expect(securitySettingsFormSchema.safeParse({ intent: 'security-settings', securityVersion: '0', sessionIdleMinutes: '0', sessionAbsoluteHours: '8' }).success).toBe(false)
    expect(securitySettingsFormSchema.safeParse({ intent: 'security-settings', securityVersion: '0', sessionIdleMinutes: '30', sessionAbsoluteHours: '9999' }).success).toBe(false)
  })
})
