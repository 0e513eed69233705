import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { useActionData, useLoaderData, useParams } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { getLocale, translatorFor } from '~/i18n/i18n.server'
import { clientAddressOf } from '~/modules/auth/throttle.server'
import { requireUser } from '~/modules/auth/session.server'
import { staffFiller } from '~/modules/assessments/offline-fill.server'
import { offlineAction, offlinePreviewForPage } from '~/modules/assessments/offline-page.server'
import { OfflinePanel } from '~/modules/assessments/offline/offline-panel'
import { editableQuestions } from '~/modules/assessments/portal.server'
import { GeneralErrorBoundary } from '~/components/general-error-boundary'
import { notFound } from '~/modules/http'

// /assessments/:id/offline: staff (assessment:manage) fill the vendor's questionnaire from a
// workbook on the vendor's behalf; recorded as such in the audit trail.
async function fillerFor(request: Request, assessmentId: string | undefined) {
  const user = await requireUser(request, 'assessment:manage')
  const filler = await staffFiller(String(assessmentId), user, await translatorFor(user.locale, 'offline'))
  if (!filler) throw notFound()
  return filler
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const filler = await fillerFor(request, params.assessmentId)
  const editable = editableQuestions(filler.access.assessment)
  return {
    readOnly: editable !== 'all' && editable.size === 0,
    preview: await offlinePreviewForPage(filler, new URL(request.url), await getLocale(request)),
  }
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const filler = await fillerFor(request, params.assessmentId)
  return offlineAction(filler, request, await getLocale(request), clientAddressOf(context))
}

export default function StaffOffline() {
  const { readOnly, preview } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const { assessmentId } = useParams()
  const { t } = useTranslation('offline')
  return (
    <div className="max-w-4xl">
      <h2 className="text-lg font-semibold text-slate-900">{t('staff.fillTitle')}</h2>
      <p className="mt-1 mb-4 text-sm text-slate-600">{t('staff.fillBody')}</p>
      <OfflinePanel downloadHref={`/assessments/${assessmentId}/offline.xlsx`} preview={preview} result={result} readOnly={readOnly} />
    </div>
  )
}

// An error here keeps the parent page's header and tabs around it.
export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
