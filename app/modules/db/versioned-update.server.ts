// Optimistic concurrency, written once (docs/decisions/040-one-optimistic-concurrency-helper.md).
// The embedded database has no transactions: a change is read, decided on what was read, and
// applied as one update that matches only while the record is still at the version read (and
// increments it). If another write got in between, the record is read again and decided anew.

/** A stored record that carries the counter every write increments. */
export interface VersionedRecord {
  _id: unknown
  version?: number | null
}

/** Where the update goes: a mongoose model or its driver collection (both answer `updateOne`). */
export interface VersionedTarget {
  // `options` as `object`: mongoose's and the driver's option types share no field to name here.
  updateOne(filter: Record<string, unknown>, update: Record<string, unknown>, options?: object): PromiseLike<{ matchedCount: number }>
}

/** What `decide` makes of the fresh record. */
export type VersionedDecision<Result, Reason> =
  | {
      /** The update; `$inc: { version: 1 }` is added to it. */
      update: Record<string, unknown>
      /** Further conditions beside `{ _id, version }` the record must still meet. */
      where?: Record<string, unknown>
      /** Passed on to `updateOne` (e.g. `{ timestamps: false }` for a mongoose model). */
      options?: { timestamps?: boolean }
      /**
       * A value derived from this very version (the stored score) is written without moving the
       * version, so it does not make other writers pinned to it lose their race.
       */
      keepVersion?: true
      result: Result
    }
  | { unchanged: Result }
  | { refuse: Reason }

/** What `decide` knows about the attempt: its number and, after a lost race, the version it lost on. */
export interface VersionedAttempt {
  attempt: number
  lostAt: { version: number; hadWhere: boolean } | null
}

export type VersionedOutcome<Record, Result, Reason> =
  | { status: 'updated'; record: Record; result: Result; version: number; attempts: number }
  | { status: 'unchanged'; record: Record; result: Result }
  | { status: 'refused'; reason: Reason }
  | { status: 'missing' }
  | { status: 'conflict'; attempts: number }

export interface VersionedChange<Record extends VersionedRecord, Result, Reason> {
  /** The record as it is now (`attempt` 0 may answer from state already at hand); null if it is gone, or a refusal. */
  read: (attempt: number) => Promise<Record | null | { refuse: Reason }>
  /** Pure: the change (or refusal) decided on the fresh record. */
  decide: (record: Record, attempt: VersionedAttempt) => VersionedDecision<Result, Reason> | Promise<VersionedDecision<Result, Reason>>
  /** How many writes are tried before giving up with a conflict. */
  attempts: number
}

const versionOf = (record: VersionedRecord) => record.version ?? 0

export async function updateWithVersion<Record extends VersionedRecord, Result, Reason>(
  target: VersionedTarget,
  change: VersionedChange<Record, Result, Reason>,
): Promise<VersionedOutcome<Record, Result, Reason>> {
  let lostAt: VersionedAttempt['lostAt'] = null
  for (let attempt = 0; attempt < change.attempts; attempt++) {
    const record = await change.read(attempt)
    if (!record) return { status: 'missing' }
    if ('refuse' in record) return { status: 'refused', reason: record.refuse }
    const decision = await change.decide(record, { attempt, lostAt })
    if ('refuse' in decision) return { status: 'refused', reason: decision.refuse }
    if ('unchanged' in decision) return { status: 'unchanged', record, result: decision.unchanged }
    const version = versionOf(record)
    const update = decision.keepVersion ? decision.update : { ...decision.update, $inc: { ...(decision.update.$inc as object | undefined), version: 1 } }
    const written = await target.updateOne({ _id: record._id, version, ...decision.where }, update, decision.options)
    if (written.matchedCount === 1) return { status: 'updated', record, result: decision.result, version: decision.keepVersion ? version : version + 1, attempts: attempt + 1 }
    lostAt = { version, hadWhere: Boolean(decision.where && Object.keys(decision.where).length) }
  }
  return { status: 'conflict', attempts: change.attempts }
}
