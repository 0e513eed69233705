// The only module that reads and writes library content published in the app other than
// questionnaires (collection library_content_versions): today the clause library with the contract
// templates. Inserts and reads only: a published version never changes (models/library-content-version.ts).
import { LibraryContentVersionModel, type ClauseLibraryContent, type LibraryContentVersionRecord } from '~models/library-content-version'

export type { ClauseLibraryContent, LibraryContentVersionRecord }

const isDuplicateKey = (error: unknown) => (error as { code?: number }).code === 11000

/** Publishes a version; false when this kind and version were published already (the unique key is the commit point). */
export async function insertLibraryContentVersion(version: Omit<LibraryContentVersionRecord, '_id' | 'createdAt'>): Promise<boolean> {
  try {
    await LibraryContentVersionModel.create(version)
    return true
  } catch (error) {
    if (!isDuplicateKey(error)) throw error
    return false
  }
}

export function findLibraryContentVersion(kind: LibraryContentVersionRecord['kind'], version: number): Promise<LibraryContentVersionRecord | null> {
  return LibraryContentVersionModel.findOne({ kind, version }).lean<LibraryContentVersionRecord>()
}

/** The newest published content of a kind (only the newest serves; earlier ones stay for the record). */
export function findNewestLibraryContent(kind: LibraryContentVersionRecord['kind']): Promise<Pick<LibraryContentVersionRecord, '_id' | 'content'> | null> {
  return LibraryContentVersionModel.findOne({ kind }, { content: 1 }).sort({ version: -1 }).lean<Pick<LibraryContentVersionRecord, '_id' | 'content'>>()
}
