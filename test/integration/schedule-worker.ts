// A scheduler worker in its own process (its own database connection), driven by the tests over
// IPC: "sweep" runs one sweep at the given moment; "agenda" starts the real job runner.
import mongoose from 'mongoose'
import { connectDb, disconnectDb } from '~/db.server'
import { startScheduler } from '~/modules/schedule/runner.server'
import { runSweep } from '~/modules/schedule/sweep.server'

type Command = { id: number; cmd: 'sweep'; now: string } | { id: number; cmd: 'agenda'; every: string | number; processEvery: number } | { id: number; cmd: 'stop' }

const name = process.env.WORKER_NAME ?? `worker-${process.pid}`
let stopAgenda: (() => Promise<void>) | null = null

await connectDb()
// As the app does before its first sweep: index builds finish before any write.
await Promise.all(Object.values(mongoose.models).map((model) => model.init()))
process.on('message', (message: Command) => {
  void (async () => {
    try {
      if (message.cmd === 'sweep') {
        const result = await runSweep(new Date(message.now), { instanceId: name })
        process.send!({ id: message.id, result })
      } else if (message.cmd === 'agenda') {
        stopAgenda = await startScheduler({ every: message.every, processEvery: message.processEvery, runImmediately: true, name, log: () => undefined })
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
