import { model, Schema, type Types } from 'mongoose'
import type { ClauseLibrary, ContractTemplate } from '../app/modules/library/content-schema'
import { baseSchemaOptions, defineModel } from './shared'

// A version of shared library content other than a questionnaire, published in the app from a
// draft by a second person: today the clause library together with the contract templates
// (kind 'clause-library'). Immutable like LibraryVersion; the newest one replaces the YAML-shipped
// clauses.yaml and contract-templates.yaml for new contracts and scoring (docs/decisions/032).

export const CONTENT_VERSION_KINDS = ['clause-library'] as const

/** The clause library with the contract templates, as validated (content-schema.ts). */
export interface ClauseLibraryContent {
  clauseLibrary: ClauseLibrary
  templates: ContractTemplate[]
}

/** A published version of library content as stored (lean). */
export interface LibraryContentVersionRecord {
  _id: Types.ObjectId
  kind: (typeof CONTENT_VERSION_KINDS)[number]
  version: number
  content: ClauseLibraryContent
  draftId: Types.ObjectId
  uploadedBy: { id: string; name?: string }
  publishedBy: { id: string; name?: string }
  createdAt: Date
}

const libraryContentVersionSchema = new Schema<LibraryContentVersionRecord>(
  {
    kind: { type: String, enum: CONTENT_VERSION_KINDS, required: true },
    version: { type: Number, required: true },
    // The content exactly as validated by the meta-schema (content-schema.ts clauseLibrarySchema and
    // contractTemplatesSchema): stored as it is, typed, not re-cast by a mongoose copy of that schema.
    content: { type: Schema.Types.Mixed, required: true },
    draftId: { type: Schema.Types.ObjectId, required: true },
    uploadedBy: { id: { type: String, required: true }, name: { type: String } },
    publishedBy: { id: { type: String, required: true }, name: { type: String } },
  },
  { ...baseSchemaOptions, timestamps: { createdAt: true, updatedAt: false } },
)
// The commit point of publishing: a second publication of the same version fails here.
libraryContentVersionSchema.index({ kind: 1, version: 1 }, { unique: true })

export class LibraryContentVersionImmutableError extends Error {
  constructor(operation: string) {
    super(`published library content never changes: ${operation} refused`)
    this.name = 'LibraryContentVersionImmutableError'
  }
}
for (const operation of ['updateOne', 'updateMany', 'findOneAndUpdate', 'replaceOne', 'findOneAndReplace', 'deleteOne', 'deleteMany', 'findOneAndDelete'] as const) {
  libraryContentVersionSchema.pre(operation, { document: false, query: true }, function refuse() {
    throw new LibraryContentVersionImmutableError(operation)
  })
}
libraryContentVersionSchema.pre('save', function refuseResave() {
  if (!this.isNew) throw new LibraryContentVersionImmutableError('save of a published version')
})

export const LibraryContentVersionModel = defineModel('LibraryContentVersion', () => model<LibraryContentVersionRecord>('LibraryContentVersion', libraryContentVersionSchema, 'library_content_versions'))
