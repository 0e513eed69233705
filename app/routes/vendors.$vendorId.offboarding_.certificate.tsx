import type { LoaderFunctionArgs } from '@remix-run/node'
import { requireUser } from '~/modules/auth/session.server'
import { evidenceResponse } from '~/modules/evidence/evidence.server'
import { notFound } from '~/modules/http'
import { openCertificate } from '~/modules/offboarding/certificate.server'
import { getOffboarding } from '~/modules/offboarding/offboarding.server'

// The vendor's deletion certificate, for staff: always an attachment with its sniffed type.
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireUser(request, 'portal:read')
  const offboarding = await getOffboarding(params.vendorId ?? '')
  const fileId = offboarding?.response?.certificate?.fileId
  if (!offboarding || !fileId) throw notFound()
  const file = await openCertificate(fileId, String(offboarding._id))
  if (!file) throw notFound()
  return evidenceResponse(file)
}
