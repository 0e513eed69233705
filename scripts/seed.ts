// `npm run seed`: fills the configured database (MONGODB_URI, or the embedded default under ./data)
// with the demo data. Safe to run twice: each step skips what exists.
import path from 'node:path'
import { startEmbeddedMongo } from './embedded-db/launch'

const embedded = process.env.MONGODB_URI ? null : await startEmbeddedMongo({ file: path.resolve(process.env.CLAUSEWISE_DATA_DIR ?? 'data', 'clausewise.mv') })
if (embedded) process.env.MONGODB_URI = `${embedded.uri}/clausewise`
process.env.SESSION_SECRET ??= 'seed-only-secret-not-used-for-sessions-0000'

const { connectDb, disconnectDb } = await import('../app/db.server')
const { seedDemo } = await import('../app/modules/demo/seed.server')
const { ensureFirstAdmin } = await import('../app/modules/auth/users.server')
await connectDb()
await ensureFirstAdmin({ email: process.env.ADMIN_EMAIL, password: process.env.ADMIN_PASSWORD, log: console.log })
await seedDemo({ log: console.log })
await disconnectDb()
await embedded?.stop()
