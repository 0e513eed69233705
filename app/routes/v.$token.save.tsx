import type { ActionFunctionArgs } from '@remix-run/node'
import { checkVendorAccess, linkProblemJson } from '~/modules/assessments/access.server'
import { saveAnswer } from '~/modules/assessments/portal.server'
import { jsonResponse, readJsonBody } from '~/modules/assessments/request.server'

export const loader = () => new Response('Method Not Allowed', { status: 405 })

// Autosave of one answer (JSON; also accepts text/plain, which is what navigator.sendBeacon posts).
export async function action({ request, params }: ActionFunctionArgs) {
  const checked = await checkVendorAccess(params.token)
  if (!checked.ok) return linkProblemJson(checked.problem)
  const body = await readJsonBody(request)
  if (!body.ok) return jsonResponse({ ok: false, fieldErrors: { _form: [body.error] } }, body.status)
  const result = await saveAnswer(checked.access, body.value)
  return jsonResponse(result.body, result.status)
}
