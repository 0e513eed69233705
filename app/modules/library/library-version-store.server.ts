// The only module that reads and writes questionnaire versions published in the app (collection
// library_versions). Inserts and reads only: a published version never changes (models/library-version.ts).
import { LibraryVersionModel, type LibraryVersionRecord } from '~models/library-version'

export type { LibraryVersionRecord }

const isDuplicateKey = (error: unknown) => (error as { code?: number }).code === 11000

/** Publishes a version; false when this id and version were published already (the unique key is the commit point). */
export async function insertLibraryVersion(version: Omit<LibraryVersionRecord, '_id' | 'createdAt'>): Promise<boolean> {
  try {
    await LibraryVersionModel.create(version)
    return true
  } catch (error) {
    if (!isDuplicateKey(error)) throw error
    return false
  }
}

export function findLibraryVersion(questionnaireId: string, version: number): Promise<LibraryVersionRecord | null> {
  return LibraryVersionModel.findOne({ questionnaireId, version }).lean<LibraryVersionRecord>()
}

/** Every version published in the app (their content). */
export function listPublishedQuestionnaires(): Promise<Pick<LibraryVersionRecord, '_id' | 'questionnaire'>[]> {
  return LibraryVersionModel.find({}, { questionnaire: 1 }).lean<Pick<LibraryVersionRecord, '_id' | 'questionnaire'>[]>()
}
