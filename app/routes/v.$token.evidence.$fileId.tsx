import type { LoaderFunctionArgs } from '@remix-run/node'
import { checkVendorAccess, linkProblemJson } from '~/modules/assessments/access.server'
import { evidenceResponse, openEvidence } from '~/modules/evidence/evidence.server'

// A file the vendor attached, served only through a link to the same assessment.
export async function loader({ params }: LoaderFunctionArgs) {
  const checked = await checkVendorAccess(params.token)
  if (!checked.ok) return linkProblemJson(checked.problem)
  const file = await openEvidence(String(params.fileId), checked.access.assessment._id.toString())
  if (!file) return new Response('Not found', { status: 404 })
  return evidenceResponse(file)
}
