// The job runner: Agenda keeps the sweep job in the database (collection agenda_jobs) and locks it
// while it runs, so with several app instances on one database one of them sweeps at a time.
// The sweep itself is also safe to run concurrently (see sweep.server.ts); Agenda's lock only
// spares the duplicate work. A job whose instance died is unlocked after its lock lifetime and
// run by another instance.
import { MongoBackend } from '@agendajs/mongo-backend'
import { Agenda } from 'agenda'
import mongoose from 'mongoose'
import { initAssessmentIndexes } from '~/modules/assessments/assessment-store.server'
import { initContractStore } from '~/modules/contracts/contract-store.server'
import { initVendorStore } from '~/modules/vendors/vendor-store.server'
import { INSTANCE_ID } from './issue.server'
import { runSweep } from './sweep.server'
import { completePendingRenewalTriggers } from '~/modules/contracts/contracts.server'
import { deliverDueMail } from '~/modules/mail/delivery.server'
import { ensureMailMessageIndexes } from '~/modules/mail/mail-message-store.server'
import { purgeExpiredSessions } from '~/modules/auth/sessions.server'
import { sweepExpiredBatches } from '~/modules/reports/batch.server'
import { ensureReportBatchIndexes } from '~/modules/reports/report-batch-store.server'
import { sweepIncidents } from '~/modules/incidents/sweep.server'
import { initIncidentStore } from '~/modules/incidents/incident-store.server'
import { runOffboardingJobs } from '~/modules/offboarding/offboarding.server'
import { notifyRetentionDue } from '~/modules/offboarding/retention.server'
import { initOffboardingStore } from '~/modules/offboarding/offboarding-store.server'
import { initOffboardingLinkStore } from '~/modules/offboarding/offboarding-link-store.server'
import { runDocumentExpiry } from '~/modules/documents/expiry.server'
import { ensureDomainEventIndexes } from '~/modules/events/domain-event-store.server'
import { relayLeftoverEvents } from '~/modules/events/relay.server'
import { announceOverdueFindings } from '~/modules/findings/overdue.server'
import { deliverDueWebhooks } from '~/modules/webhooks/delivery.server'
import { ensureWebhookDeliveryIndexes } from '~/modules/webhooks/webhook-delivery-store.server'
import { ensureWebhookEndpointIndexes } from '~/modules/webhooks/webhook-endpoint-store.server'
import { initFindingStore } from '~/modules/findings/finding-store.server'

export const SWEEP_JOB = 'schedule:sweep'
/** Sends the outbox's due mail (first attempts that failed, retries, sends a crash cut off). */
export const MAIL_JOB = 'mail:deliver'
/** Deletes expired and idle sessions (requests refuse them anyway; this keeps the collection small). */
export const SESSIONS_JOB = 'auth:purge-sessions'
/** Relays domain events a crash left on their documents, then posts the webhooks that are due. */
export const WEBHOOKS_JOB = 'webhooks:deliver'
const JOBS_COLLECTION = 'agenda_jobs'
const LOCK_LIFETIME_MS = 30 * 60_000

type Log = (line: string) => void

export interface SchedulerOptions {
  log?: Log
  /** How often the sweep runs (Agenda's human interval or milliseconds). */
  every?: string | number
  /** How often this instance polls the job collection. */
  processEvery?: string | number
  /** Run the first sweep right away instead of one interval after start. */
  runImmediately?: boolean
  /** Process name in the job's lastModifiedBy, for telling instances apart. */
  name?: string
  /** How often the mail job sends what is due. */
  mailEvery?: string | number
  /** How often expired sessions are purged. */
  sessionsEvery?: string | number
  /** How often leftover domain events are relayed and due webhooks posted. */
  webhooksEvery?: string | number
  /**
   * Sweep once right after start-up (default true), whatever the job's next run: an instance
   * started after downtime catches up at once. Safe beside other instances (see sweep.server.ts).
   */
  sweepOnStart?: boolean
}

/** Starts the sweep job on this instance; resolves to a function that stops it. */
export async function startScheduler(options: SchedulerOptions = {}): Promise<() => Promise<void>> {
  const log = options.log ?? console.log
  const db = mongoose.connection.db
  if (!db) throw new Error('the scheduler needs a database connection')
  // The sweep's queries and exactly-once keys rely on these indexes: let their builds finish first
  // (the embedded server also dislikes writes racing an index build on the same collection).
  await Promise.all([
    ...[initVendorStore, initAssessmentIndexes, initContractStore].map((init) => init()),
    ...[ensureMailMessageIndexes, ensureReportBatchIndexes, ensureWebhookEndpointIndexes, ensureWebhookDeliveryIndexes, ensureDomainEventIndexes].map((ensure) => ensure()),
    ...[initIncidentStore, initOffboardingStore, initOffboardingLinkStore, initFindingStore].map((init) => init()),
  ])
  // One document per repeating job: two instances upserting it at the same moment must not make two.
  await db.collection(JOBS_COLLECTION).createIndex({ name: 1 }, { unique: true, name: 'one_job_per_name' })

  const agenda = new Agenda({
    // Agenda's backend names its own copy of the driver's Db type; mongoose's is the same driver.
    backend: new MongoBackend({ mongo: db as never, collection: JOBS_COLLECTION }),
    name: options.name ?? INSTANCE_ID,
    processEvery: options.processEvery ?? '1 minute',
    defaultConcurrency: 1,
    maxConcurrency: 1,
    defaultLockLifetime: LOCK_LIFETIME_MS,
  })
  agenda.on('error', (error: Error) => console.error('[clausewise] scheduler:', error.message))
  agenda.on(`fail:${SWEEP_JOB}`, (error: Error) => console.error('[clausewise] schedule sweep failed:', error))
  const sweep = async () => {
    const started = Date.now()
    const offboarding = await runOffboardingJobs(new Date())
    const result = {
      ...(await runSweep(new Date())),
      renewalTriggers: await completePendingRenewalTriggers(),
      expiredBatches: await sweepExpiredBatches(new Date()),
      ...(await sweepIncidents(new Date())),
      offboardingReminders: offboarding.reminders,
      offboardingEscalations: offboarding.escalations,
      retentionDue: await notifyRetentionDue(new Date()),
      ...(await runDocumentExpiry(new Date())),
      overdueFindings: await announceOverdueFindings(new Date()),
    }
    const work = Object.entries(result).filter(([, count]) => count > 0)
    if (work.length) log(`[clausewise] schedule sweep in ${Date.now() - started} ms: ${work.map(([name, count]) => `${name} ${count}`).join(', ')}`)
  }
  agenda.define(
    SWEEP_JOB,
    sweep,
    { concurrency: 1, lockLimit: 1, lockLifetime: LOCK_LIFETIME_MS },
  )
  agenda.on(`fail:${MAIL_JOB}`, (error: Error) => console.error('[clausewise] mail delivery failed:', error))
  agenda.define(
    MAIL_JOB,
    async () => {
      const result = await deliverDueMail()
      if (result.sent || result.retrying || result.failed) log(`[clausewise] outbox: ${result.sent} sent, ${result.retrying} to retry, ${result.failed} failed`)
    },
    // Each message is claimed atomically, so overlapping runs on several instances are safe.
    { concurrency: 1, lockLimit: 1, lockLifetime: 10 * 60_000 },
  )
  agenda.on(`fail:${SESSIONS_JOB}`, (error: Error) => console.error('[clausewise] session purge failed:', error))
  agenda.define(
    SESSIONS_JOB,
    async () => {
      const purged = await purgeExpiredSessions(new Date())
      if (purged) log(`[clausewise] sessions: ${purged} expired purged`)
    },
    { concurrency: 1, lockLimit: 1, lockLifetime: 10 * 60_000 },
  )
  agenda.on(`fail:${WEBHOOKS_JOB}`, (error: Error) => console.error('[clausewise] webhook delivery failed:', error))
  agenda.define(
    WEBHOOKS_JOB,
    async () => {
      const relayed = await relayLeftoverEvents()
      const result = await deliverDueWebhooks()
      if (relayed) log(`[clausewise] events: ${relayed} relayed after an interrupted write`)
      if (result.delivered || result.retrying || result.failed) log(`[clausewise] webhooks: ${result.delivered} delivered, ${result.retrying} to retry, ${result.failed} failed`)
    },
    // Deliveries are claimed atomically and the relay is idempotent: overlapping runs are safe.
    { concurrency: 1, lockLimit: 1, lockLifetime: 10 * 60_000 },
  )
  await agenda.start()
  const repeat = async (interval: string | number, job: string, skipImmediate: boolean) => {
    for (let attempt = 0; ; attempt++) {
      try {
        await agenda.every(interval, job, undefined, { skipImmediate })
        return
      } catch (error) {
        // Another instance created the job document at the same moment: ours now updates it.
        if ((error as { code?: number }).code !== 11000 || attempt >= 2) throw error
      }
    }
  }
  await repeat(options.every ?? '15 minutes', SWEEP_JOB, !options.runImmediately)
  await repeat(options.mailEvery ?? '30 seconds', MAIL_JOB, false)
  await repeat(options.sessionsEvery ?? '10 minutes', SESSIONS_JOB, false)
  await repeat(options.webhooksEvery ?? '30 seconds', WEBHOOKS_JOB, false)
  // Not awaited: start-up does not wait for the catch-up, but stopping does.
  const startupSweep = options.sweepOnStart === false ? Promise.resolve() : sweep().catch((error) => console.error('[clausewise] start-up schedule sweep failed:', error))
  // Stopping leaves one referenced timer per job that ran in the last minutes: Agenda (6.2) checks
  // a running job's lock every half lock lifetime (5 min) and does not cancel that wait. A process
  // that boots the app in-process therefore exits explicitly after shutdown, as server.ts does.
  return async () => {
    await startupSweep
    await agenda.stop(false)
  }
}
