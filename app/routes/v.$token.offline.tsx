import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { Link, useActionData, useLoaderData, useParams } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { getLocale } from '~/i18n/i18n.server'
import { clientAddressOf } from '~/modules/auth/throttle.server'
import { requireVendorAccess } from '~/modules/assessments/access.server'
import { editableQuestions } from '~/modules/assessments/portal.server'
import { offlineAction, offlinePreviewForPage } from '~/modules/assessments/offline-page.server'
import { OfflinePanel } from '~/modules/assessments/offline/offline-panel'

// /v/:token/offline: the questionnaire as a workbook to fill offline, uploaded back on the same link.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const access = await requireVendorAccess(params.token)
  const editable = editableQuestions(access.assessment)
  return {
    readOnly: editable !== 'all' && editable.size === 0,
    preview: await offlinePreviewForPage({ kind: 'link', access }, new URL(request.url), await getLocale(request)),
  }
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const access = await requireVendorAccess(params.token)
  return offlineAction({ kind: 'link', access }, request, await getLocale(request), clientAddressOf(context))
}

export default function VendorOffline() {
  const { readOnly, preview } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const { token } = useParams()
  const { t } = useTranslation('offline')
  return (
    <div className="mx-auto max-w-4xl">
      <p className="text-sm">
        <Link to={`/v/${token}`} className="text-sky-800 hover:underline">
          {t('page.back')}
        </Link>
      </p>
      <h1 className="mt-1 text-2xl font-semibold tracking-tight text-slate-900">{t('page.title')}</h1>
      <p className="mt-1 mb-6 text-sm text-slate-600">{t('page.intro')}</p>
      <OfflinePanel downloadHref={`/v/${token}/offline.xlsx`} preview={preview} result={result} readOnly={readOnly} />
    </div>
  )
}
