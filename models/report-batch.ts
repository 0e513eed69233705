import { model, Schema, type Types } from 'mongoose'
import { LOCALES, type Locale } from '../app/i18n/locales'
import type { BatchFilter } from '../app/modules/reports/schemas'
import { baseSchemaOptions, defineModel } from './shared'

// A batch download: the reports of a filtered set of assessments, zipped by the server in the
// background while the page polls `done` of `total`. The ZIP itself is in GridFS (bucket
// "report-batches", see app/modules/reports/batch.server.ts), deleted when it expires.

export const REPORT_BATCH_STATES = ['queued', 'running', 'done', 'failed'] as const
export type ReportBatchState = (typeof REPORT_BATCH_STATES)[number]

/** A batch download as stored (lean). */
export interface ReportBatchRecord {
  _id: Types.ObjectId
  createdBy: { id: string; name?: string }
  locale: Locale
  filters: BatchFilter
  assessmentIds: Types.ObjectId[]
  total: number
  done: number
  state: ReportBatchState
  fileId?: Types.ObjectId
  size?: number
  error?: string
  finishedAt?: Date
  expiresAt: Date
  version: number
  createdAt: Date
  updatedAt: Date
}

// The parsed filters (reports/schemas.ts batchFilterSchema, which checked them), kept for the record.
const batchFilterSchema = new Schema<BatchFilter>(
  {
    status: { type: String },
    tier: { type: Number },
    category: { type: String },
    from: { type: String },
    to: { type: String },
    lang: { type: String, enum: LOCALES },
  },
  { _id: false },
)

const reportBatchSchema = new Schema<ReportBatchRecord>(
  {
    createdBy: { id: { type: String, required: true }, name: { type: String } },
    locale: { type: String, enum: LOCALES, required: true },
    filters: { type: batchFilterSchema, default: {} },
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

export const ReportBatchModel = defineModel('ReportBatch', () => model<ReportBatchRecord>('ReportBatch', reportBatchSchema, 'report_batches'))
