// A real OpenID Connect provider on loopback for the single sign-on tests: oidc-provider (a
// certified implementation) with its own login and consent pages (its "dev interactions": any
// password is accepted for a known login), one confidential client, and staff whose groups cover
// every Clausewise role plus one whose groups map to none.
import { createServer, type RequestListener, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import Provider from 'oidc-provider'

export interface TestAccount {
  email: string
  name: string
  groups: string[]
}

export const OIDC_ROLE_MAP = 'grc-admins=admin,procurement=procurement,compliance=compliance,auditors=viewer'

/** Logins typed on the provider's page → the person's claims. Mutable: a test may move someone between groups. */
export function testAccounts(): Record<string, TestAccount> {
  return {
    'ada-admin': { email: 'ada@idp.example', name: 'Ada Admin', groups: ['grc-admins', 'staff'] },
    'pat-procurement': { email: 'pat@idp.example', name: 'Pat Procurement', groups: ['procurement'] },
    'cora-compliance': { email: 'cora@idp.example', name: 'Cora Compliance', groups: ['compliance', 'auditors'] }, // highest wins
    'vic-viewer': { email: 'vic@idp.example', name: 'Vic Viewer', groups: ['auditors'] },
    'nora-nogroup': { email: '=2+3@idp.example', name: 'Nora No-Group', groups: ['canteen', '=HYPERLINK("x")'] },
  }
}

export interface RunningProvider {
  issuer: string
  clientId: string
  clientSecret: string
  accounts: Record<string, TestAccount>
  /** The env an app needs to use this provider. */
  env: (appUrl: string) => Record<string, string>
  stop: () => Promise<void>
}

export async function startOidcProvider(options: { redirectUris: string[]; clientId?: string; clientSecret?: string }): Promise<RunningProvider> {
  const accounts = testAccounts()
  const clientId = options.clientId ?? 'clausewise-test'
  const clientSecret = options.clientSecret ?? 'clausewise-test-secret-0123456789abcdef'
  // eslint-disable-next-line prefer-const -- kept as the test helper had it
  let handler: RequestListener | undefined
  const server: Server = createServer((req, res) => handler?.(req, res))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const provider = new Provider(issuer, {
    clients: [{ client_id: clientId, client_secret: clientSecret, redirect_uris: options.redirectUris, grant_types: ['authorization_code'], response_types: ['code'] }],
    scopes: ['openid', 'email', 'profile', 'groups'],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'], groups: ['groups'] },
    pkce: { required: () => true },
    ttl: { AccessToken: 600, AuthorizationCode: 60, IdToken: 600, Interaction: 600, Session: 3600, Grant: 3600 },
    cookies: { keys: ['oidc-test-cookie-key-0123456789'] },
    features: { devInteractions: { enabled: true } },
    async findAccount(_ctx: unknown, id: string) {
      const account = accounts[id]
      if (!account) return undefined
      return { accountId: id, claims: async () => ({ sub: id, email: account.email, email_verified: true, name: account.name, groups: account.groups }) }
    },
  })
  // Its own warnings (dev keys, dev interactions) are expected here.
  provider.on('server_error', (_ctx: unknown, error: Error) => console.warn('[oidc-provider]', error))
  handler = provider.callback()
  return {
    issuer,
    clientId,
    clientSecret,
    accounts,
    env: (appUrl) => ({
      APP_URL: appUrl,
      OIDC_ISSUER_URL: issuer,
      OIDC_CLIENT_ID: clientId,
      OIDC_CLIENT_SECRET: clientSecret,
      OIDC_DISPLAY_NAME: 'Bank ID',
      OIDC_SCOPES: 'openid email profile groups',
      OIDC_ROLE_MAP,
    }),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
