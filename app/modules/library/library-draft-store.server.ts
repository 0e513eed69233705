// The only module that reads and writes library drafts (collection library_drafts).
import { Types } from 'mongoose'
import { LibraryDraftModel, type DraftKind, type DraftSource, type DraftState, type DraftSuggestionRecord, type LibraryDraftRecord } from '~models/library-draft'

export type { DraftKind, DraftSource, DraftState, DraftSuggestionRecord, LibraryDraftRecord }

/** A draft as the list of open drafts shows it: without its content. */
export type ListedDraft = Omit<LibraryDraftRecord, 'questionnaire' | 'clauseLibrary'>

/** Stores a checked draft; its id. */
export async function insertLibraryDraft(
  draft: Pick<LibraryDraftRecord, 'questionnaireId' | 'version' | 'source' | 'uploadedBy'> & Partial<Pick<LibraryDraftRecord, 'kind' | 'basedOn' | 'fileName' | 'questionnaire' | 'clauseLibrary' | 'suggestions'>>,
): Promise<Types.ObjectId> {
  const created = await LibraryDraftModel.create(draft)
  return created._id
}

export function findLibraryDraft(draftId: string): Promise<LibraryDraftRecord | null> {
  return LibraryDraftModel.findById(draftId).lean<LibraryDraftRecord>()
}

/** Drafts waiting for publication, newest first. */
export function listOpenLibraryDrafts(limit: number): Promise<ListedDraft[]> {
  return LibraryDraftModel.find({ state: 'draft' }, { questionnaire: 0, clauseLibrary: 0 }).sort({ _id: -1 }).limit(limit).lean<ListedDraft[]>()
}

/** The draft shows as published, if it is still the open draft at this revision. */
export async function markLibraryDraftPublished(draft: { id: string; revision: number }, by: { id: string; name: string }, at: Date): Promise<void> {
  await LibraryDraftModel.updateOne({ _id: new Types.ObjectId(draft.id), state: 'draft', revision: draft.revision }, { $set: { state: 'published', publishedBy: by, publishedAt: at }, $inc: { revision: 1 } })
}

/** Discards the draft if it is still the open draft at this revision; false otherwise. */
export async function discardLibraryDraft(draft: { id: string; revision: number }): Promise<boolean> {
  const result = await LibraryDraftModel.updateOne({ _id: new Types.ObjectId(draft.id), state: 'draft', revision: draft.revision }, { $set: { state: 'discarded' }, $inc: { revision: 1 } })
  return result.modifiedCount !== 0
}
