import type { LoaderFunctionArgs } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { Card, PageHeader } from '~/components/ui'
import { requireUser } from '~/modules/auth/session.server'

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request, 'portal:read')
  return { name: user.name }
}

export default function Dashboard() {
  const { t } = useTranslation()
  const { name } = useLoaderData<typeof loader>()
  return (
    <div data-testid="dashboard">
      <PageHeader title={t('dashboard.title')} subtitle={t('dashboard.welcome', { name })} />
      <Card>
        <p className="text-sm text-slate-600">{t('dashboard.intro')}</p>
      </Card>
    </div>
  )
}
