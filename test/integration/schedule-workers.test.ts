// Several app instances on one database, and an instance killed in the middle of a sweep: each
// scenario must deliver exactly the mails a single, uninterrupted instance delivers.
import { fork, type ChildProcess } from 'node:child_process'
import path from 'node:path'
import { addDays } from 'date-fns'
import mongoose, { Types } from 'mongoose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dayKey, endOfDayAfter } from '~/modules/schedule/cadence'
import { startSmtpServer, type ReceivedMail } from './schedule-support'

const ZONE = 'Asia/Shanghai'
const WORKER = path.join(__dirname, 'schedule-worker.ts')
const baseUri = process.env.MONGODB_URI!
const DAYS = 46

// Simulated days start tomorrow at 09:00 Beijing time (the portal refuses due dates in the past,
// measured by the real clock, so the simulated calendar runs ahead of it).
const firstDay = (() => {
  const tomorrow = dayKey(addDays(new Date(), 1), ZONE)
  return new Date(`${tomorrow}T09:00:00+08:00`)
})()
const dayAt = (index: number, minutes = 0) => new Date(addDays(firstDay, index).getTime() + minutes * 60_000)

class Worker {
  private nextId = 1
  private pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>()
  readonly output: string[] = []
  readonly ready: Promise<void>
  readonly child: ChildProcess

  constructor(databaseUri: string, smtpUrl: string, name: string) {
    this.child = fork(WORKER, [], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, MONGODB_URI: databaseUri, SMTP_URL: smtpUrl, INSTITUTION_TIMEZONE: ZONE, WORKER_NAME: name, NODE_ENV: 'test' },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    })
    this.child.stdout!.on('data', (chunk) => this.output.push(String(chunk)))
    this.child.stderr!.on('data', (chunk) => this.output.push(String(chunk)))
    this.ready = new Promise((resolve, reject) => {
      this.child.once('message', () => resolve())
      this.child.once('exit', (code) => reject(new Error(`worker exited with ${code} before it was ready:\n${this.output.join('')}`)))
    })
    this.child.on('message', (message: { id?: number; result?: unknown; error?: string }) => {
      if (!message.id) return
      const waiter = this.pending.get(message.id)
      this.pending.delete(message.id)
      if (message.error) waiter?.reject(new Error(message.error))
      else waiter?.resolve(message.result)
    })
    this.child.on('exit', () => {
      for (const waiter of this.pending.values()) waiter.reject(new Error('worker died'))
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

  sweep(now: Date) {
    return this.send({ cmd: 'sweep', now: now.toISOString() })
  }

  async stop() {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return
    const exited = new Promise((resolve) => this.child.once('exit', resolve))
    await this.send({ cmd: 'stop' }).catch(() => undefined)
    await exited
  }

  kill() {
    const exited = new Promise((resolve) => this.child.once('exit', resolve))
    this.child.kill('SIGKILL')
    return exited
  }
}

/** A fresh database with the scenario: eight vendors invited on day 0 who never answer. */
async function seedScenario(databaseUri: string, shiftDays = 0) {
  const connection = await mongoose.createConnection(databaseUri).asPromise()
  await connection.dropDatabase()
  const users = connection.collection('users')
  const owner = new Types.ObjectId()
  await users.insertMany([
    { _id: owner, email: 'owner@bank.test', name: '王业务', role: 'compliance', locale: 'zh-CN', active: true, passwordHash: 'x' },
    { email: 'proc@bank.test', name: 'Pat Procurement', role: 'procurement', locale: 'en', active: true, passwordHash: 'x' },
  ])
  const vendor = (index: number, contacts: { name: string; email: string; locale: string }[], dueDays: number) => ({
    _id: new Types.ObjectId(),
    legalName: { en: `Vendor ${index}`, 'zh-CN': `合作机构 ${index}` },
    category: 'cloud_it',
    status: 'active',
    contacts: contacts.map((contact) => ({ _id: new Types.ObjectId(), ...contact })),
    businessOwnerId: index % 2 === 0 ? owner : undefined,
    tier: { computed: 3, reasons: [] },
    effectiveTier: 3,
    reassessment: { nextDueAt: endOfDayAfter(firstDay, dueDays + shiftDays, ZONE), triggers: [] },
    version: 0,
  })
  // Vendor 0 has two contacts and the earliest due date, so it is issued first on day 0.
  const vendors = [
    vendor(0, [{ name: 'Zero A', email: 'a@v0.test', locale: 'en' }, { name: '零 B', email: 'b@v0.test', locale: 'zh-CN' }], 29),
    ...Array.from({ length: 7 }, (_, i) => vendor(i + 1, [{ name: `Contact ${i + 1}`, email: `c@v${i + 1}.test`, locale: i % 2 ? 'zh-CN' : 'en' }], 30)),
  ]
  await connection.collection('vendors').insertMany(vendors)
  await connection.collection('contracts').insertMany([
    { vendorId: vendors[3]!._id, reference: 'C-40', title: 'Agreement', effectiveAt: dayAt(-400), expiresAt: endOfDayAfter(firstDay, 40, ZONE), status: 'active', clauseIds: [], history: [], version: 0 },
    { vendorId: vendors[4]!._id, reference: 'C-70', title: 'Agreement', effectiveAt: dayAt(-400), expiresAt: endOfDayAfter(firstDay, 70, ZONE), status: 'active', clauseIds: [], history: [], version: 0 },
  ])
  await connection.close()
}

async function collectionOf(databaseUri: string, name: string) {
  const connection = await mongoose.createConnection(databaseUri).asPromise()
  const documents = await connection.collection(name).find({}).toArray()
  await connection.close()
  return documents
}

/** What arrived, as "recipient subject" lines; a re-issued link counts as the invitation it replaces. */
const normalise = (mails: ReceivedMail[]) => mails.map((mail) => `${mail.to.join(',')} ${mail.subject}`).sort()

let reference: string[] = []
const referenceUri = `${baseUri}_reference`

beforeAll(async () => {
  await seedScenario(referenceUri)
  const smtp = await startSmtpServer()
  const worker = new Worker(referenceUri, smtp.url, 'reference')
  await worker.ready
  for (let day = 0; day < DAYS; day++) await worker.sweep(dayAt(day))
  await worker.stop()
  await smtp.close()
  reference = normalise(smtp.received)
}, 180_000)

describe('one uninterrupted worker (the reference)', () => {
  it('invites, reminds and escalates as configured', () => {
    // 9 invitations, 3 reminders each, escalations on days 30/31, 37/38, 44/45 to the owner (even
    // vendors) and procurement, and one contract warning per contract within 60 days (day 0, day 10).
    const count = (pattern: RegExp) => reference.filter((line) => pattern.test(line)).length
    expect(reference.length).toBe(9 + 27 + 3 * (4 * 2 + 4) + 2 + 1)
    expect(count(/^proc@bank\.test Overdue by /)).toBe(24)
    expect(count(/^owner@bank\.test 逾期 /)).toBe(12)
    // Each escalation round names how long it is overdue, so no two of them are alike.
    const escalations = reference.filter((line) => / (Overdue by|逾期) /.test(line))
    expect(new Set(escalations).size).toBe(escalations.length)
  })
})

describe('two workers on one database', () => {
  it('deliver every mail once: the same mails as one worker', { timeout: 180_000 }, async () => {
    const uri = `${baseUri}_two`
    await seedScenario(uri)
    const smtp = await startSmtpServer()
    const workers = [new Worker(uri, smtp.url, 'instance-a'), new Worker(uri, smtp.url, 'instance-b')]
    await Promise.all(workers.map((worker) => worker.ready))
    const issuedBy = { a: 0, b: 0 }
    for (let day = 0; day < DAYS; day++) {
      // Both instances sweep the same day at the same moment.
      const results = (await Promise.all(workers.map((worker) => worker.sweep(dayAt(day))))) as { issued: number }[]
      issuedBy.a += results[0]!.issued
      issuedBy.b += results[1]!.issued
    }
    await Promise.all(workers.map((worker) => worker.stop()))
    await smtp.close()
    expect(normalise(smtp.received)).toEqual(reference)
    expect(issuedBy.a + issuedBy.b).toBe(8)
    const assessments = await collectionOf(uri, 'assessments')
    expect(assessments).toHaveLength(8) // one per vendor, whoever issued it
  })

  it('run the real job runner (Agenda) with one sweep job between them', { timeout: 120_000 }, async () => {
    const uri = `${baseUri}_agenda`
    await seedScenario(uri, -1) // all due within 30 days of today
    const smtp = await startSmtpServer()
    const workers = [new Worker(uri, smtp.url, 'runner-a'), new Worker(uri, smtp.url, 'runner-b')]
    await Promise.all(workers.map((worker) => worker.ready))
    // Real time now: the vendors are due in 29–30 days, so the first sweep issues all of them.
    await Promise.all(workers.map((worker) => worker.send({ cmd: 'agenda', every: '1 second', processEvery: 200 })))
    const deadline = Date.now() + 60_000
    while (Date.now() < deadline) {
      const vendors = await collectionOf(uri, 'vendors')
      if (vendors.every((vendor) => vendor.reassessment?.issuedForDueAt)) break
      await new Promise((resolve) => setTimeout(resolve, 500))
    }
    await new Promise((resolve) => setTimeout(resolve, 3000)) // a few more sweeps on both instances
    await Promise.all(workers.map((worker) => worker.stop()))
    await smtp.close()

    const jobs = await collectionOf(uri, 'agenda_jobs')
    // One document per repeating job, whatever the number of instances: the sweep, the outbox's mail job, the session purge and webhook delivery.
    expect(jobs.map((job) => job.name).sort()).toEqual(['auth:purge-sessions', 'mail:deliver', 'schedule:sweep', 'webhooks:deliver'])
    expect(jobs.find((job) => job.name === 'schedule:sweep')!.lastRunAt).toBeInstanceOf(Date)
    const invitations = smtp.received.filter((mail) => !/Overdue|逾期|Contract|合同|Reminder|提醒/.test(mail.subject))
    expect(invitations.map((mail) => mail.to.join(',')).sort()).toEqual(['a@v0.test', 'b@v0.test', ...Array.from({ length: 7 }, (_, i) => `c@v${i + 1}.test`)].sort())
  })
})

describe('a worker killed in the middle of a sweep', () => {
  it('loses and duplicates nothing once another instance takes over', { timeout: 180_000 }, async () => {
    const uri = `${baseUri}_crash`
    await seedScenario(uri)
    let victim: Worker | null = null
    let killed = false
    // The first message of day 0 (vendor 0's first invitation) is the last thing the worker does:
    // it is killed as soon as the message is through, before it can send the second one.
    const smtp = await startSmtpServer({
      onMessage: () => {
        if (killed || !victim) return
        killed = true
        void victim.kill()
      },
    })
    victim = new Worker(uri, smtp.url, 'victim')
    await victim.ready
    await expect(victim.sweep(dayAt(0))).rejects.toThrow('worker died')
    expect(smtp.received).toHaveLength(1)

    // Another instance (a restart) sweeps again half an hour later, when the claim has lapsed.
    const successor = new Worker(uri, smtp.url, 'successor')
    await successor.ready
    await successor.sweep(dayAt(0, 30))
    for (let day = 1; day < DAYS; day++) await successor.sweep(dayAt(day))
    await successor.stop()
    await smtp.close()

    // The same mails as the reference, except that vendor 0's second contact got a fresh link in
    // place of the invitation that never left.
    const freshLink = (line: string) => line.startsWith('b@v0.test ') && !line.includes('提醒')
    const received = normalise(smtp.received)
    expect(received.filter((line) => !freshLink(line))).toEqual(reference.filter((line) => !freshLink(line)))
    expect(received.filter(freshLink)).toEqual([expect.stringContaining('新链接')])
    expect(reference.filter(freshLink)).toHaveLength(1)
    // Vendor 0's second contact got a fresh link in place of the invitation that never left.
    const messages = await collectionOf(uri, 'mail_messages')
    expect(messages.filter((message) => message.kind === 'invitation-reissue').map((message) => message.to)).toEqual([['b@v0.test']])
    const assessments = await collectionOf(uri, 'assessments')
    expect(assessments).toHaveLength(8)
  })
})

afterAll(async () => {
  for (const suffix of ['_reference', '_two', '_agenda', '_crash']) {
    const connection = await mongoose.createConnection(`${baseUri}${suffix}`).asPromise()
    await connection.dropDatabase()
    await connection.close()
  }
})
