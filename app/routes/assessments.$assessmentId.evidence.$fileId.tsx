import type { LoaderFunctionArgs } from '@remix-run/node'
import { requireUser } from '~/modules/auth/session.server'
import { openAssessmentEvidence } from '~/modules/assessments/assessments.server'
import { evidenceResponse } from '~/modules/evidence/evidence.server'
import { notFound } from '~/modules/http'

// Staff download of a vendor's evidence file (only files of this assessment).
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireUser(request, 'portal:read')
  const file = await openAssessmentEvidence(String(params.assessmentId), String(params.fileId))
  if (!file) throw notFound()
  return evidenceResponse(file)
}
