// The optimistic-concurrency helper against the embedded database: racing writers all land (in
// some order, none lost), a refusal writes nothing, and a writer that keeps losing gives up after
// exactly the attempts it was given.
import mongoose, { Schema, Types } from 'mongoose'
import { beforeEach, describe, expect, it } from 'vitest'
import { updateWithVersion } from '~/modules/db/versioned-update.server'

interface Counter {
  _id: Types.ObjectId
  version: number
  entries: string[]
  label?: string
}
const CounterModel = mongoose.models.VersionedUpdateProbe ?? mongoose.model('VersionedUpdateProbe', new Schema({ version: { type: Number, default: 0 }, entries: [String], label: String }, { timestamps: true }))

let id: Types.ObjectId
const read = () => CounterModel.findById(id).lean<Counter>().exec()
beforeEach(async () => {
  id = (await CounterModel.create({ entries: [] }))._id as Types.ObjectId
})

describe('updateWithVersion', () => {
  it('lets concurrent writers all land, each on the version it read, none lost', async () => {
    const writers = Array.from({ length: 8 }, (_, index) => `writer-${index}`)
    const outcomes = await Promise.all(
      writers.map((writer) =>
        updateWithVersion(CounterModel, {
          attempts: 20,
          read,
          // The whole array is rewritten from what was read: a lost update would drop an entry.
          decide: (counter) => ({ update: { $set: { entries: [...counter.entries, writer] } }, result: writer }),
        }),
      ),
    )
    expect(outcomes.map((outcome) => outcome.status)).toEqual(writers.map(() => 'updated'))
    const stored = await read()
    expect(stored?.version).toBe(writers.length)
    expect([...(stored?.entries ?? [])].sort()).toEqual([...writers].sort())
    // Each landed on a different version: the versions after are 1..8.
    expect(outcomes.map((outcome) => (outcome.status === 'updated' ? outcome.version : 0)).sort((a, b) => a - b)).toEqual(writers.map((_, index) => index + 1))
    // Some had to retry (they all read version 0 at first).
    expect(outcomes.some((outcome) => outcome.status === 'updated' && outcome.attempts > 1)).toBe(true)
  })

  it('passes a refusal through and writes nothing', async () => {
    const outcome = await updateWithVersion(CounterModel, { attempts: 3, read, decide: () => ({ refuse: 'closed' as const }) })
    expect(outcome).toEqual({ status: 'refused', reason: 'closed' })
    expect((await read())?.version).toBe(0)
  })

  it('answers "missing" when the record is gone, and a refusal from the read as a refusal', async () => {
    await CounterModel.deleteOne({ _id: id })
    expect(await updateWithVersion(CounterModel, { attempts: 3, read, decide: () => ({ update: {}, result: null }) })).toEqual({ status: 'missing' })
    const refusedByRead = await updateWithVersion<Counter, null, string>(CounterModel, { attempts: 3, read: async () => ({ refuse: 'link revoked' }), decide: () => ({ update: {}, result: null }) })
    expect(refusedByRead).toEqual({ status: 'refused', reason: 'link revoked' })
  })

  it('gives up with a conflict after exactly the attempts given', async () => {
    let reads = 0
    let decisions = 0
    const outcome = await updateWithVersion(CounterModel, {
      attempts: 3,
      read: () => {
        reads++
        return read()
      },
      decide: async () => {
        decisions++
        // Another writer gets in between every read and write.
        await CounterModel.updateOne({ _id: id }, { $inc: { version: 1 } })
        return { update: { $set: { label: 'never' } }, result: null }
      },
    })
    expect(outcome).toEqual({ status: 'conflict', attempts: 3 })
    expect([reads, decisions]).toEqual([3, 3])
    const stored = await read()
    expect(stored?.label).toBeUndefined()
    expect(stored?.version).toBe(3)
  })

  it('tells the next attempt that a further condition, not the version, failed', async () => {
    const seen: unknown[] = []
    const outcome = await updateWithVersion(CounterModel, {
      attempts: 3,
      read,
      decide: (counter, { lostAt }) => {
        seen.push(lostAt)
        if (lostAt?.hadWhere && lostAt.version === counter.version) return { refuse: 'condition' as const }
        return { update: { $set: { label: 'x' } }, where: { label: 'not there' }, result: null }
      },
    })
    expect(outcome).toEqual({ status: 'refused', reason: 'condition' })
    expect(seen).toEqual([null, { version: 0, hadWhere: true }])
    expect((await read())?.version).toBe(0)
  })

  it('stores a derived value without moving the version, through the driver collection too', async () => {
    const before = await read()
    const outcome = await updateWithVersion(CounterModel.collection, {
      attempts: 2,
      read,
      decide: () => ({ update: { $set: { label: 'derived' } }, keepVersion: true, result: 'ok' }),
    })
    expect(outcome).toMatchObject({ status: 'updated', version: 0, result: 'ok' })
    const after = await read()
    expect(after?.label).toBe('derived')
    expect(after?.version).toBe(before?.version)
    const unchanged = await updateWithVersion(CounterModel.collection, { attempts: 2, read, decide: () => ({ unchanged: 'nothing to do' }) })
    expect(unchanged).toMatchObject({ status: 'unchanged', result: 'nothing to do' })
  })
})
