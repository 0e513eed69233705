import mongoose from 'mongoose'
import { getEnv } from '~/env.server'

// One connection per process, kept on globalThis so Vite's dev reloads reuse it.
declare global {
  // eslint-disable-next-line no-var
  var __clausewiseConnection: Promise<typeof mongoose> | undefined
}

/** The database named in the URI's path, or "clausewise" when the URI names none. */
export function databaseNameOf(uri: string): string | undefined {
  const match = /^mongodb(?:\+srv)?:\/\/[^/]+\/([^?]+)/.exec(uri)
  return match?.[1] ? decodeURIComponent(match[1]) : undefined
}

export function connectDb(): Promise<typeof mongoose> {
  globalThis.__clausewiseConnection ??= (() => {
    const uri = getEnv().MONGODB_URI
    mongoose.set('strictQuery', true)
    return mongoose.connect(uri, {
      dbName: databaseNameOf(uri) ?? 'clausewise',
      serverSelectionTimeoutMS: 8000,
      autoIndex: true,
    })
  })()
  return globalThis.__clausewiseConnection
}

export async function disconnectDb(): Promise<void> {
  if (!globalThis.__clausewiseConnection) return
  globalThis.__clausewiseConnection = undefined
  await mongoose.disconnect()
}
