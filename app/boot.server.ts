import { connectDb, disconnectDb } from '~/db.server'
import { getEnv } from '~/env.server'
import { ensureFirstAdmin } from '~/modules/auth/users.server'
import { seedDemoIfEmpty } from '~/modules/demo/seed.server'
import { startScheduler } from '~/modules/schedule/runner.server'
import { reloadLibrary } from '~/modules/library/library.server'
import { refreshPublishedVersions } from '~/modules/library/drafts.server'
import { wireReactions } from '~/reactions.server'

type Log = (line: string) => void

/**
 * Everything the server does once before taking requests, and undoes on the way down.
 * Called by server.mjs through the Remix build (entry.server re-exports it).
 */
export async function boot({ embedded, log = console.log }: { embedded: boolean; log?: Log }) {
  const env = getEnv() // throws one readable message listing every bad setting
  reloadLibrary() // reads and validates questionnaires/; throws one message listing every problem as file: path: message
  wireReactions() // which domain reacts to which event, before the first request or job records one
  await connectDb({ embedded })
  await refreshPublishedVersions() // versions published in the app join the YAML ones
  const admin = await ensureFirstAdmin({ email: env.ADMIN_EMAIL, password: env.ADMIN_PASSWORD, log })
  if ((embedded && env.DEMO_DATA === 'auto') || env.DEMO_DATA === 'always') await seedDemoIfEmpty({ log, adminEmail: admin?.email })
  const stoppers: (() => Promise<void>)[] = []
  stoppers.push(await startScheduler({ log })) // reassessments, reminders, escalations, contract expiry
  return {
    async shutdown() {
      for (const stop of stoppers.reverse()) await stop()
      await disconnectDb()
    },
  }
}
