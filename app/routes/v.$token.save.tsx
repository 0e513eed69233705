import type { ActionFunctionArgs } from '@remix-run/node'
import { autosave } from '~/modules/assessments/autosave-endpoint.server'
import { jsonResponse } from '~/modules/assessments/request.server'

export const loader = () => new Response('Method Not Allowed', { status: 405 })

// Autosave of one answer (JSON; also accepts text/plain, which is what navigator.sendBeacon posts).
// In production the server answers this URL before Remix (autosave-endpoint.server.ts) with the
// same function; this route serves it in development.
export async function action({ request, params }: ActionFunctionArgs) {
  const reply = await autosave(params.token, { contentType: request.headers.get('content-type') ?? '', declaredLength: Number(request.headers.get('content-length') ?? 0), text: () => request.text() })
  return jsonResponse(reply.body, reply.status)
}
