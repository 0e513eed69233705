import { model, Schema, type Types } from 'mongoose'
import { LOCALES, type Locale } from '../app/i18n/locales'
import { baseSchemaOptions, defineModel } from './shared'

// One document per distinct report issued: its SHA-256 fingerprint (printed in the PDF) and what
// it said in brief, so /reports/verify can tell whether a printed copy matches a report this
// system produced. Downloading the same content again finds the same fingerprint and only counts.

/** A report issued, as stored (lean). */
export interface ReportRecord {
  _id: Types.ObjectId
  fingerprint: string
  reportId: string
  shortCode?: string
  kind: 'assessment' | 'incident'
  assessmentId?: Types.ObjectId
  incidentId?: Types.ObjectId
  vendorId?: Types.ObjectId
  locale: Locale
  summary: {
    vendorName: { 'zh-CN': string; en: string }
    assessmentStatus: string
    controlScore?: number
    residualRisk?: string
    findings: number
    pages?: number
    signedOffAt?: Date
  }
  generatedAt: Date
  generatedBy: { id?: string; name?: string }
  lastGeneratedAt: Date
  lastGeneratedBy: { id?: string; name?: string }
  downloads: number
  version: number
  createdAt: Date
  updatedAt: Date
}

const localizedName = new Schema({ 'zh-CN': { type: String, default: '' }, en: { type: String, default: '' } }, { _id: false })
const actorSchema = new Schema({ id: { type: String }, name: { type: String } }, { _id: false })

const reportSchema = new Schema<ReportRecord>(
  {
    fingerprint: { type: String, required: true, match: /^[0-9a-f]{64}$/ },
    reportId: { type: String, required: true }, // as printed on the cover
    shortCode: { type: String }, // the fingerprint's first 16 hex digits, printed in every footer (public /verify)
    // What the report is about: an assessment, or (kind "incident") a data incident.
    kind: { type: String, enum: ['assessment', 'incident'], default: 'assessment' },
    assessmentId: { type: Schema.Types.ObjectId, ref: 'Assessment' },
    incidentId: { type: Schema.Types.ObjectId, ref: 'Incident' },
    vendorId: { type: Schema.Types.ObjectId, ref: 'Vendor' },
    locale: { type: String, enum: LOCALES, required: true },
    // What the report said, in brief: shown on the verification page to compare with a copy.
    summary: {
      vendorName: { type: localizedName, required: true },
      assessmentStatus: { type: String, required: true }, // for an incident report: the incident's status
      controlScore: { type: Number }, // absent when the assessment could not be scored
      residualRisk: { type: String },
      findings: { type: Number, default: 0 },
      pages: { type: Number },
      signedOffAt: { type: Date },
    },
    generatedAt: { type: Date, required: true }, // first issued
    generatedBy: { type: actorSchema, required: true },
    lastGeneratedAt: { type: Date, required: true },
    lastGeneratedBy: { type: actorSchema, required: true },
    downloads: { type: Number, default: 1 },
    version: { type: Number, default: 0 },
  },
  baseSchemaOptions,
)

reportSchema.index({ fingerprint: 1 }, { unique: true })
// Sparse: records issued before short codes existed have none (they verify by the full fingerprint).
reportSchema.index({ shortCode: 1 }, { unique: true, sparse: true })
reportSchema.index({ assessmentId: 1, lastGeneratedAt: -1 })

export const ReportModel = defineModel('Report', () => model<ReportRecord>('Report', reportSchema, 'reports'))
