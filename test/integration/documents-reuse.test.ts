// Vendor documents on the vendor's evidence step: the upload is checked with the document schema
// (expiry required for certificates and AoCs), and a still-valid document of the vendor's own
// earlier assessment is offered for reuse and attached as the same stored file — never another
// vendor's, never an expired one; removing it from the new assessment leaves the earlier one whole.
import { Types } from 'mongoose'
import mongoose from 'mongoose'
import { beforeAll, describe, expect, it } from 'vitest'
import { AssessmentModel } from '~models/assessment'
import { addEvidence, removeEvidence, reuseEvidence } from '~/modules/assessments/portal.server'
import { startAssessment } from '~/modules/assessments/start.server'
import { listVendorDocuments, reusableDocuments } from '~/modules/documents/documents.server'
import { openEvidence } from '~/modules/evidence/evidence.server'
import { access, inDays, startTestAssessment, tokensFromOutbox, useFixtureLibrary } from './assessments-helpers'

beforeAll(() => useFixtureLibrary())

const pdf = (name: string) => new File([Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n')], name, { type: 'application/pdf' })
const files = () => mongoose.connection.db!.collection('evidence.files')

async function nextAssessment(vendorId: string) {
  const { assessmentId } = await startAssessment({ vendorId, dueAt: inDays(30), trigger: { reason: 'manual' }, actor: { kind: 'user', id: new Types.ObjectId().toString(), name: 'Wang Procurement' } })
  return { assessmentId, token: [...(await tokensFromOutbox(assessmentId)).values()][0]! }
}

describe('documents on the evidence step', () => {
  it('an AoC without an expiry day is refused with a field message; with one it is stored with its kind and dates', async () => {
    const { assessmentId, token } = await startTestAssessment()
    const refused = await addEvidence(await access(token), { questionId: 'PAY-01', file: pdf('aoc.pdf'), document: { kind: 'pci_dss_aoc', issuedOn: '2026-01-05' } })
    expect(refused).toMatchObject({ status: 400, body: { fieldErrors: { expiresOn: ['documents:errors.expiryRequired'] } } })
    expect(await files().countDocuments({ 'metadata.assessmentId': assessmentId })).toBe(0)
    const stored = await addEvidence(await access(token), { questionId: 'PAY-01', file: pdf('aoc.pdf'), document: { kind: 'pci_dss_aoc', issuedOn: '2026-01-05', expiresOn: '2099-01-04' } })
    expect(stored.status).toBe(200)
    const answer = ((await AssessmentModel.findById(assessmentId).lean())!.answers as unknown as Record<string, { evidence: unknown[] }>)['PAY-01']
    expect(answer!.evidence).toMatchObject([{ filename: 'aoc.pdf', kind: 'pci_dss_aoc', issuedOn: '2026-01-05', expiresOn: '2099-01-04' }])
  })

  it('offers the vendor its own still-valid documents and attaches the same stored file', async () => {
    const first = await startTestAssessment()
    const other = await startTestAssessment()
    const upload = async (token: string, name: string, document: Record<string, string>) => {
      const result = await addEvidence(await access(token), { questionId: 'PAY-01', file: pdf(name), document })
      if (result.status !== 200) throw new Error(JSON.stringify(result.body))
      return result.body.evidence.at(-1)!.fileId
    }
    const valid = await upload(first.token, 'aoc-2026.pdf', { kind: 'pci_dss_aoc', expiresOn: '2099-06-30' })
    await upload(first.token, 'pentest-2019.pdf', { kind: 'pentest_report', issuedOn: '2019-01-01', expiresOn: '2020-01-01' })
    const foreign = await upload(other.token, 'theirs.pdf', { kind: 'dpa' })
    // Nothing is offered from an assessment the vendor can still change.
    const second0 = await nextAssessment(String(first.vendor._id))
    expect(await reusableDocuments((await access(second0.token)).assessment)).toEqual([])
    await AssessmentModel.updateMany({ _id: { $in: [first.assessmentId, other.assessmentId] } }, { $set: { status: 'completed' } })

    const second = await access(second0.token)
    const offered = await reusableDocuments(second.assessment)
    expect(offered.map((document) => document.filename)).toEqual(['aoc-2026.pdf']) // not the expired report, not the other vendor's DPA
    expect(await reuseEvidence(second, { questionId: 'PAY-01', fileId: foreign })).toMatchObject({ status: 404 })

    const reused = await reuseEvidence(second, { questionId: 'PAY-01', fileId: valid })
    expect(reused.status).toBe(200)
    // The vendor's browser gets the document's own fields only (no other assessment's id).
    expect(reused.status === 200 && reused.body.evidence).toEqual([{ fileId: valid, filename: 'aoc-2026.pdf', contentType: 'application/pdf', size: expect.any(Number), kind: 'pci_dss_aoc', issuedOn: null, expiresOn: '2099-06-30' }])
    expect(await files().countDocuments({ _id: new Types.ObjectId(valid) })).toBe(1)
    expect(await openEvidence(valid, second0.assessmentId)).not.toBeNull()
    // Listed once on the vendor's Documents tab, used by both assessments.
    const listed = (await listVendorDocuments(String(first.vendor._id))).filter((document) => document.fileId === valid)
    expect(listed.map((document) => document.usedBy.map((use) => use.assessmentId))).toEqual([[first.assessmentId, second0.assessmentId]])
    // Offered no more once attached.
    expect(await reusableDocuments((await access(second0.token)).assessment)).toEqual([])

    // Removing it from the new assessment: the earlier assessment keeps its file.
    expect((await removeEvidence(await access(second0.token), { questionId: 'PAY-01', fileId: valid })).status).toBe(200)
    expect(await openEvidence(valid, second0.assessmentId)).toBeNull()
    expect(await openEvidence(valid, first.assessmentId)).not.toBeNull()
  })
})
