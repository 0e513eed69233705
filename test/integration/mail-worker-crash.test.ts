// An instance killed (SIGKILL) after recording a message and before it was sent: the message is
// delivered after a restart by the mail job, and the recipient sees it once. Real processes, a
// real SMTP server, the real job runner.
import { fork, type ChildProcess } from 'node:child_process'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { MailMessageModel } from '~models/mail-message'
import { messageIdFor } from '~/modules/mail/delivery.server'
import { startControlledSmtp, type SmtpControls } from '../support/smtp'

const WORKER = path.join(__dirname, 'mail-worker.ts')
const LEASE_MS = 1500

class Instance {
  private nextId = 1
  private pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>()
  readonly output: string[] = []
  readonly ready: Promise<void>
  readonly child: ChildProcess

  constructor(smtpUrl: string) {
    this.child = fork(WORKER, [], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, SMTP_URL: smtpUrl, MAIL_CLAIM_LEASE_MS: String(LEASE_MS), MAIL_RETRY_BASE_MS: '200', NODE_ENV: 'test' },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    })
    this.child.stdout!.on('data', (chunk) => this.output.push(String(chunk)))
    this.child.stderr!.on('data', (chunk) => this.output.push(String(chunk)))
    this.ready = new Promise((resolve, reject) => {
      this.child.once('message', () => resolve())
      this.child.once('exit', (code) => reject(new Error(`instance exited with ${code} before it was ready:\n${this.output.join('')}`)))
    })
    this.child.on('message', (message: { id?: number; result?: unknown; error?: string }) => {
      if (!message.id) return
      const waiter = this.pending.get(message.id)
      this.pending.delete(message.id)
      if (message.error) waiter?.reject(new Error(message.error))
      else waiter?.resolve(message.result)
    })
    this.child.on('exit', () => {
      for (const waiter of this.pending.values()) waiter.reject(new Error('instance died'))
      this.pending.clear()
    })
  }

  send(command: Record<string, unknown>): Promise<unknown> {
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject })
      this.child.send({ ...command, id })
    })
  }

  async stop() {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return
    const exited = new Promise((resolve) => this.child.once('exit', resolve))
    await this.send({ cmd: 'stop' }).catch(() => undefined)
    await exited
  }

  kill() {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return Promise.resolve()
    const exited = new Promise((resolve) => this.child.once('exit', resolve))
    this.child.kill('SIGKILL')
    return exited
  }
}

const instances: Instance[] = []
const servers: SmtpControls[] = []
afterAll(async () => {
  for (const instance of instances) await instance.kill().catch(() => undefined)
  for (const server of servers) await server.close()
})

async function start(smtpUrl: string) {
  const instance = new Instance(smtpUrl)
  instances.push(instance)
  await instance.ready
  return instance
}

async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs
  for (;;) {
    const value = await read()
    if (done(value)) return value
    if (Date.now() > until) throw new Error(`gave up waiting; last value ${JSON.stringify(value)}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

const stored = (key: string) => MailMessageModel.findOne({ dedupeKey: key }).lean()

describe('an instance killed mid-delivery', () => {
  it('killed after recording, before the server took the message: delivered once after the restart', { timeout: 60_000 }, async () => {
    const smtp = await startControlledSmtp()
    servers.push(smtp)
    const key = 'crash:before-send'
    const first = await start(smtp.url)
    // The server never answers the first message: the sender is stuck inside its SMTP session.
    smtp.beforeAccept = () => new Promise(() => undefined)
    const session = smtp.nextSession()
    void first.send({ cmd: 'send', key, to: 'crash1@example.test' }).catch(() => undefined)
    await session
    await first.kill()
    expect(await stored(key)).toMatchObject({ status: 'sending', attempts: 1 })
    smtp.beforeAccept = null
    const received = smtp.received.length // the stuck message was never acknowledged

    const restarted = await start(smtp.url)
    await restarted.send({ cmd: 'agenda', mailEvery: 300 })
    const sent = await waitFor(() => stored(key), (mail) => mail?.status === 'sent')
    expect(sent).toMatchObject({ status: 'sent', attempts: 2, messageId: messageIdFor(key) })
    // What was acknowledged: this one message, once.
    const acknowledged = smtp.received.slice(received)
    expect(acknowledged.map((mail) => mail.messageId)).toEqual([messageIdFor(key)])
    await new Promise((resolve) => setTimeout(resolve, 1000))
    expect(smtp.received.slice(received)).toHaveLength(1) // and nothing more arrives
    await restarted.stop()
  })

  it('killed after the server took the message, before it was marked sent: the resend carries the same Message-ID', { timeout: 60_000 }, async () => {
    const smtp = await startControlledSmtp()
    servers.push(smtp)
    const key = 'crash:after-send'
    const first = await start(smtp.url)
    // The server has the whole message; the sender dies before it hears "250 OK".
    smtp.beforeAccept = async () => {
      await first.kill()
    }
    await first.send({ cmd: 'send', key, to: 'crash2@example.test' }).catch(() => undefined)
    await waitFor(async () => first.child.signalCode, (signal) => signal === 'SIGKILL')
    expect(await stored(key)).toMatchObject({ status: 'sending', attempts: 1 })
    smtp.beforeAccept = null

    const restarted = await start(smtp.url)
    await restarted.send({ cmd: 'agenda', mailEvery: 300 })
    await waitFor(() => stored(key), (mail) => mail?.status === 'sent')
    // Two copies reached the server, one message for the recipient: the same Message-ID.
    const copies = smtp.received.filter((mail) => mail.to.includes('crash2@example.test'))
    expect(copies).toHaveLength(2)
    expect(new Set(copies.map((mail) => mail.messageId))).toEqual(new Set([messageIdFor(key)]))
    await restarted.stop()
  })
})
