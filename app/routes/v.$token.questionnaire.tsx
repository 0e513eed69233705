import type { LoaderFunctionArgs } from '@remix-run/node'
import { useLoaderData, useParams } from '@remix-run/react'
import { useLocale } from '~/root'
import { requireVendorAccess } from '~/modules/assessments/access.server'
import { editableQuestions, portalView } from '~/modules/assessments/portal.server'
import { reusableDocuments, reusableForVendor } from '~/modules/documents/documents.server'
import { QuestionnaireForm } from '~/modules/assessments/portal/questionnaire-form'

export async function loader({ params }: LoaderFunctionArgs) {
  const access = await requireVendorAccess(params.token)
  // Only what the evidence step needs of the vendor's earlier documents (documents.server.ts).
  const editable = editableQuestions(access.assessment)
  const reusable = editable === 'all' || editable.size > 0 ? reusableForVendor(await reusableDocuments(access.assessment)) : []
  return { ...portalView(access), reusableDocuments: reusable }
}

export default function VendorQuestionnaire() {
  const view = useLoaderData<typeof loader>()
  const { token } = useParams()
  const locale = useLocale()
  // A language switch reloads the page; the form keeps its own state otherwise.
  return <QuestionnaireForm key={locale} view={view} token={token!} locale={locale} />
}
