// The only module that reads and writes the institution's settings (collection settings): one
// document per concern — "schedule", "review", "retention", "security" — each read whole and
// saved whole by its own module (schedule, review, offboarding, auth), which keeps the defaults.
import { SettingsModel, type SettingsFields, type SettingsId, type SettingsRecord } from '~models/settings'

export type { SettingsId, SettingsRecord }

/** One settings document: its own fields, who saved it last and its version. */
export type SettingsOf<Id extends SettingsId> = Pick<SettingsRecord, '_id' | 'version' | 'updatedBy' | SettingsFields[Id]>

/** What a save writes: the document's fields and who saves. */
export type SettingsValues<Id extends SettingsId> = Pick<SettingsRecord, SettingsFields[Id]> & { updatedBy: { id: string; name: string } }

/** The stored document, or null when nothing was ever saved (all defaults). */
export function findSettingsDocument<Id extends SettingsId>(id: Id): Promise<SettingsOf<Id> | null> {
  return SettingsModel.findById(id).lean<SettingsOf<Id>>()
}

/**
 * Saves in one atomic update, only if nobody saved since `expectedVersion` was read (two admins
 * editing at once: the second is told to reload instead of overwriting). The first save creates
 * the document; a stale version then collides on _id instead. The version after the save.
 */
export async function saveSettingsDocument<Id extends SettingsId>(id: Id, values: SettingsValues<Id>, expectedVersion: number): Promise<{ ok: true; version: number } | { ok: false }> {
  let saved
  try {
    saved = await SettingsModel.findOneAndUpdate({ _id: id, version: expectedVersion }, { $set: values, $inc: { version: 1 } }, { upsert: expectedVersion === 0, new: true }).lean<SettingsOf<Id>>()
  } catch (error) {
    if ((error as { code?: number }).code === 11000) return { ok: false }
    throw error
  }
  return saved ? { ok: true, version: saved.version ?? 0 } : { ok: false }
}
