import type { LoaderFunctionArgs } from '@remix-run/node'
import { redirect } from '@remix-run/node'
import { ProviderUnavailableError, startOidcSignIn } from '~/modules/auth/oidc.server'

// GET /auth/oidc/start?redirectTo=/…: a plain link from the sign-in page (a link, not a form, so
// the CSP's form-action 'self' need not list the provider), answered with a redirect to the provider.
export async function loader({ request }: LoaderFunctionArgs) {
  try {
    return await startOidcSignIn(request, new URL(request.url).searchParams.get('redirectTo'))
  } catch (error) {
    // The callback page explains, in both languages, that the provider cannot be reached.
    if (error instanceof ProviderUnavailableError) return redirect('/auth/oidc/callback?refused=unavailable')
    throw error
  }
}
