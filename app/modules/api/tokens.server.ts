// API tokens: created by an admin (shown once), stored as their SHA-256 under a unique index,
// expiring, revocable; each call is looked up by that hash (docs/decisions/035-rest-api.md).
import { createHash, randomBytes } from 'node:crypto'
import { Types } from 'mongoose'
import { recordAudit } from '~/modules/audit/audit.server'
import { can } from '~/modules/auth/roles'
import type { SessionUser } from '~/modules/auth/session.server'
import { findApiTokenByHash, insertApiToken, listApiTokenRecords, revokeApiTokenRecord, touchApiToken } from './api-token-store.server'
import { isApiScope, type ApiScope } from './scopes'
import { isoOrNull } from '~/modules/dates/dates'

/** Recognisable in logs and secret scanners; the rest is 32 random bytes. */
export const TOKEN_PREFIX = 'cw_'
const LAST_USED_EVERY_MS = 60_000
const DAY_MS = 24 * 3_600_000

export const hashToken = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex')

export interface ApiTokenRow {
  id: string
  name: string
  scopes: ApiScope[]
  expiresAt: string
  revokedAt: string | null
  lastUsedAt: string | null
  createdAt: string
  createdBy: string
  state: 'active' | 'expired' | 'revoked'
}

/** Who is calling: the token, as the domain functions' actor. */
export interface ApiCaller {
  tokenId: string
  name: string
  scopes: ApiScope[]
}

function assertAdmin(actor: SessionUser) {
  if (!can(actor.role, 'admin:api-tokens')) throw new Response('Forbidden', { status: 403, statusText: 'Forbidden' })
}

export async function createApiToken(input: { name: string; scopes: ApiScope[]; lifetimeDays: number }, actor: SessionUser, now = new Date()): Promise<{ id: string; token: string }> {
  assertAdmin(actor)
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`
  const created = await insertApiToken({
    name: input.name,
    tokenHash: hashToken(token),
    scopes: [...new Set(input.scopes)],
    expiresAt: new Date(now.getTime() + input.lifetimeDays * DAY_MS),
    createdBy: { id: actor.id, name: actor.name },
  })
  const id = String(created._id)
  await recordAudit({
    actor: { kind: 'user', id: actor.id, label: actor.email },
    action: 'api-token.create',
    subject: { kind: 'api-token', id },
    details: { name: input.name, scopes: input.scopes, expiresAt: created.expiresAt.toISOString() },
  })
  return { id, token }
}

export async function revokeApiToken(id: string, actor: SessionUser, now = new Date()): Promise<boolean> {
  assertAdmin(actor)
  if (!/^[0-9a-f]{24}$/.test(id)) return false
  const revoked = await revokeApiTokenRecord(new Types.ObjectId(id), { revokedAt: now, revokedBy: { id: actor.id, name: actor.name } })
  if (!revoked) return false
  await recordAudit({ actor: { kind: 'user', id: actor.id, label: actor.email }, action: 'api-token.revoke', subject: { kind: 'api-token', id }, details: { name: revoked.name } })
  return true
}


export async function listApiTokens(now = new Date()): Promise<ApiTokenRow[]> {
  const tokens = await listApiTokenRecords(500)
  return tokens.map((token) => ({
    id: String(token._id),
    name: token.name,
    scopes: (token.scopes ?? []).filter(isApiScope),
    expiresAt: token.expiresAt.toISOString(),
    revokedAt: isoOrNull(token.revokedAt),
    lastUsedAt: isoOrNull(token.lastUsedAt),
    createdAt: token.createdAt.toISOString(),
    createdBy: token.createdBy?.name ?? '',
    state: token.revokedAt ? 'revoked' : token.expiresAt <= now ? 'expired' : 'active',
  }))
}

/**
 * The caller of an `Authorization: Bearer …` header, or null (missing, unknown, expired, revoked):
 * one lookup by the unique hash. Records the last use at most once a minute.
 */
export async function authenticateApiToken(authorization: string | null, now = new Date()): Promise<ApiCaller | null> {
  const match = /^Bearer\s+([A-Za-z0-9_-]{10,200})\s*$/i.exec(authorization ?? '')
  if (!match) return null
  const record = await findApiTokenByHash(hashToken(match[1]!))
  if (!record || record.revokedAt || record.expiresAt <= now) return null
  if (!record.lastUsedAt || now.getTime() - record.lastUsedAt.getTime() >= LAST_USED_EVERY_MS) {
    // Conditional on the value read, so parallel calls write it once.
    await touchApiToken(record, now)
  }
  return { tokenId: String(record._id), name: record.name, scopes: (record.scopes ?? []).filter(isApiScope) }
}
