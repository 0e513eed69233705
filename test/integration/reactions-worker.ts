// An app instance in its own process for the reactions crash test: "renew" creates a vendor's
// second contract with nothing run after the write (as if the process died right after it);
// "agenda" starts the real job runner with the reactions wired, as boot does.
import mongoose from 'mongoose'
import { connectDb } from '~/db.server'
import { createContract } from '~/modules/contracts/contracts.server'
import { setInlinePublishing } from '~/modules/events/outbox.server'
import { reloadLibrary } from '~/modules/library/library.server'
import { startScheduler } from '~/modules/schedule/runner.server'
import { wireReactions } from '~/reactions.server'

type Command = { id: number; cmd: 'renew'; vendorId: string; contract: Record<string, unknown> } | { id: number; cmd: 'agenda' }

const actor = { id: new mongoose.Types.ObjectId().toString(), email: 'worker@example.test', name: 'Worker', role: 'admin' as const, locale: 'en' as const }

reloadLibrary()
wireReactions()
await connectDb()
await Promise.all(Object.values(mongoose.models).map((model) => model.init()))
process.on('message', (message: Command) => {
  void (async () => {
    try {
      if (message.cmd === 'renew') {
        setInlinePublishing('nothing')
        process.send!({ id: message.id, result: await createContract(actor, message.vendorId, message.contract) })
      } else {
        await startScheduler({ every: '1 day', processEvery: 200, mailEvery: '1 day', webhooksEvery: 300, sweepOnStart: false, name: `reactions-worker-${process.pid}`, log: () => undefined })
        process.send!({ id: message.id, result: 'started' })
      }
    } catch (error) {
      process.send!({ id: message.id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) })
    }
  })()
})
process.send!({ ready: true })
