// Every vendor request starts here: the token in the URL is checked and mapped to exactly one
// assessment. Loaders and actions never take an assessment id from the vendor.
import { data } from '@remix-run/node'
import type { Types } from 'mongoose'
import { findVendorAssessmentById, findVendorAssessmentByTokenHash, type InvitationRecord, type VendorAssessment } from './assessment-store.server'
import { getEnv } from '~/env.server'
import { hashAccessToken, TOKEN_PATTERN } from './tokens.server'
import { invitationState } from './status'

/** Why a link does not open the questionnaire; each has its own page and HTTP status. */
export type LinkProblem = 'invalid' | 'revoked' | 'superseded' | 'expired' | 'withdrawn'
export const LINK_PROBLEM_STATUS: Record<LinkProblem, number> = { invalid: 401, revoked: 403, superseded: 403, expired: 410, withdrawn: 410 }

export interface VendorAccess {
  assessment: VendorAssessment
  invitation: InvitationRecord
  tokenHash: string
  /** The update filter every vendor write must use: this assessment, while this link is still good. */
  guard: Record<string, unknown>
}

/**
 * A small map that forgets the least recently used entry beyond its size. Two live here:
 * token hash → assessment id (a link belongs to one assessment forever, so this never goes stale),
 * and assessment id → the last state this process read or wrote (used only to prepare a write
 * that is pinned to that state's version; see docs/decisions/007-one-round-trip-autosave.md).
 */
class RecentMap<K, V> {
  private readonly entries = new Map<K, V>()
  constructor(private readonly limit: number) {}
  get(key: K): V | undefined {
    const value = this.entries.get(key)
    if (value !== undefined) {
      this.entries.delete(key)
      this.entries.set(key, value)
    }
    return value
  }
  set(key: K, value: V) {
    this.entries.delete(key)
    this.entries.set(key, value)
    if (this.entries.size > this.limit) this.entries.delete(this.entries.keys().next().value as K)
  }
  delete(key: K) {
    this.entries.delete(key)
  }
}

// The embedded database answers a lookup by `invitations.tokenHash` (a field inside an array, which
// it cannot index uniquely) by scanning the collection; by `_id` it uses its unique index.
const assessmentIdByLink = new RecentMap<string, Types.ObjectId>(50_000)
const recentAssessments = new RecentMap<string, VendorAssessment>(2_000)

/** Keeps the newest state of an assessment this process has seen (never replaces it by an older one). */
export function rememberAssessment(assessment: VendorAssessment) {
  const key = assessment._id.toString()
  const known = recentAssessments.get(key)
  if (!known || (known.version ?? 0) <= (assessment.version ?? 0)) recentAssessments.set(key, assessment)
}

/** Straight through the driver: this runs on every vendor request. */
async function findByTokenHash(tokenHash: string): Promise<VendorAssessment | null> {
  const knownId = assessmentIdByLink.get(tokenHash)
  if (knownId) {
    const assessment = await findVendorAssessmentById(knownId)
    if (assessment?.invitations.some((invitation) => invitation.tokenHash === tokenHash)) return assessment
    assessmentIdByLink.delete(tokenHash)
  }
  const assessment = await findVendorAssessmentByTokenHash(tokenHash)
  if (assessment) assessmentIdByLink.set(tokenHash, assessment._id)
  return assessment
}

type AccessCheck = { ok: true; access: VendorAccess } | { ok: false; problem: LinkProblem }

/** Whether this link opens this assessment now. Pure: the caller read the assessment. */
function accessTo(assessment: VendorAssessment | null, tokenHash: string, now: Date): AccessCheck {
  const invitation = assessment?.invitations.find((candidate) => candidate.tokenHash === tokenHash)
  if (!assessment || !invitation) return { ok: false, problem: 'invalid' }
  const state = invitationState(invitation, now)
  if (state === 'revoked') return { ok: false, problem: invitation.revokedReason === 'superseded' || invitation.revokedReason === 'reissued' ? 'superseded' : 'revoked' }
  if (state === 'expired') return { ok: false, problem: 'expired' }
  if (assessment.status === 'cancelled') return { ok: false, problem: 'withdrawn' }
  return {
    ok: true,
    access: {
      assessment,
      invitation,
      tokenHash,
      guard: {
        _id: assessment._id,
        invitations: { $elemMatch: { tokenHash, revokedAt: null, expiresAt: { $gt: now } } },
      },
    },
  }
}

/** Checks a token against the assessment as it is now; returns the access or the reason it is refused. Never throws for a bad token. */
export async function checkVendorAccess(token: unknown, now: Date = new Date()): Promise<AccessCheck> {
  if (typeof token !== 'string' || !TOKEN_PATTERN.test(token)) return { ok: false, problem: 'invalid' }
  const tokenHash = hashAccessToken(token)
  const assessment = await findByTokenHash(tokenHash)
  if (assessment) rememberAssessment(assessment)
  return accessTo(assessment, tokenHash, now)
}

/**
 * For a write that is pinned to the version it read (autosave): the access from the state this
 * process last saw, without a database read when it has one. The state may be behind the database;
 * the write then matches nothing and the caller asks `recheckVendorAccess` for the current one.
 * A refusal is never decided on remembered state alone.
 */
export async function checkVendorAccessForWrite(token: unknown, now: Date = new Date()): Promise<AccessCheck> {
  if (typeof token !== 'string' || !TOKEN_PATTERN.test(token)) return { ok: false, problem: 'invalid' }
  const tokenHash = hashAccessToken(token)
  const knownId = assessmentIdByLink.get(tokenHash)
  const known = knownId && recentAssessments.get(knownId.toString())
  if (known) {
    const checked = accessTo(known, tokenHash, now)
    if (checked.ok) return checked
  }
  return checkVendorAccess(token, now)
}

/** The access again, from the assessment as it is in the database now (after a write that matched nothing). */
export async function recheckVendorAccess(access: VendorAccess, now: Date = new Date()): Promise<AccessCheck> {
  const assessment = await findVendorAssessmentById(access.assessment._id)
  if (assessment) rememberAssessment(assessment)
  return accessTo(assessment, access.tokenHash, now)
}

/** For loaders: the access, or a thrown response that the vendor layout shows as a clear page. */
export async function requireVendorAccess(token: unknown): Promise<VendorAccess> {
  const result = await checkVendorAccess(token)
  if (result.ok) return result.access
  throw linkProblemResponse(result.problem)
}

export function linkProblemResponse(problem: LinkProblem) {
  return data({ linkProblem: problem, institution: getEnv().INSTITUTION_NAME }, { status: LINK_PROBLEM_STATUS[problem] })
}

/** For resource routes (autosave, uploads): the refusal as JSON. */
export function linkProblemJson(problem: LinkProblem) {
  return Response.json({ ok: false, linkProblem: problem }, { status: LINK_PROBLEM_STATUS[problem] })
}
