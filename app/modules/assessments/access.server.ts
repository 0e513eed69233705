// Every vendor request starts here: the token in the URL is checked and mapped to exactly one
// assessment. Loaders and actions never take an assessment id from the vendor.
import { data } from '@remix-run/node'
import { AssessmentModel } from '~models/assessment'
import { getEnv } from '~/env.server'
import { hashAccessToken, TOKEN_PATTERN } from './tokens.server'
import { invitationState } from './status'
import type { AssessmentStatus } from './vocabulary'

/** Why a link does not open the questionnaire; each has its own page and HTTP status. */
export type LinkProblem = 'invalid' | 'revoked' | 'superseded' | 'expired' | 'withdrawn'
export const LINK_PROBLEM_STATUS: Record<LinkProblem, number> = { invalid: 401, revoked: 403, superseded: 403, expired: 410, withdrawn: 410 }

export type AssessmentRecord = NonNullable<Awaited<ReturnType<typeof findByTokenHash>>>
export type InvitationRecord = AssessmentRecord['invitations'][number]

export interface VendorAccess {
  assessment: AssessmentRecord
  invitation: InvitationRecord
  tokenHash: string
  /** The update filter every vendor write must use: this assessment, while this link is still good. */
  guard: Record<string, unknown>
}

type LeanAssessment = NonNullable<Awaited<ReturnType<typeof leanQuery>>>
const leanQuery = (tokenHash: string) => AssessmentModel.findOne({ 'invitations.tokenHash': tokenHash }).lean()

/** Straight through the driver: this runs on every vendor request, autosaves included. */
async function findByTokenHash(tokenHash: string): Promise<LeanAssessment | null> {
  // The contract's clause texts and the score are never shown to the vendor: leave them in the database.
  return (await AssessmentModel.collection.findOne({ 'invitations.tokenHash': tokenHash }, { projection: { contract: 0, score: 0 } })) as unknown as LeanAssessment | null
}

/** Checks a token; returns the access or the reason it is refused. Never throws for a bad token. */
export async function checkVendorAccess(token: unknown, now: Date = new Date()): Promise<{ ok: true; access: VendorAccess } | { ok: false; problem: LinkProblem }> {
  if (typeof token !== 'string' || !TOKEN_PATTERN.test(token)) return { ok: false, problem: 'invalid' }
  const tokenHash = hashAccessToken(token)
  const assessment = await findByTokenHash(tokenHash)
  const invitation = assessment?.invitations.find((candidate) => candidate.tokenHash === tokenHash)
  if (!assessment || !invitation) return { ok: false, problem: 'invalid' }
  const state = invitationState(invitation, now)
  if (state === 'revoked') return { ok: false, problem: invitation.revokedReason === 'superseded' || invitation.revokedReason === 'reissued' ? 'superseded' : 'revoked' }
  if (state === 'expired') return { ok: false, problem: 'expired' }
  if ((assessment.status as AssessmentStatus) === 'cancelled') return { ok: false, problem: 'withdrawn' }
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
