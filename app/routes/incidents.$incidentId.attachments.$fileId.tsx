import type { LoaderFunctionArgs } from '@remix-run/node'
import { requireUser } from '~/modules/auth/session.server'
import { notFound } from '~/modules/http'
import { attachmentResponse, openAttachment } from '~/modules/incidents/attachments.server'

// An incident's attachment for staff: only a file that belongs to this incident.
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireUser(request, 'portal:read')
  const file = await openAttachment(params.fileId ?? '', params.incidentId ?? '')
  if (!file) throw notFound()
  return attachmentResponse(file)
}
