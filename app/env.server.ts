import { z } from 'zod'
import { parseRoleMap, type RoleMap } from '~/modules/auth/sso-roles'

// Validated once at boot. Server-only: no part of it is sent to the browser as such; a loader passes
// on the few values its page shows (the institution's name and time zone).
const timeZone = z.string().refine((zone) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone })
    return true
  } catch {
    return false
  }
}, 'is not an IANA time zone such as Asia/Shanghai')

// How the embedded database acknowledges a write (docs/decisions/005-durable-acknowledgement.md).
export const dbDurability = z.enum(['commit', 'fsync', 'none'], { error: 'must be commit (survives a crash of the database process), fsync (also a power cut) or none' })

/** CLAUSEWISE_DB_DURABILITY, read by server.ts before it starts the embedded database. */
export function parseDbDurability(value: string | undefined): { durability: z.infer<typeof dbDurability> } | { problem: string } {
  const parsed = dbDurability.default('commit').safeParse(value === '' ? undefined : value, { error: z.locales.en().localeError })
  return parsed.success ? { durability: parsed.data } : { problem: `Clausewise cannot start; fix this setting:\n- CLAUSEWISE_DB_DURABILITY: ${parsed.error.issues[0]!.message}` }
}

// Single sign-on (app/modules/auth/oidc.server.ts, docs/decisions/024-single-sign-on.md).
const loopbackHost = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/
const ssoEnvShape = {
  OIDC_ISSUER_URL: z
    .url('must be the identity provider\'s issuer URL, such as https://login.example.com/realms/bank')
    .refine((value) => {
      const url = new URL(value)
      return url.protocol === 'https:' || (url.protocol === 'http:' && loopbackHost.test(url.hostname))
    }, 'must use https (plain http only on 127.0.0.1 or localhost, for tests)')
    .optional(),
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  OIDC_DISPLAY_NAME: z.string().min(1).max(60, 'must be at most 60 characters').default('single sign-on'),
  OIDC_SCOPES: z.string().regex(/(^|\s)openid(\s|$)/, 'must include openid').default('openid email profile'),
  OIDC_GROUPS_CLAIM: z.string().min(1).default('groups'),
  OIDC_ROLE_MAP: z
    .string()
    .transform((value, ctx) => {
      const parsed = parseRoleMap(value)
      if ('problem' in parsed) {
        ctx.addIssue({ code: 'custom', message: parsed.problem })
        return z.NEVER
      }
      return parsed.map
    })
    .optional(),
  PASSWORD_SIGN_IN: z.enum(['on', 'off', 'admins-only'], { error: 'must be on, off or admins-only' }).default('on'),
}

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  MONGODB_URI: z.string({ error: 'is required (the server sets it when it starts the embedded database)' }).regex(/^mongodb(\+srv)?:\/\/\S+$/, 'must start with mongodb:// or mongodb+srv://'),
  SESSION_SECRET: z.string({ error: 'is required' }).min(32, 'must be at least 32 characters'),
  // AES-256-GCM key for the two-factor secrets: 64 hex digits (server.ts generates data/totp-key).
  TOTP_ENCRYPTION_KEY: z.string().regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hex digits (32 bytes)').optional(),
  // Overrides Admin → Settings: comma-separated roles that must use two-factor sign-in, or "none".
  TWO_FACTOR_REQUIRED_ROLES: z.string().regex(/^(none|[a-z-]+(,[a-z-]+)*)$/, 'must be "none" or comma-separated roles such as admin,compliance').optional(),
  APP_URL: z.url('must be an absolute URL such as https://clausewise.example.com').optional(),
  SMTP_URL: z.string().regex(/^smtps?:\/\/\S+$/, 'must start with smtp:// or smtps://').optional(),
  MAIL_FROM: z.string().min(3).default('Clausewise <no-reply@clausewise.local>'),
  // Outbox delivery (app/modules/mail/delivery.server.ts): attempts per message, the first retry's
  // wait (doubling per attempt, at most 6 h), and how long a sender's claim on a message lasts.
  MAIL_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
  MAIL_RETRY_BASE_MS: z.coerce.number().int().min(10).default(60_000),
  MAIL_CLAIM_LEASE_MS: z.coerce.number().int().min(100).default(120_000),
  // Webhook delivery (app/modules/webhooks/delivery.server.ts, docs/webhooks.md): attempts per
  // delivery, the first retry's wait (doubling, at most 6 h), the claim's lease, the request
  // timeout, failed attempts in a row that turn an endpoint off, and the inside networks a
  // delivery may reach besides public addresses ("private", "loopback"; comma-separated).
  WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
  WEBHOOK_RETRY_BASE_MS: z.coerce.number().int().min(10).default(60_000),
  WEBHOOK_CLAIM_LEASE_MS: z.coerce.number().int().min(100).default(120_000),
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  WEBHOOK_DISABLE_AFTER: z.coerce.number().int().min(1).max(1000).default(20),
  WEBHOOK_ALLOW_NETWORKS: z.string().regex(/^(private|loopback)(,(private|loopback))*$/, 'must be private, loopback or private,loopback').optional(),
  ADMIN_EMAIL: z.email('must be an e-mail address').optional(),
  ADMIN_PASSWORD: z.string().min(12, 'must be at least 12 characters').optional(),
  INSTITUTION_NAME: z.string().min(1).default('Clausewise Demo Bank'),
  INSTITUTION_TIMEZONE: timeZone.default('Asia/Shanghai'),
  // auto: seed a fresh embedded database; always: seed any empty database (e2e tests); never: no demo.
  DEMO_DATA: z.enum(['auto', 'always', 'never']).default('auto'),
  CLAUSEWISE_DB_DURABILITY: dbDurability.default('commit'),
  // REST API calls per token per minute (app/modules/api/handler.server.ts); over it: 429 with Retry-After.
  API_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(600),
  ...ssoEnvShape,
})

export type Env = z.infer<typeof envSchema>

/** Checks that belong to several variables at once: SSO is all-or-nothing, and never locks everyone out. */
function ssoProblems(env: Env): string[] {
  const problems: string[] = []
  const sso = ['OIDC_ISSUER_URL', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET', 'OIDC_ROLE_MAP'] as const
  const set = sso.filter((name) => env[name] !== undefined)
  if (set.length > 0 && set.length < sso.length) {
    for (const name of sso.filter((name) => env[name] === undefined)) problems.push(`- ${name}: is required when ${set.join(', ')} ${set.length > 1 ? 'are' : 'is'} set (single sign-on needs all of ${sso.join(', ')})`)
  }
  if (set.length === 0 && env.PASSWORD_SIGN_IN !== 'on') problems.push(`- PASSWORD_SIGN_IN: can only be ${env.PASSWORD_SIGN_IN} when single sign-on is configured (OIDC_ISSUER_URL and the rest); otherwise nobody could sign in`)
  return problems
}

export function ssoConfigured(env: Env): env is Env & { OIDC_ISSUER_URL: string; OIDC_CLIENT_ID: string; OIDC_CLIENT_SECRET: string; OIDC_ROLE_MAP: RoleMap } {
  return Boolean(env.OIDC_ISSUER_URL && env.OIDC_CLIENT_ID && env.OIDC_CLIENT_SECRET && env.OIDC_ROLE_MAP)
}

export function parseEnv(source: Record<string, string | undefined>): { env: Env } | { problems: string } {
  // Empty strings count as unset, so `SMTP_URL=` in a .env file means "no SMTP".
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== undefined && value !== ''))
  // Plain English here, whatever message map the forms have installed globally.
  const result = envSchema.safeParse(cleaned, { error: z.locales.en().localeError })
  if (result.success) {
    const problems = ssoProblems(result.data)
    if (problems.length === 0) return { env: result.data }
    return { problems: `Clausewise cannot start; fix these settings:\n${problems.join('\n')}` }
  }
  const lines = result.error.issues.map((issue) => `- ${issue.path.join('.')}: ${issue.message}`)
  return { problems: `Clausewise cannot start; fix these settings:\n${lines.join('\n')}` }
}

let cached: Env | undefined

export function getEnv(): Env {
  if (cached) return cached
  const parsed = parseEnv(process.env)
  if ('problems' in parsed) throw new Error(parsed.problems)
  cached = parsed.env
  return cached
}

export function appUrl(): string {
  const env = getEnv()
  return (env.APP_URL ?? `http://localhost:${process.env.PORT ?? 3000}`).replace(/\/$/, '')
}
