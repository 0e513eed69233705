// Single sign-on with OpenID Connect: authorization code flow with PKCE (openid-client).
// docs/decisions/024-single-sign-on.md explains where the flow's secrets are kept.
import { createCookie } from '@remix-run/node'
import * as oidc from 'openid-client'
import { appUrl, getEnv, ssoConfigured } from '~/env.server'
import { getLocale } from '~/i18n/i18n.server'
import { recordAudit } from '~/modules/audit/audit.server'
import { safeRedirect } from './session.server'
import { groupsFromClaim } from './sso-roles'
import { signInWithSso, type SsoRefusal } from './sso-users.server'

export const OIDC_CALLBACK_PATH = '/auth/oidc/callback'
const FLOW_MINUTES = 10

/** What the sign-in page needs to know: the button's name, and whether the password form shows. */
export function signInOptions(): { sso: { name: string } | null; passwordSignIn: 'on' | 'off' | 'admins-only' } {
  const env = getEnv()
  return { sso: ssoConfigured(env) ? { name: env.OIDC_DISPLAY_NAME } : null, passwordSignIn: env.PASSWORD_SIGN_IN }
}

let configuration: Promise<oidc.Configuration> | undefined
function providerConfiguration(): Promise<oidc.Configuration> {
  const env = getEnv()
  if (!ssoConfigured(env)) throw new Response('Not Found', { status: 404 })
  const issuer = new URL(env.OIDC_ISSUER_URL)
  // env.server.ts only lets plain http through for a provider on loopback (tests).
  const options = issuer.protocol === 'http:' ? { execute: [oidc.allowInsecureRequests] } : undefined
  configuration ??= oidc.discovery(issuer, env.OIDC_CLIENT_ID, env.OIDC_CLIENT_SECRET, undefined, options).catch((error: unknown) => {
    configuration = undefined // try again on the next sign-in
    throw error
  })
  return configuration
}

/**
 * The flow's state, nonce and PKCE verifier travel in a signed, http-only cookie that lives ten
 * minutes, is scoped to /auth/oidc and is read once: the callback only works in the browser that
 * started the flow, and nobody can forge or swap the values.
 */
function flowCookie() {
  const env = getEnv()
  return createCookie('__clausewise_oidc', {
    httpOnly: true,
    sameSite: 'lax', // the provider's redirect back is a top-level GET
    path: '/auth/oidc',
    secure: /^https:\/\//i.test(env.APP_URL ?? ''),
    secrets: [env.SESSION_SECRET],
    maxAge: FLOW_MINUTES * 60,
  })
}
interface Flow {
  state: string
  nonce: string
  verifier: string
  redirectTo: string
  startedAt: number
}

function callbackUrl(request: Request): string {
  // APP_URL when set (behind a proxy); else the origin the browser used. The provider only accepts
  // redirect URIs registered for the client, so a forged Host header gets nowhere.
  return (getEnv().APP_URL ? appUrl() : new URL(request.url).origin) + OIDC_CALLBACK_PATH
}

export class ProviderUnavailableError extends Error {}

/** Redirect to the provider's sign-in page. */
export async function startOidcSignIn(request: Request, redirectTo: string | null): Promise<Response> {
  let config: oidc.Configuration
  try {
    config = await providerConfiguration()
  } catch (error) {
    if (error instanceof Response) throw error
    console.warn('[clausewise] identity provider unreachable:', (error as Error).message)
    throw new ProviderUnavailableError()
  }
  const flow: Flow = { state: oidc.randomState(), nonce: oidc.randomNonce(), verifier: oidc.randomPKCECodeVerifier(), redirectTo: safeRedirect(redirectTo), startedAt: Date.now() }
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: callbackUrl(request),
    scope: getEnv().OIDC_SCOPES,
    state: flow.state,
    nonce: flow.nonce,
    code_challenge: await oidc.calculatePKCECodeChallenge(flow.verifier),
    code_challenge_method: 'S256',
  })
  return new Response(null, { status: 302, headers: { Location: url.href, 'Set-Cookie': await flowCookie().serialize(flow), 'Cache-Control': 'no-store' } })
}

export type CallbackRefusal = SsoRefusal | 'expired' | 'cancelled' | 'unverified' | 'unavailable'
export type CallbackResult = { ok: true; userId: string; redirectTo: string; clearCookie: string } | { ok: false; reason: CallbackRefusal; clearCookie: string }

/** Verifies the provider's answer (state, PKCE, ID token: issuer, audience, signature, nonce) and signs the user in or refuses. */
export async function finishOidcSignIn(request: Request, clientAddress?: string): Promise<CallbackResult> {
  const env = getEnv()
  if (!ssoConfigured(env)) throw new Response('Not Found', { status: 404 })
  const cookie = flowCookie()
  const clearCookie = await cookie.serialize('', { maxAge: 0 })
  const flow = (await cookie.parse(request.headers.get('Cookie'))) as Flow | null
  const params = new URL(request.url).searchParams
  const refuse = async (reason: CallbackRefusal, detail?: string): Promise<CallbackResult> => {
    await recordAudit({ actor: { kind: 'system', label: 'single sign-on' }, action: 'auth.sso-refused', subject: { kind: 'sign-in', id: 'oidc' }, details: { reason, detail: detail?.slice(0, 300) ?? null }, clientAddress })
    return { ok: false, reason, clearCookie }
  }
  if (params.get('error')) return refuse('cancelled', `${params.get('error')}: ${params.get('error_description') ?? ''}`)
  if (!flow || typeof flow.state !== 'string' || Date.now() - flow.startedAt > FLOW_MINUTES * 60_000) return refuse('expired')
  let config: oidc.Configuration
  try {
    config = await providerConfiguration()
  } catch (error) {
    if (error instanceof Response) throw error
    return refuse('unavailable', (error as Error).message)
  }
  const current = new URL(callbackUrl(request))
  current.search = new URL(request.url).search
  let claims: oidc.IDToken
  let accessToken: string
  try {
    const tokens = await oidc.authorizationCodeGrant(config, current, { pkceCodeVerifier: flow.verifier, expectedState: flow.state, expectedNonce: flow.nonce, idTokenExpected: true })
    claims = tokens.claims()!
    accessToken = tokens.access_token
  } catch (error) {
    return refuse('unverified', error instanceof Error ? `${(error as { code?: string }).code ?? error.name}: ${error.message}` : String(error))
  }
  let profile: Record<string, unknown> = claims
  if (!(env.OIDC_GROUPS_CLAIM in claims) || !claims.email) {
    // Many providers put groups and e-mail only in the userinfo answer.
    try {
      profile = { ...(await oidc.fetchUserInfo(config, accessToken, claims.sub)), ...claims }
    } catch (error) {
      return refuse('unverified', `userinfo: ${(error as Error).message}`)
    }
  }
  const result = await signInWithSso(
    {
      issuer: claims.iss,
      subject: claims.sub,
      email: typeof profile.email === 'string' ? profile.email : undefined,
      emailVerified: profile.email_verified === true,
      name: typeof profile.name === 'string' ? profile.name : undefined,
      groups: groupsFromClaim(profile[env.OIDC_GROUPS_CLAIM]),
    },
    env.OIDC_ROLE_MAP,
    clientAddress,
    await getLocale(request),
  )
  if (!result.ok) return { ok: false, reason: result.reason, clearCookie }
  return { ok: true, userId: result.userId, redirectTo: safeRedirect(flow.redirectTo), clearCookie }
}
