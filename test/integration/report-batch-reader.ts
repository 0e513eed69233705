// Another app instance (its own process and database connection, no shared temporary folder):
// downloads a batch ZIP and prints its size and SHA-256.
import { createHash } from 'node:crypto'
import { connectDb, disconnectDb } from '~/db.server'
import { openBatchZip } from '~/modules/reports/batch.server'

await connectDb()
const [batchId, userId] = process.argv.slice(2)
const zip = await openBatchZip(batchId!, userId!)
if (!zip) {
  process.stdout.write(JSON.stringify({ found: false }))
} else {
  const bytes = Buffer.from(await new Response(zip.body).arrayBuffer())
  process.stdout.write(JSON.stringify({ found: true, size: zip.size, length: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') }))
}
await disconnectDb()
