import type { ActionFunctionArgs } from '@remix-run/node'
import { redirect } from '@remix-run/node'
import { localeCookie } from '~/i18n/i18n.server'
import { localeChoiceSchema } from '~/modules/auth/schemas'
import { getSessionUser, safeRedirect } from '~/modules/auth/session.server'
import { setUserLocale } from '~/modules/auth/users.server'
import { parseForm } from '~/modules/forms/parse.server'

export const loader = () => redirect('/')

// Remembered in a cookie for everyone (vendors too) and on the staff user's record.
export async function action({ request }: ActionFunctionArgs) {
  const parsed = await parseForm(request, localeChoiceSchema)
  if (!parsed.ok) throw new Response('Unsupported language', { status: 400 })
  const user = await getSessionUser(request)
  if (user) await setUserLocale(user.id, parsed.value.locale)
  return redirect(safeRedirect(parsed.value.redirectTo), {
    headers: { 'Set-Cookie': await localeCookie.serialize(parsed.value.locale) },
  })
}
