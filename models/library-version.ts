import { model, Schema, type Types } from 'mongoose'
import type { Questionnaire } from '../app/modules/library/content-schema'
import { baseSchemaOptions, defineModel } from './shared'

// A questionnaire version published in the app (from a draft, by a second person). It joins the
// versions shipped as YAML in questionnaires/ and, like them, never changes: assessments pin
// id + version and must keep meaning what they meant (docs/decisions/030).

/** A published questionnaire version as stored (lean). */
export interface LibraryVersionRecord {
  _id: Types.ObjectId
  questionnaireId: string
  version: number
  questionnaire: Questionnaire
  draftId: Types.ObjectId
  uploadedBy: { id: string; name?: string }
  publishedBy: { id: string; name?: string }
  createdAt: Date
}

const libraryVersionSchema = new Schema<LibraryVersionRecord>(
  {
    questionnaireId: { type: String, required: true },
    version: { type: Number, required: true },
    // The content exactly as validated by the meta-schema (content-schema.ts questionnaireSchema, the
    // one schema of questionnaires, with its unions such as evidence.requiredWhen): stored as it is,
    // typed as Questionnaire, not re-cast by a second, mongoose copy of that schema.
    questionnaire: { type: Schema.Types.Mixed, required: true },
    draftId: { type: Schema.Types.ObjectId, required: true }, // the draft it was published from
    uploadedBy: { id: { type: String, required: true }, name: { type: String } },
    publishedBy: { id: { type: String, required: true }, name: { type: String } },
  },
  { ...baseSchemaOptions, timestamps: { createdAt: true, updatedAt: false } },
)
// The commit point of publishing: a second publication of the same version fails here.
libraryVersionSchema.index({ questionnaireId: 1, version: 1 }, { unique: true })

export class LibraryVersionImmutableError extends Error {
  constructor(operation: string) {
    super(`published questionnaire versions never change: ${operation} refused`)
    this.name = 'LibraryVersionImmutableError'
  }
}
for (const operation of ['updateOne', 'updateMany', 'findOneAndUpdate', 'replaceOne', 'findOneAndReplace', 'deleteOne', 'deleteMany', 'findOneAndDelete'] as const) {
  libraryVersionSchema.pre(operation, { document: false, query: true }, function refuse() {
    throw new LibraryVersionImmutableError(operation)
  })
}
libraryVersionSchema.pre('save', function refuseResave() {
  if (!this.isNew) throw new LibraryVersionImmutableError('save of a published version')
})

export const LibraryVersionModel = defineModel('LibraryVersion', () => model<LibraryVersionRecord>('LibraryVersion', libraryVersionSchema, 'library_versions'))
