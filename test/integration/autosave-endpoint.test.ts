// The autosave endpoint's one-round-trip path: the update is pinned to the version of the state
// this process last saw, so it must still refuse revoked links, report real conflicts, keep the
// stored progress exact and never report a false conflict when that state is out of date.
import mongoose from 'mongoose'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { AssessmentModel } from '~models/assessment'
import { autosave } from '~/modules/assessments/autosave-endpoint.server'
import { questionnairesOf } from '~/modules/assessments/catalog.server'
import { progressOf } from '~/modules/assessments/questions'
import { revokeInvitation } from '~/modules/assessments/invitations.server'
import { hashAccessToken } from '~/modules/assessments/tokens.server'
import { readAssessment, startTestAssessment, useFixtureLibrary } from './assessments-helpers'

beforeAll(() => useFixtureLibrary())

const staff = { kind: 'user' as const, id: '64b000000000000000000001', name: 'Wang Procurement' }
const post = (token: string, body: unknown) => {
  const text = JSON.stringify(body)
  return autosave(token, { contentType: 'application/json', declaredLength: Buffer.byteLength(text), text: async () => text })
}
type Answers = Record<string, { value: unknown; rev: number }>

/** Counts the commands the app sends to the database while `run` runs. */
async function commandsDuring(run: () => Promise<unknown>): Promise<string[]> {
  const seen: string[] = []
  mongoose.set('debug', (collection: string, method: string) => void seen.push(`${collection}.${method}`))
  try {
    await run()
  } finally {
    mongoose.set('debug', false)
  }
  return seen
}
afterEach(() => void mongoose.set('debug', false))

describe('autosave in one round trip', () => {
  it('once the assessment is known, a save is one update, and the stored progress is exact', async () => {
    const { assessmentId, token } = await startTestAssessment()
    expect((await post(token, { questionId: 'GOV-01', baseRev: 0, value: 'yes', comment: null })).status).toBe(200)
    const commands = await commandsDuring(() => post(token, { questionId: 'GOV-03', baseRev: 0, value: 12, comment: null }))
    expect(commands).toEqual(['assessments.updateOne'])
    const stored = await readAssessment(assessmentId)
    expect((stored!.answers as unknown as Answers)['GOV-03']).toMatchObject({ value: 12, rev: 1 })
    // Exact: what the progress rule gives for the stored answers (GOV-01's answer also wants evidence).
    const expected = progressOf(questionnairesOf(stored!.questionnaires), stored!.answers as never)
    expect(stored!.progress).toMatchObject({ answered: expected.answered, required: expected.required, percent: expected.percent })
    expect(expected.answered).toBe(1)
  })

  it('refuses a link revoked after the process last saw the assessment, and changes nothing', async () => {
    const { assessmentId, token } = await startTestAssessment()
    expect((await post(token, { questionId: 'GOV-01', baseRev: 0, value: 'yes', comment: null })).status).toBe(200)
    const invitation = (await readAssessment(assessmentId))!.invitations.find((i) => i.tokenHash === hashAccessToken(token))!
    await revokeInvitation(assessmentId, invitation._id.toString(), staff)
    const refused = await post(token, { questionId: 'GOV-01', baseRev: 1, value: 'no', comment: null })
    expect(refused).toEqual({ status: 403, body: { ok: false, linkProblem: 'revoked' } })
    expect(((await readAssessment(assessmentId))!.answers as unknown as Answers)['GOV-01']).toMatchObject({ value: 'yes', rev: 1 })
  })

  it('when another instance saved meanwhile: no false conflict on another answer, a real one on the same, progress counts both', async () => {
    const { assessmentId, token } = await startTestAssessment()
    expect((await post(token, { questionId: 'GOV-01', baseRev: 0, value: 'yes', comment: null })).status).toBe(200)
    // Another app instance (this process does not see it) saves GOV-03, as the app does.
    await AssessmentModel.collection.updateOne(
      { _id: new mongoose.Types.ObjectId(assessmentId) },
      { $set: { 'answers.GOV-03': { value: 7, comment: null, rev: 1, updatedAt: new Date(), updatedBy: 'Other tab', evidence: [] } }, $inc: { version: 1 } },
    )
    const other = await post(token, { questionId: 'SEC-03', baseRev: 0, value: 'Alice', comment: null })
    expect(other.status).toBe(200)
    const same = await post(token, { questionId: 'GOV-03', baseRev: 0, value: 8, comment: null })
    expect(same.status).toBe(409)
    expect(same.body).toMatchObject({ conflict: { questionId: 'GOV-03', theirs: { value: 7, rev: 1, updatedBy: 'Other tab' }, yours: { value: 8, baseRev: 0 } } })
    const stored = await readAssessment(assessmentId)
    expect((stored!.answers as unknown as Answers)['GOV-03']).toMatchObject({ value: 7, rev: 1 })
    // Counted from everything stored, the other instance's answer included.
    const expected = progressOf(questionnairesOf(stored!.questionnaires), stored!.answers as never)
    expect(expected.missing).not.toContain('GOV-03')
    expect(stored!.progress).toMatchObject({ answered: expected.answered, required: expected.required, percent: expected.percent })
  })

  it('validates the value with the questionnaire schema and refuses bad bodies with 4xx', async () => {
    const { token } = await startTestAssessment()
    const invalid = await post(token, { questionId: 'GOV-03', baseRev: 0, value: 'many', comment: null })
    expect(invalid.status).toBe(400)
    expect(await autosave(token, { contentType: 'text/html', declaredLength: 2, text: async () => '{}' })).toMatchObject({ status: 415 })
    expect(await autosave(token, { contentType: 'application/json', declaredLength: 10, text: async () => null })).toMatchObject({ status: 413 })
    expect(await autosave(token, { contentType: 'application/json', declaredLength: 3, text: async () => '{x}' })).toMatchObject({ status: 400 })
    expect(await autosave('not-a-token', { contentType: 'application/json', declaredLength: 2, text: async () => '{}' })).toMatchObject({ status: 401 })
  })
})

describe('the autosave node route and bodies it refuses on their headers', () => {
  it('reads and drops the body before answering 415 or 413, so the client gets the answer, not a cut connection', async () => {
    const { createServer } = await import('node:http')
    const { autosaveNodeHandler } = await import('~/modules/assessments/autosave-endpoint.server')
    const { Agent } = await import('undici')
    const noKeepAlive = new Agent({ pipelining: 0 })
    const { token } = await startTestAssessment()
    const server = createServer((request, response) => autosaveNodeHandler(Object.assign(request, { params: { token } }), response))
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as { port: number }
    try {
      const big = 'a'.repeat(6 * 1024 * 1024)
      const outcomes: string[] = []
      for (let i = 0; i < 6; i++) {
        const [contentType, body] = i % 2 === 0 ? ['application/x-www-form-urlencoded', `name=${big}`] : ['application/json', JSON.stringify({ questionId: 'GOV-01', comment: big })]
        try {
          // Sent in pieces with pauses, as over a slow uplink: the answer comes while the body is still arriving.
          const bytes = Buffer.from(body)
          let offset = 0
          const stream = new ReadableStream<Uint8Array>({
            async pull(controller) {
              if (offset >= bytes.length) return controller.close()
              await new Promise((resolve) => setTimeout(resolve, 2))
              controller.enqueue(bytes.subarray(offset, (offset += 256 * 1024)))
            },
          })
          const response = await fetch(`http://127.0.0.1:${port}/v/${token}/save`, {
            method: 'POST',
            headers: { 'content-type': contentType, 'content-length': String(bytes.length) },
            body: stream,
            duplex: 'half',
            signal: AbortSignal.timeout(10_000),
            dispatcher: noKeepAlive, // the server closes the connection after its answer
          } as RequestInit)
          outcomes.push(`${contentType} ${response.status} ${(await response.json() as { ok: boolean }).ok}`)
        } catch (error) {
          outcomes.push(`${contentType} no answer: ${String(error)}`)
        }
      }
      expect(outcomes).toEqual(Array.from({ length: 6 }, (_, i) => (i % 2 === 0 ? 'application/x-www-form-urlencoded 415 false' : 'application/json 413 false')))
    } finally {
      await new Promise((resolve) => server.close(resolve))
    }
  })
})
