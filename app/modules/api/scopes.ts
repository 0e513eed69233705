// What an API token may do: read or write, per resource. Pure: used by the admin form, the
// token store and every API handler.
import { manyOf, z } from '~/modules/forms/validation'
import { requiredText } from '~/modules/forms/fields'

/** Resources and the access each offers (contracts, incidents and the schedule are read-only here). */
export const API_RESOURCES = {
  vendors: ['read', 'write'],
  contracts: ['read'],
  assessments: ['read', 'write'],
  findings: ['read', 'write'],
  incidents: ['read'],
  schedule: ['read'],
} as const satisfies Record<string, readonly ('read' | 'write')[]>

export type ApiResource = keyof typeof API_RESOURCES
export const API_SCOPES = Object.entries(API_RESOURCES).flatMap(([resource, accesses]) => accesses.map((access) => `${resource}:${access}`)) as ApiScope[]
export type ApiScope = { [R in ApiResource]: `${R}:${(typeof API_RESOURCES)[R][number]}` }[ApiResource]

export function isApiScope(value: string): value is ApiScope {
  return (API_SCOPES as string[]).includes(value)
}

/** Token lifetimes offered by the form, in days (a token always expires). */
export const TOKEN_LIFETIMES = [7, 30, 90, 180, 365] as const

export const apiTokenCreateSchema = z.object({
  intent: z.literal('create'),
  name: requiredText(80),
  scopes: manyOf(z.enum(API_SCOPES as [ApiScope, ...ApiScope[]]), { min: 1, max: API_SCOPES.length }),
  lifetimeDays: z.coerce.number().refine((days) => (TOKEN_LIFETIMES as readonly number[]).includes(days), 'admin:apiTokens.errors.lifetime'),
})

export const apiTokenRevokeSchema = z.object({
  intent: z.literal('revoke'),
  tokenId: z.string().regex(/^[0-9a-f]{24}$/),
})

export const apiTokenActionSchema = z.discriminatedUnion('intent', [apiTokenCreateSchema, apiTokenRevokeSchema])
