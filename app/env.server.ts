import { z } from 'zod'

// Validated once at boot; the browser sees only what publicEnv() returns.
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
  ADMIN_EMAIL: z.email('must be an e-mail address').optional(),
  ADMIN_PASSWORD: z.string().min(12, 'must be at least 12 characters').optional(),
  INSTITUTION_NAME: z.string().min(1).default('Clausewise Demo Bank'),
  INSTITUTION_TIMEZONE: timeZone.default('Asia/Shanghai'),
  // auto: seed a fresh embedded database; always: seed any empty database (e2e tests); never: no demo.
  DEMO_DATA: z.enum(['auto', 'always', 'never']).default('auto'),
  CLAUSEWISE_DB_DURABILITY: dbDurability.default('commit'),
})

export type Env = z.infer<typeof envSchema>

export function parseEnv(source: Record<string, string | undefined>): { env: Env } | { problems: string } {
  // Empty strings count as unset, so `SMTP_URL=` in a .env file means "no SMTP".
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== undefined && value !== ''))
  // Plain English here, whatever message map the forms have installed globally.
  const result = envSchema.safeParse(cleaned, { error: z.locales.en().localeError })
  if (result.success) return { env: result.data }
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
