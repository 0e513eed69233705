// An app instance in its own process, driven by the webhook crash tests over IPC: "create" adds a
// vendor as a request would (the write records vendor.created; what runs after the write is chosen
// by `publishing`); "agenda" starts the real job runner (its webhooks job relays and delivers).
import mongoose from 'mongoose'
import { connectDb, disconnectDb } from '~/db.server'
import { setInlinePublishing, type InlinePublishing } from '~/modules/events/outbox.server'
import { startScheduler } from '~/modules/schedule/runner.server'
import { createVendor } from '~/modules/vendors/writes.server'
import { domesticVendorInput } from '../fixtures/vendors'

type Command =
  | { id: number; cmd: 'create'; creditCode: string; publishing: InlinePublishing }
  | { id: number; cmd: 'agenda'; webhooksEvery: number }
  | { id: number; cmd: 'stop' }

const actor = { id: new mongoose.Types.ObjectId().toString(), email: 'worker@example.test', name: 'Worker', role: 'admin' as const, locale: 'en' as const }

let stopAgenda: (() => Promise<void>) | null = null
await connectDb()
await Promise.all(Object.values(mongoose.models).map((model) => model.init()))
process.on('message', (message: Command) => {
  void (async () => {
    try {
      if (message.cmd === 'create') {
        setInlinePublishing(message.publishing)
        const result = await createVendor(domesticVendorInput({ creditCode: message.creditCode }), actor)
        process.send!({ id: message.id, result })
      } else if (message.cmd === 'agenda') {
        stopAgenda = await startScheduler({ every: '1 day', processEvery: 200, mailEvery: '1 day', webhooksEvery: message.webhooksEvery, sweepOnStart: false, name: `webhooks-worker-${process.pid}`, log: () => undefined })
        process.send!({ id: message.id, result: 'started' })
      } else {
        await stopAgenda?.()
        await disconnectDb()
        process.send!({ id: message.id, result: 'stopped' }, () => process.exit(0))
      }
    } catch (error) {
      process.send!({ id: message.id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) })
    }
  })()
})
process.send!({ ready: true })
