import { model, Schema, type InferSchemaType, type Types } from 'mongoose'
import { baseSchemaOptions, defineModel } from './shared'

// A questionnaire version published in the app (from a draft, by a second person). It joins the
// versions shipped as YAML in questionnaires/ and, like them, never changes: assessments pin
// id + version and must keep meaning what they meant (docs/decisions/030).

const libraryVersionSchema = new Schema(
  {
    questionnaireId: { type: String, required: true },
    version: { type: Number, required: true },
    questionnaire: { type: Schema.Types.Mixed, required: true }, // the validated content (content-schema.ts Questionnaire)
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

export type LibraryVersionDocument = InferSchemaType<typeof libraryVersionSchema> & { _id: Types.ObjectId }
export const LibraryVersionModel = defineModel('LibraryVersion', () => model('LibraryVersion', libraryVersionSchema, 'library_versions'))
