import mongoose from 'mongoose'
import { getEnv } from '~/env.server'

// One connection per process, kept on globalThis so Vite's dev reloads reuse it.
declare global {
  var __clausewiseConnection: Promise<typeof mongoose> | undefined
}

/** The database named in the URI's path, or "clausewise" when the URI names none. */
export function databaseNameOf(uri: string): string | undefined {
  const match = /^mongodb(?:\+srv)?:\/\/[^/]+\/([^?]+)/.exec(uri)
  return match?.[1] ? decodeURIComponent(match[1]) : undefined
}

/**
 * Connection options. Writes ask for write concern `majority` with journaling: on a MongoDB
 * replica set an acknowledged write is on a majority of members' journals and survives a failover
 * or a power cut (docs/decisions/005-durable-acknowledgement.md). mongo-java-server accepts and
 * ignores the write concern; its own launcher commits to the file before replying.
 * With the embedded database the server is on loopback and supervised: a short server-selection
 * timeout and heartbeat, so a request caught by a database restart fails in seconds, and the pool
 * finds the restarted process within a second.
 */
export function connectionOptions(uri: string, { embedded = false }: { embedded?: boolean } = {}): mongoose.ConnectOptions {
  return {
    dbName: databaseNameOf(uri) ?? 'clausewise',
    serverSelectionTimeoutMS: embedded ? 1500 : 8000,
    ...(embedded ? { heartbeatFrequencyMS: 1000, connectTimeoutMS: 2000 } : {}),
    writeConcern: { w: 'majority', journal: true },
    autoIndex: true,
  }
}

/** The first call decides the options (boot passes `embedded`); later calls share the connection. */
export function connectDb(options: { embedded?: boolean } = {}): Promise<typeof mongoose> {
  globalThis.__clausewiseConnection ??= (() => {
    const uri = getEnv().MONGODB_URI
    mongoose.set('strictQuery', true)
    // Mongoose records each query's call-site stack (only for its "already executed" error); with
    // source maps on (tsx), formatting it was ~1 % of a page's samples, on every query.
    mongoose.set('skipOriginalStackTraces', true)
    return mongoose.connect(uri, connectionOptions(uri, options))
  })()
  return globalThis.__clausewiseConnection
}

export async function disconnectDb(): Promise<void> {
  if (!globalThis.__clausewiseConnection) return
  globalThis.__clausewiseConnection = undefined
  await mongoose.disconnect()
}

// Errors that mean "the database cannot be reached right now" (restart, failover, a pool cleared
// after a reconnect), as opposed to a bad query: callers answer 503 with Retry-After.
const UNAVAILABLE = new Set(['MongoNetworkError', 'MongoNetworkTimeoutError', 'MongoServerSelectionError', 'MongoPoolClearedError', 'MongoTopologyClosedError', 'MongoNotConnectedError'])

export function isDatabaseUnavailable(error: unknown): boolean {
  return error instanceof Error && UNAVAILABLE.has(error.name)
}
