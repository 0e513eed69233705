// Delivering the outbox: at least once, with retries, and exactly once as the recipient sees it.
// - A message is claimed atomically (one findOneAndUpdate from "queued" to "sending" with a lease),
//   so two senders — the request that recorded it, the job of any app instance — never send it at
//   the same time. A sender that dies mid-send leaves the claim, which expires; the message is
//   then claimed and sent again.
// - A failed attempt goes back to "queued" with exponential backoff (MAIL_RETRY_BASE_MS doubling
//   per attempt, at most 6 h) until MAIL_MAX_ATTEMPTS; a permanent SMTP rejection (5xx) fails at once.
// - Every attempt carries the same Message-ID, derived from the message's dedupeKey, so the rare
//   resend after a crash between the server's "250 OK" and our "sent" mark is one message to the
//   recipient's mail system.
import { createHash } from 'node:crypto'
import os from 'node:os'
import nodemailer, { type Transporter } from 'nodemailer'
import type { Types } from 'mongoose'
import { getEnv } from '~/env.server'
// Deliberately a direct import (not a registry filled at start-up): every process that delivers
// mail must run the vendor-link follow-up, whichever modules it happened to load.
import { recordLinkMail } from '~/modules/assessments/link-mail.server'
import { claimDueMail, markMailSent, recordFailedMailAttempt, type MailDeliveryEffect, type MailMessageRecord } from './mail-message-store.server'

export type DeliveryEffect = MailDeliveryEffect

const MAX_BACKOFF_MS = 6 * 60 * 60 * 1000
export const SENDER_ID = `${os.hostname()}:${process.pid}`

let transporter: Transporter | null | undefined
export function smtp(): Transporter | null {
  if (transporter === undefined) {
    const url = getEnv().SMTP_URL
    // Short timeouts: a stuck server must fail the attempt well within the claim's lease.
    // nodemailer's types have no overload for a URL together with options; both are accepted at run time.
    transporter = url ? nodemailer.createTransport({ url, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 } as never) : null
  }
  return transporter
}

/** For tests that point the app at a new SMTP server. */
export function resetMailTransport() {
  transporter?.close()
  transporter = undefined
}

/** The Message-ID header for a message: the same for every attempt, and for the same key. */
export function messageIdFor(key: string): string {
  const domain = /@([A-Za-z0-9.-]+)/.exec(getEnv().MAIL_FROM)?.[1] ?? 'clausewise.local'
  return `<${createHash('sha256').update(key, 'utf8').digest('hex').slice(0, 32)}@${domain}>`
}

/** Wait before attempt `attempts + 1`, after `attempts` failed ones. */
export function retryDelay(attempts: number, baseMs = getEnv().MAIL_RETRY_BASE_MS): number {
  return Math.min(baseMs * 2 ** Math.max(0, attempts - 1), MAX_BACKOFF_MS)
}

/**
 * Claims one message that is due (or whose sender's lease ran out); `only` narrows it to one
 * message. Null when there is none: nothing due, or another sender was first.
 */
function claim(now: Date, by: string, only?: Types.ObjectId) {
  return claimDueMail({ now, by, until: new Date(now.getTime() + getEnv().MAIL_CLAIM_LEASE_MS), only })
}

/** Runs what a delivered message asks for (idempotent: it may run again after a crash). */
export async function runDeliveryEffect(effect: DeliveryEffect | undefined, status: 'sent' | 'outbox') {
  if (effect?.kind === 'vendor-link') await recordLinkMail(effect, status)
}

export type AttemptOutcome = 'sent' | 'queued' | 'failed'

async function attempt(message: MailMessageRecord, transport: Transporter, by: string): Promise<AttemptOutcome> {
  try {
    await transport.sendMail({
      from: getEnv().MAIL_FROM,
      to: message.to,
      cc: message.cc,
      subject: message.subject,
      text: message.text,
      html: message.html ?? undefined,
      messageId: message.messageId ?? messageIdFor(String(message._id)),
    })
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error)
    const code = (error as { responseCode?: number }).responseCode
    const giveUp = (code !== undefined && code >= 500) || message.attempts >= getEnv().MAIL_MAX_ATTEMPTS
    // Only while the claim is still ours: after a lease ran out, the new sender decides.
    await recordFailedMailAttempt(message, by, text, giveUp ? null : new Date(Date.now() + retryDelay(message.attempts)))
    return giveUp ? 'failed' : 'queued'
  }
  // The follow-up first: a crash before the mark resends (same Message-ID) and runs it again.
  await runDeliveryEffect(message.onDelivered, 'sent')
  await markMailSent(message._id, new Date())
  return 'sent'
}

/** One attempt at one message right away (the request that recorded it); null if it was not ours to send. */
export async function deliverNow(id: Types.ObjectId, by = SENDER_ID): Promise<AttemptOutcome | null> {
  const transport = smtp()
  if (!transport) return null
  const message = await claim(new Date(), by, id)
  return message ? attempt(message, transport, by) : null
}

/** Sends what is due, one message after another (the mail job of the scheduler). */
export async function deliverDueMail(options: { now?: () => Date; limit?: number; by?: string } = {}) {
  const counts = { sent: 0, retrying: 0, failed: 0 }
  const transport = smtp()
  if (!transport) return counts
  const by = options.by ?? SENDER_ID
  for (let index = 0; index < (options.limit ?? 200); index++) {
    const message = await claim(options.now?.() ?? new Date(), by)
    if (!message) break
    const outcome = await attempt(message, transport, by)
    counts[outcome === 'queued' ? 'retrying' : outcome]++
  }
  return counts
}
