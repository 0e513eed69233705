import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData, useSearchParams } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { Badge, ButtonLink, PageHeader } from '~/components/ui'
import { getEnv } from '~/env.server'
import { getLocale } from '~/i18n/i18n.server'
import { can } from '~/modules/auth/roles'
import { requireUser } from '~/modules/auth/session.server'
import { listIncidents } from '~/modules/incidents/incidents.server'
import { IncidentTable } from '~/modules/incidents/ui/incident-table'

export const meta: MetaFunction = () => [{ title: 'Clausewise · Incidents' }]

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request, 'portal:read')
  const open = new URL(request.url).searchParams.get('open') === '1'
  return { incidents: await listIncidents({ open }, await getLocale(request)), canReport: can(user.role, 'incident:report'), timeZone: getEnv().INSTITUTION_TIMEZONE }
}

export default function IncidentRegister() {
  const { t } = useTranslation('incidents')
  const data = useLoaderData<typeof loader>()
  const [params] = useSearchParams()
  const open = params.get('open') === '1'
  return (
    <div data-testid="incident-register">
      <PageHeader title={t('list.title')} subtitle={t('subtitle')} actions={data.canReport ? <ButtonLink to="/incidents/new">{t('list.new')}</ButtonLink> : null} />
      <div className="mb-3 flex gap-3 text-sm">
        <Link to="/incidents" className={open ? 'text-sky-800 hover:underline' : 'font-semibold text-slate-900'}>
          {t('list.all')}
        </Link>
        <Link to="/incidents?open=1" className={open ? 'font-semibold text-slate-900' : 'text-sky-800 hover:underline'}>
          {t('list.openOnly')}
        </Link>
        {data.incidents.length ? <Badge>{data.incidents.length}</Badge> : null}
      </div>
      <IncidentTable incidents={data.incidents} timeZone={data.timeZone} showVendor empty={t('list.empty')} />
    </div>
  )
}
