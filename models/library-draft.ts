import { model, Schema, type Types } from 'mongoose'
import type { Questionnaire } from '../app/modules/library/content-schema'
import type { ClauseLibraryContent } from './library-content-version'
import { baseSchemaOptions, defineModel } from './shared'

// A draft of a questionnaire version, imported from a workbook or a standard format. It is stored
// only once it validates; a second person publishes it (four-eyes) as a LibraryVersion.

export const DRAFT_SOURCES = ['workbook', 'vsaq', 'caiq'] as const
export const DRAFT_STATES = ['draft', 'published', 'discarded'] as const
/** What a draft becomes: a questionnaire version, or the next clause library (with the contract templates). */
export const DRAFT_KINDS = ['questionnaire', 'clause-library'] as const
export type DraftSource = (typeof DRAFT_SOURCES)[number]
export type DraftState = (typeof DRAFT_STATES)[number]
export type DraftKind = (typeof DRAFT_KINDS)[number]

/** A reviewer hint from the imported file. */
export interface DraftSuggestionRecord {
  questionId?: string
  optionIds: string[]
  sourceId?: string
  text: string
}

/** A library draft as stored (lean). */
export interface LibraryDraftRecord {
  _id: Types.ObjectId
  kind: DraftKind
  questionnaireId: string
  version: number
  basedOn?: number
  source: DraftSource
  fileName?: string
  questionnaire?: Questionnaire
  clauseLibrary?: ClauseLibraryContent
  suggestions: DraftSuggestionRecord[]
  state: DraftState
  uploadedBy: { id: string; name?: string }
  publishedBy?: { id?: string; name?: string }
  publishedAt?: Date
  revision: number
  createdAt: Date
  updatedAt: Date
}

const draftSuggestionSchema = new Schema<DraftSuggestionRecord>(
  {
    questionId: { type: String }, // the question the tip is about, when its condition names one
    optionIds: { type: [String], default: [] },
    sourceId: { type: String }, // the item id in the imported file
    text: { type: String, required: true },
  },
  { _id: false },
)

const libraryDraftSchema = new Schema<LibraryDraftRecord>(
  {
    kind: { type: String, enum: DRAFT_KINDS, default: 'questionnaire' },
    questionnaireId: { type: String, required: true }, // 'clause-library' for a clause-library draft
    version: { type: Number, required: true }, // the version it becomes when published
    basedOn: { type: Number }, // the version it was exported from (absent for a new questionnaire)
    source: { type: String, enum: DRAFT_SOURCES, required: true },
    fileName: { type: String },
    // The content as validated by the meta-schema (content-schema.ts), stored as it is and typed
    // (Questionnaire, ClauseLibraryContent), as in LibraryVersion and LibraryContentVersion.
    questionnaire: { type: Schema.Types.Mixed }, // kind questionnaire
    clauseLibrary: { type: Schema.Types.Mixed }, // kind clause-library: { clauseLibrary, templates }
    // Reviewer hints from the imported file (VSAQ tips): which answers should bear on a clause.
    suggestions: { type: [draftSuggestionSchema], default: [] },
    state: { type: String, enum: DRAFT_STATES, default: 'draft' },
    uploadedBy: { id: { type: String, required: true }, name: { type: String } },
    publishedBy: { id: { type: String }, name: { type: String } },
    publishedAt: { type: Date },
    revision: { type: Number, default: 0 }, // optimistic concurrency
  },
  baseSchemaOptions,
)

export const LibraryDraftModel = defineModel('LibraryDraft', () => model<LibraryDraftRecord>('LibraryDraft', libraryDraftSchema, 'library_drafts'))
