import type { LoaderFunctionArgs } from '@remix-run/node'
import { requireUser } from '~/modules/auth/session.server'
import { batchStatus } from '~/modules/reports/batch.server'

// The progress of a batch download as JSON, polled by /reports/batch (resource route).
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, 'report:download')
  const batch = await batchStatus(String(params.batchId), user.id)
  if (!batch) return Response.json({ error: 'not_found' }, { status: 404 })
  return Response.json(batch, { headers: { 'Cache-Control': 'no-store' } })
}
