import type { ActionFunctionArgs } from '@remix-run/node'
import { checkVendorAccess, linkProblemJson } from '~/modules/assessments/access.server'
import { removeEvidenceSchema, reuseEvidenceSchema } from '~/modules/assessments/answer-schema'
import { addEvidence, removeEvidence, reuseEvidence } from '~/modules/assessments/portal.server'
import { jsonResponse, readJsonBody } from '~/modules/assessments/request.server'
import { EVIDENCE_MAX_BYTES } from '~/modules/evidence/policy'
import { discardBody, readFormData } from '~/modules/forms/read.server'
import { fieldErrorsOf } from '~/modules/forms/validation'

export const loader = () => new Response('Method Not Allowed', { status: 405 })

const tooLarge = () =>
  Response.json({ ok: false, fieldErrors: { file: [`vendorPortal:errors.fileTooLarge|${JSON.stringify({ max: EVIDENCE_MAX_BYTES / 1024 / 1024 })}`] } }, { status: 413 })

// Upload (multipart: questionId, file, kind, issuedOn, expiresOn), reuse of an earlier assessment's
// document (JSON: { intent: "reuse", questionId, fileId }) or removal (JSON: { intent: "remove", … }).
export async function action({ request, params }: ActionFunctionArgs) {
  const checked = await checkVendorAccess(params.token)
  if (!checked.ok) {
    await discardBody(request)
    return linkProblemJson(checked.problem)
  }
  const type = request.headers.get('content-type') ?? ''
  if (type.startsWith('multipart/form-data')) {
    // Capped while it is read (readFormData refuses what is announced as too big at once).
    let formData: FormData
    try {
      formData = await readFormData(request, { maxBytes: EVIDENCE_MAX_BYTES + 64 * 1024 })
    } catch (error) {
      if (error instanceof Response && error.status === 413) return tooLarge()
      return jsonResponse({ ok: false, fieldErrors: { file: ['vendorPortal:errors.badRequest'] } }, 400)
    }
    const upload = formData.get('file')
    if (upload instanceof File && upload.size > EVIDENCE_MAX_BYTES) return tooLarge()
    const field = (name: string) => {
      const value = formData.get(name)
      return typeof value === 'string' ? value : undefined
    }
    const result = await addEvidence(checked.access, {
      questionId: formData.get('questionId'),
      file: formData.get('file'),
      document: { kind: field('kind'), issuedOn: field('issuedOn'), expiresOn: field('expiresOn') },
    })
    return jsonResponse(result.body, result.status)
  }
  const body = await readJsonBody(request)
  if (!body.ok) return jsonResponse({ ok: false, fieldErrors: { _form: [body.error] } }, body.status)
  const reuse = reuseEvidenceSchema.safeParse(body.value)
  if (reuse.success) {
    const result = await reuseEvidence(checked.access, reuse.data)
    return jsonResponse(result.body, result.status)
  }
  const parsed = removeEvidenceSchema.safeParse(body.value)
  if (!parsed.success) return jsonResponse({ ok: false, fieldErrors: fieldErrorsOf(parsed.error) }, 400)
  const result = await removeEvidence(checked.access, parsed.data)
  return jsonResponse(result.body, result.status)
}
