// The signed-in user's sessions: device, address at sign-in, last seen; any can be ended.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { redirect } from '@remix-run/node'
import { Form, Link, useLoaderData, useSearchParams } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { Badge, Card, PageHeader } from '~/components/ui'
import { getSecuritySettings } from '~/modules/auth/security-settings.server'
import { getSessionId, requireUser } from '~/modules/auth/session.server'
import { endOwnSession, listSessions } from '~/modules/auth/sessions.server'
import { invalid } from '~/modules/forms/parse.server'
import { readFormData } from '~/modules/forms/read.server'

export const meta: MetaFunction = () => [{ title: 'Clausewise · Sessions / 会话' }]

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const settings = await getSecuritySettings()
  return { sessions: await listSessions(user.id, await getSessionId(request)), idle: settings.sessionIdleMinutes, hours: settings.sessionAbsoluteHours }
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const sessionId = (await readFormData(request)).get('sessionId')
  if (typeof sessionId !== 'string' || !(await endOwnSession(user, sessionId))) return invalid({}, 'errors:notFound', 404)
  return redirect(sessionId === (await getSessionId(request)) ? '/login' : '/account/sessions?ended=1')
}

export default function SessionsPage() {
  const { t, i18n } = useTranslation('auth')
  const { sessions, idle, hours } = useLoaderData<typeof loader>()
  const [search] = useSearchParams()
  const when = (iso: string) => new Date(iso).toLocaleString(i18n.language)
  return (
    <div className="max-w-4xl">
      <PageHeader title={t('sessions.title')} subtitle={t('sessions.subtitle')} actions={<Link to="/account/two-factor" className="text-sm text-sky-800 underline">{t('sessions.twoFactorLink')}</Link>} />
      {search.get('ended') === '1' ? (
        <p role="status" className="mb-4 rounded-md border border-emerald-200 bg-emerald-50 px-4 py-3 text-sm text-emerald-800" data-testid="session-ended">
          {t('sessions.ended')}
        </p>
      ) : null}
      <Card>
        <table className="w-full text-left text-sm" data-testid="sessions">
          <thead className="text-xs uppercase text-slate-500">
            <tr>
              <th className="py-2">{t('sessions.device')}</th>
              <th>{t('sessions.ip')}</th>
              <th>{t('sessions.signedIn')}</th>
              <th>{t('sessions.lastSeen')}</th>
              <th>
                <span className="sr-only">{t('sessions.end')}</span>
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {sessions.map((session) => (
              <tr key={session.id} data-testid="session-row" data-current={session.current ? 'true' : undefined}>
                <td className="py-2">
                  {session.device.browser && session.device.os ? t('sessions.on', session.device) : session.device.browser || session.device.os || t('sessions.unknownDevice')}{' '}
                  {session.current ? <Badge tone="info">{t('sessions.current')}</Badge> : null}
                </td>
                <td className="font-mono text-xs">{session.ip ?? '—'}</td>
                <td className="text-slate-500">{when(session.signedInAt)}</td>
                <td className="text-slate-500">{when(session.lastSeenAt)}</td>
                <td className="text-right">
                  <Form method="post">
                    <input type="hidden" name="sessionId" value={session.id} />
                    <button type="submit" className="text-xs text-sky-800 underline" data-testid={`end-session-${session.id}`}>
                      {t('sessions.end')}
                    </button>
                  </Form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="mt-3 text-xs text-slate-500">{t('sessions.limits', { idle, hours })}</p>
      </Card>
    </div>
  )
}
