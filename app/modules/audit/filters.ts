// The audit trail's filters, read from the page URL (shared by the page, the CSV export and the
// bench). Pure.
import { z } from 'zod'

/** Families of audit actions, by the prefix before the first dot ("auth.sign-in" → auth). */
export const AUDIT_KINDS = ['auth', 'user', 'vendor', 'contract', 'assessment', 'finding', 'report', 'settings'] as const
export type AuditKind = (typeof AUDIT_KINDS)[number]

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'admin:audit.badDate')
  .refine((value) => !Number.isNaN(Date.parse(`${value}T00:00:00Z`)), 'admin:audit.badDate')

const optional = <T extends z.ZodType>(schema: T) => z.preprocess((value) => (value === '' || value === null ? undefined : value), schema.optional())

export const auditFilterSchema = z
  .object({
    actor: optional(z.string().trim().max(200)),
    kind: optional(z.enum(AUDIT_KINDS)),
    object: optional(z.string().trim().max(200)),
    from: optional(day),
    to: optional(day),
    before: optional(z.string().regex(/^[0-9a-f]{24}$/)), // keyset cursor: the last _id of the previous page
  })
  .refine((filters) => !filters.from || !filters.to || filters.from <= filters.to, { path: ['to'], message: 'admin:audit.toBeforeFrom' })

const FILTER_KEYS = ['actor', 'kind', 'object', 'from', 'to', 'before'] as const

export type AuditFilters = z.infer<typeof auditFilterSchema>

/** The filters from a URL; an invalid value gives field messages and the page shows no events rather than a 5xx. */
export function parseAuditFilters(searchParams: URLSearchParams): { ok: true; filters: AuditFilters } | { ok: false; fieldErrors: Record<string, string[]> } {
  const parsed = auditFilterSchema.safeParse(Object.fromEntries(FILTER_KEYS.map((key) => [key, searchParams.get(key) ?? undefined])))
  if (parsed.success) return { ok: true, filters: parsed.data }
  const fieldErrors: Record<string, string[]> = {}
  for (const issue of parsed.error.issues) {
    const messages = (fieldErrors[String(issue.path[0] ?? 'form')] ??= [])
    const message = issue.message.startsWith('admin:') ? issue.message : 'admin:audit.badFilter'
    if (!messages.includes(message)) messages.push(message)
  }
  return { ok: false, fieldErrors }
}

/** "vendor:65a…" → both parts; a bare id matches any kind. */
export function parseObjectFilter(object: string): { kind?: string; id: string } {
  const at = object.indexOf(':')
  return at > 0 ? { kind: object.slice(0, at), id: object.slice(at + 1) } : { id: object }
}
