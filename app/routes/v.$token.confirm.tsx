import type { ActionFunctionArgs } from '@remix-run/node'
import { checkVendorAccessForWrite, linkProblemJson } from '~/modules/assessments/access.server'
import { confirmSection } from '~/modules/assessments/portal.server'
import { jsonResponse, readJsonBody } from '~/modules/assessments/request.server'
import { discardBody } from '~/modules/forms/read.server'

export const loader = () => new Response('Method Not Allowed', { status: 405 })

// "Nothing changed in this section" (JSON: { questionnaireId, sectionId }): the section's carried
// answers become the vendor's own in one conditional update.
export async function action({ request, params }: ActionFunctionArgs) {
  const checked = await checkVendorAccessForWrite(params.token)
  if (!checked.ok) {
    await discardBody(request)
    return linkProblemJson(checked.problem)
  }
  const body = await readJsonBody(request)
  if (!body.ok) return jsonResponse({ ok: false, fieldErrors: { _form: [body.error] } }, body.status)
  const result = await confirmSection(checked.access, body.value)
  return jsonResponse(result.body, result.status)
}
