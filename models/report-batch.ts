import { model, Schema, type InferSchemaType, type Types } from 'mongoose'
import { LOCALES } from '../app/i18n/locales'
import { baseSchemaOptions, defineModel } from './shared'

// A batch download: the reports of a filtered set of assessments, zipped by the server in the
// background while the page polls `done` of `total`. The ZIP itself is in GridFS (bucket
// "report-batches", see app/modules/reports/batch.server.ts), deleted when it expires.

export const REPORT_BATCH_STATES = ['queued', 'running', 'done', 'failed'] as const

const reportBatchSchema = new Schema(
  {
    createdBy: { id: { type: String, required: true }, name: { type: String } },
    locale: { type: String, enum: LOCALES, required: true },
    filters: { type: Schema.Types.Mixed, default: {} }, // the parsed filters, for the record
    assessmentIds: { type: [Schema.Types.ObjectId], default: [] },
    total: { type: Number, required: true },
    done: { type: Number, default: 0 },
    state: { type: String, enum: REPORT_BATCH_STATES, default: 'queued' },
    fileId: { type: Schema.Types.ObjectId }, // the ZIP in GridFS bucket "report-batches" (complete once state is done)
    size: { type: Number },
    error: { type: String },
    finishedAt: { type: Date },
    expiresAt: { type: Date, required: true },
    version: { type: Number, default: 0 },
  },
  baseSchemaOptions,
)

reportBatchSchema.index({ 'createdBy.id': 1, createdAt: -1 })
reportBatchSchema.index({ expiresAt: 1 })

export type ReportBatchDocument = InferSchemaType<typeof reportBatchSchema> & { _id: Types.ObjectId }
export const ReportBatchModel = defineModel('ReportBatch', () => model('ReportBatch', reportBatchSchema, 'report_batches'))
