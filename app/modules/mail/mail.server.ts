import { Types } from 'mongoose'
import { deliverNow, messageIdFor, runDeliveryEffect, smtp, type DeliveryEffect } from './delivery.server'
import { findMailError, insertMailMessage, listRecentMail, requeueMailNow, type ListedMail } from './mail-message-store.server'

export { resetMailTransport } from './delivery.server'
import { spaceMixedScript } from './layout'

export interface OutgoingMail {
  to: string | string[]
  cc?: string[]
  subject: string
  text: string
  html?: string
  locale?: string
  kind: string
  /** Same key, same message: recorded once, delivered once, whoever tries and however often. */
  dedupeKey?: string
  related?: { kind: string; id: string }
  /** What to record once the message is delivered (see delivery.server.ts). */
  onDelivered?: DeliveryEffect
}

/**
 * sent: delivered now; queued: recorded, the first attempt failed or another sender has it, the
 * mail job retries it; outbox: no SMTP configured, kept in the outbox; failed: refused for good.
 */
export type SendResult =
  | { status: 'sent' | 'outbox' | 'queued'; messageId: string }
  | { status: 'duplicate' }
  | { status: 'failed'; messageId: string; error: string }

/**
 * Records the message in the outbox, then makes one attempt to send it over SMTP (none when no
 * SMTP_URL is set). The record is written first, so a dedupeKey claims the message before it
 * goes out and a crash after this point leaves it for the mail job.
 */
export async function sendMail(outgoing: OutgoingMail): Promise<SendResult> {
  const mail = { ...outgoing, subject: spaceMixedScript(outgoing.subject) }
  const transport = smtp()
  const to = Array.isArray(mail.to) ? mail.to : [mail.to]
  const _id = new Types.ObjectId()
  const now = new Date()
  const recorded = await insertMailMessage({
    ...mail,
    _id,
    to,
    status: transport ? 'queued' : 'outbox',
    transport: transport ? 'smtp' : 'outbox',
    messageId: messageIdFor(mail.dedupeKey ?? `mail:${_id.toString()}`),
    attempts: 0,
    nextAttemptAt: transport ? now : undefined,
    sentAt: transport ? undefined : now,
  })
  if (!recorded) return { status: 'duplicate' }
  const messageId = _id.toString()
  if (!transport) {
    await runDeliveryEffect(mail.onDelivered, 'outbox')
    return { status: 'outbox', messageId }
  }
  const outcome = await deliverNow(_id)
  if (outcome === 'failed') {
    return { status: 'failed', messageId, error: (await findMailError(_id)) ?? '' }
  }
  return { status: outcome === 'sent' ? 'sent' : 'queued', messageId }
}

export function listMail({ limit = 100 }: { limit?: number } = {}): Promise<ListedMail[]> {
  return listRecentMail(limit)
}

/** An administrator's "try again now" for a message that failed or waits for its next attempt. */
export async function retryMailNow(id: string): Promise<boolean> {
  if (!Types.ObjectId.isValid(id)) return false
  return requeueMailNow(new Types.ObjectId(id), new Date())
}
