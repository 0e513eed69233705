// A fresh embedded database whose indexes are created while the first writes run — what happens
// when the app boots on an empty data folder: mongoose builds every model's indexes in the
// background while boot inserts the first admin and the scheduler upserts its jobs. mongo-java-server
// alone answers some of those writes "Unknown error: null" (a ConcurrentModificationException on the
// collection's index list); the launcher runs catalog commands alone (scripts/embedded-db).
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { MongoClient } from 'mongodb'
import { afterAll, describe, expect, it } from 'vitest'
import { startEmbeddedMongo } from '../../scripts/embedded-db/launch'

const COLLECTIONS = 30
const ROUNDS = 6

async function indexesWhileWriting(uri: string, round: number) {
  const client = new MongoClient(uri, { maxPoolSize: 40 })
  try {
    const db = client.db(`catalog_${round}`)
    const operations: Promise<unknown>[] = []
    for (let c = 0; c < COLLECTIONS; c++) {
      const collection = db.collection<{ key: number; a?: number; b?: number; lockedAt?: Date }>(`records_${c}`)
      operations.push(
        collection.createIndex({ key: 1 }, { unique: true }),
        collection.createIndex({ a: 1, b: 1 }, { unique: true, sparse: true }),
        collection.createIndex({ lockedAt: 1 }),
        collection.insertOne({ key: c }),
        collection.findOneAndUpdate({ key: -c - 1 }, { $set: { lockedAt: new Date() } }, { upsert: true }),
        collection.find({ key: c }).toArray(),
      )
    }
    const outcomes = await Promise.allSettled(operations)
    const errors = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [String((outcome.reason as Error).message)] : []))
    const stored = await Promise.all(Array.from({ length: COLLECTIONS }, (_, c) => db.collection(`records_${c}`).countDocuments()))
    const indexes = await Promise.all(Array.from({ length: COLLECTIONS }, (_, c) => db.collection(`records_${c}`).indexes()))
    return { errors, stored, indexCounts: indexes.map((list) => list.length) }
  } finally {
    await client.close()
  }
}

describe('the embedded database creating indexes while the first writes run', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'clausewise-catalog-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  for (const mode of ['file, durability commit', 'memory'] as const) {
    it(`answers every write and builds every index (${mode}, ${ROUNDS} fresh databases)`, async () => {
      for (let round = 0; round < ROUNDS; round++) {
        const db = await startEmbeddedMongo(mode === 'memory' ? {} : { file: path.join(dir, `round-${round}.mv`), durability: 'commit' })
        try {
          const { errors, stored, indexCounts } = await indexesWhileWriting(db.uri, round)
          expect(errors, `round ${round}`).toEqual([])
          expect(stored).toEqual(Array(COLLECTIONS).fill(2)) // the insert and the upsert
          expect(indexCounts).toEqual(Array(COLLECTIONS).fill(4)) // _id and the three
        } finally {
          await db.stop()
        }
      }
    })
  }
})
