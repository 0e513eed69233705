import mongoose from 'mongoose'
import { afterAll, beforeAll, inject } from 'vitest'
import { connectDb, disconnectDb } from '~/db.server'
import { wireReactions } from '~/reactions.server'

// Each worker gets its own database; each test file starts from an empty one.
process.env.MONGODB_URI = `${inject('mongoUri')}/clausewise_test_${process.env.VITEST_POOL_ID ?? '0'}`
process.env.SESSION_SECRET ??= 'test-secret-test-secret-test-secret-0123'
process.env.NODE_ENV = 'test'
process.env.TOTP_ENCRYPTION_KEY ??= '0123456789abcdef'.repeat(4)
// Tests of other features sign in with a password only; the two-factor tests set their own roles.
process.env.TWO_FACTOR_REQUIRED_ROLES ??= 'none'

// Which domain reacts to which event, as boot wires it (a rescore after a submit, a renewal's trigger).
wireReactions()

beforeAll(async () => {
  await connectDb()
  await mongoose.connection.dropDatabase()
  // Dropping the database drops the indexes too; unique indexes are part of the behaviour under test.
  await Promise.all(Object.values(mongoose.models).map((model) => model.createIndexes()))
})

afterAll(async () => {
  await disconnectDb()
})
