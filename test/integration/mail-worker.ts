// An app instance in its own process, driven by the outbox crash test over IPC: "send" records and
// sends one message as a request would; "agenda" starts the real job runner (with its mail job).
import mongoose from 'mongoose'
import { connectDb, disconnectDb } from '~/db.server'
import { sendMail } from '~/modules/mail/mail.server'
import { startScheduler } from '~/modules/schedule/runner.server'

type Command = { id: number; cmd: 'send'; key: string; to: string } | { id: number; cmd: 'agenda'; mailEvery: number } | { id: number; cmd: 'stop' }

let stopAgenda: (() => Promise<void>) | null = null
await connectDb()
await Promise.all(Object.values(mongoose.models).map((model) => model.init()))
process.on('message', (message: Command) => {
  void (async () => {
    try {
      if (message.cmd === 'send') {
        const result = await sendMail({ to: message.to, subject: `Crash test ${message.key}`, text: 'Hello', kind: 'test', dedupeKey: message.key })
        process.send!({ id: message.id, result })
      } else if (message.cmd === 'agenda') {
        stopAgenda = await startScheduler({ every: '1 day', processEvery: 200, mailEvery: message.mailEvery, name: `mail-worker-${process.pid}`, log: () => undefined })
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
