// A batch ZIP lives in the database, not in a temporary folder of the instance that built it:
// another process serves the download, nothing is written to the temporary folder, and the sweep
// deletes expired ZIPs (and the chunks of one a crash cut off).
import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, readdirSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import mongoose, { Types } from 'mongoose'
import { describe, expect, it } from 'vitest'
import { ReportBatchModel } from '~models/report-batch'
import { batchStatus, openBatchZip, startBatch, sweepExpiredBatches } from '~/modules/reports/batch.server'
import { batchFilterSchema } from '~/modules/reports/schemas'
import { seedReportableAssessment } from './reports-support'

const run = promisify(execFile)
const compliance = { id: '665f00000000000000000021', name: 'Wang Hegui 王合规' }
const READER = path.join(__dirname, 'report-batch-reader.ts')
const files = () => mongoose.connection.db!.collection('report-batches.files')
const chunks = () => mongoose.connection.db!.collection('report-batches.chunks')

async function finishedBatch() {
  await seedReportableAssessment({ status: 'completed', nameEn: 'Storage Pay Ltd' })
  const started = await startBatch(batchFilterSchema.parse({ status: 'completed', lang: 'en' }), compliance)
  if (!started.ok) throw new Error(`not started: ${started.reason}`)
  for (let i = 0; i < 300; i++) {
    const view = await batchStatus(started.batchId, compliance.id)
    if (view?.state === 'done') return started.batchId
    if (view?.state === 'failed') throw new Error('batch failed')
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error('batch did not finish')
}

describe('batch ZIP storage', () => {
  it('is served by another process, byte for byte, and never touches the temporary folder', async () => {
    const tempFolder = path.join(os.tmpdir(), 'clausewise-report-batches')
    const before = existsSync(tempFolder) ? readdirSync(tempFolder).length : 0
    const batchId = await finishedBatch()
    expect(existsSync(tempFolder) ? readdirSync(tempFolder).length : 0).toBe(before)

    const zip = await openBatchZip(batchId, compliance.id)
    const local = Buffer.from(await new Response(zip!.body).arrayBuffer())
    expect(local.subarray(0, 2).toString()).toBe('PK')
    const { stdout } = await run(process.execPath, ['--import', 'tsx', READER, batchId, compliance.id], { env: { ...process.env, NODE_ENV: 'test' }, cwd: path.resolve(__dirname, '../..') })
    const remote = JSON.parse(stdout) as { found: boolean; size: number; length: number; sha256: string }
    expect(remote).toEqual({ found: true, size: local.length, length: local.length, sha256: createHash('sha256').update(local).digest('hex') })
    expect((await ReportBatchModel.findById(batchId).lean())!.size).toBe(local.length)
  })

  it('deletes expired ZIPs and a day-old upload a crash cut off; leaves live ones', async () => {
    const live = await finishedBatch()
    const expired = await finishedBatch()
    await ReportBatchModel.updateOne({ _id: expired }, { $set: { expiresAt: new Date(Date.now() - 1000) } })
    // A batch whose instance died mid-upload a day ago: chunks but no file record.
    const cutOff = new Types.ObjectId()
    const crashed = await ReportBatchModel.create({ createdBy: compliance, locale: 'en', total: 3, done: 1, state: 'running', fileId: cutOff, expiresAt: new Date(Date.now() + 3_600_000) })
    await ReportBatchModel.collection.updateOne({ _id: crashed._id }, { $set: { createdAt: new Date(Date.now() - 25 * 3_600_000) } })
    await chunks().insertOne({ files_id: cutOff, n: 0, data: new mongoose.mongo.Binary(Buffer.from('PK partial')) })

    const expiredFile = (await ReportBatchModel.findById(expired).lean())!.fileId!
    expect(await sweepExpiredBatches()).toBe(2)
    expect(await files().countDocuments({ _id: expiredFile })).toBe(0)
    expect(await chunks().countDocuments({ files_id: { $in: [expiredFile, cutOff] } })).toBe(0)
    expect(await openBatchZip(expired, compliance.id)).toBeNull()

    const liveFile = (await ReportBatchModel.findById(live).lean())!.fileId!
    expect(await files().countDocuments({ _id: liveFile })).toBe(1)
    expect(await openBatchZip(live, compliance.id)).not.toBeNull()
    expect(await sweepExpiredBatches()).toBe(0)
  })
})
