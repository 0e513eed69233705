import { describe, expect, it } from 'vitest'
import { ReportBatchModel } from '~models/report-batch'
import { batchStatus, openBatchZip, previewBatch, startBatch } from '~/modules/reports/batch.server'
import { verifyFingerprint } from '~/modules/reports/issue.server'
import { batchFilterSchema } from '~/modules/reports/schemas'
import { seedReportableAssessment } from './reports-support'

const compliance = { id: '665f00000000000000000011', name: 'Li Hegui 李合规' }
const someoneElse = '665f00000000000000000012'

/** The entries of a ZIP file, read from its central directory (entries are stored, not compressed). */
function readZip(zip: Buffer): Map<string, Buffer> {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]))
  const count = zip.readUInt16LE(end + 10)
  let offset = zip.readUInt32LE(end + 16)
  const entries = new Map<string, Buffer>()
  for (let i = 0; i < count; i++) {
    const method = zip.readUInt16LE(offset + 10)
    const size = zip.readUInt32LE(offset + 20)
    const nameLength = zip.readUInt16LE(offset + 28)
    const extraLength = zip.readUInt16LE(offset + 30)
    const commentLength = zip.readUInt16LE(offset + 32)
    const local = zip.readUInt32LE(offset + 42)
    const name = zip.subarray(offset + 46, offset + 46 + nameLength).toString('utf8')
    expect(method, name).toBe(0)
    const dataStart = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28)
    entries.set(name, zip.subarray(dataStart, dataStart + size))
    offset += 46 + nameLength + extraLength + commentLength
  }
  return entries
}

async function waitForBatch(batchId: string) {
  const seen: number[] = []
  for (let i = 0; i < 300; i++) {
    const view = await batchStatus(batchId, compliance.id)
    if (!view) throw new Error('batch vanished')
    seen.push(view.done)
    if (view.state === 'done' || view.state === 'failed') return { view, seen }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error('batch did not finish')
}

describe('batch download of reports', () => {
  it('zips the reports of the assessments the filter selects, counting its progress', async () => {
    const a = await seedReportableAssessment({ status: 'completed', nameEn: 'Alpha Pay Ltd', tier: 1 })
    const b = await seedReportableAssessment({ status: 'completed', nameEn: 'Beta Cloud Ltd', category: 'cloud_it', tier: 2 })
    await seedReportableAssessment({ status: 'under_review', nameEn: 'Gamma Pay Ltd' })
    await seedReportableAssessment({ status: 'in_progress', nameEn: 'Delta Pay Ltd' })

    const all = batchFilterSchema.parse({ lang: 'en' })
    expect((await previewBatch(all, 'en')).total).toBe(3) // not the one still in progress
    expect((await previewBatch(batchFilterSchema.parse({ status: 'completed', lang: 'en' }), 'en')).total).toBe(2)
    expect((await previewBatch(batchFilterSchema.parse({ status: 'completed', category: 'cloud_it', lang: 'en' }), 'en')).rows.map((row) => row.id)).toEqual([b.assessmentId])
    expect((await previewBatch(batchFilterSchema.parse({ tier: '1', lang: 'en' }), 'en')).rows.map((row) => row.id)).toContain(a.assessmentId)
    expect((await previewBatch(batchFilterSchema.parse({ from: '2025-03-02', lang: 'en' }), 'en')).total).toBe(0) // all submitted on 1 March
    expect((await previewBatch(batchFilterSchema.parse({ from: '2025-03-01', to: '2025-03-01', lang: 'en' }), 'en')).total).toBe(3)

    const started = await startBatch(batchFilterSchema.parse({ status: 'completed', lang: 'en' }), compliance)
    if (!started.ok) throw new Error(`not started: ${started.reason}`)
    const { view, seen } = await waitForBatch(started.batchId)
    expect(view).toMatchObject({ state: 'done', done: 2, total: 2 })
    expect(seen.every((done, index) => index === 0 || done >= seen[index - 1]!)).toBe(true)

    const zip = await openBatchZip(started.batchId, compliance.id)
    if (!zip) throw new Error('no zip')
    const entries = readZip(Buffer.from(await new Response(zip.body).arrayBuffer()))
    const pdfs = [...entries.keys()].filter((name) => name.endsWith('.pdf')).sort()
    expect(pdfs).toEqual([`alpha-pay-ltd_${a.assessmentId}_en.pdf`, `beta-cloud-ltd_${b.assessmentId}_en.pdf`])
    for (const name of pdfs) expect(entries.get(name)!.subarray(0, 5).toString()).toBe('%PDF-')

    // The manifest lists each report's fingerprint, and each verifies.
    const manifest = entries.get('manifest.csv')!.toString('utf8').replace(/^\ufeff/, '').trim().split('\r\n')
    expect(manifest[0]).toBe('file,report_id,fingerprint,assessment_id,vendor,status,pages')
    expect(manifest).toHaveLength(3)
    for (const row of manifest.slice(1)) {
      const fingerprint = row.split(',')[2]!
      expect((await verifyFingerprint(fingerprint)).status).toBe('genuine')
    }
  })

  it('is only visible to the person who asked for it', async () => {
    await seedReportableAssessment({ status: 'completed' })
    const started = await startBatch(batchFilterSchema.parse({ status: 'completed', lang: 'zh-CN' }), compliance)
    if (!started.ok) throw new Error('not started')
    await waitForBatch(started.batchId)
    expect(await batchStatus(started.batchId, someoneElse)).toBeNull()
    expect(await openBatchZip(started.batchId, someoneElse)).toBeNull()
    expect(await batchStatus('not-an-id', compliance.id)).toBeNull()
  })

  it('starts nothing when no assessment matches, and expires', async () => {
    expect(await startBatch(batchFilterSchema.parse({ from: '2030-01-01', lang: 'en' }), compliance)).toEqual({ ok: false, reason: 'none', total: 0 })
    await seedReportableAssessment({ status: 'completed' })
    const started = await startBatch(batchFilterSchema.parse({ lang: 'en' }), compliance)
    if (!started.ok) throw new Error('not started')
    await waitForBatch(started.batchId)
    await ReportBatchModel.updateOne({ _id: started.batchId }, { $set: { expiresAt: new Date(Date.now() - 1000) } })
    expect((await batchStatus(started.batchId, compliance.id))?.state).toBe('expired')
    expect(await openBatchZip(started.batchId, compliance.id)).toBeNull()
  })

  it('refuses bad filters with field messages', () => {
    const result = batchFilterSchema.safeParse({ status: 'everything', tier: '9', from: '2025-13-45', to: '2025-01-01', lang: 'fr' })
    expect(result.success).toBe(false)
    const paths = result.error!.issues.map((issue) => issue.path.join('.'))
    expect(paths).toEqual(expect.arrayContaining(['status', 'tier', 'from', 'lang']))
    expect(batchFilterSchema.safeParse({ from: '2025-03-02', to: '2025-03-01' }).error?.issues[0]?.path).toEqual(['to'])
  })
})
