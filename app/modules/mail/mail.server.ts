import nodemailer, { type Transporter } from 'nodemailer'
import { getEnv } from '~/env.server'
import { MailMessageModel } from '~models/mail-message'
import { spaceMixedScript } from './layout'

export interface OutgoingMail {
  to: string | string[]
  cc?: string[]
  subject: string
  text: string
  html?: string
  locale?: string
  kind: string
  /** Same key, same message: sent at most once, whoever tries and however often. */
  dedupeKey?: string
  related?: { kind: string; id: string }
}

export type SendResult =
  | { status: 'sent' | 'outbox'; messageId: string }
  | { status: 'duplicate' }
  | { status: 'failed'; messageId: string; error: string }

let transporter: Transporter | null | undefined
function smtp(): Transporter | null {
  if (transporter === undefined) {
    const url = getEnv().SMTP_URL
    transporter = url ? nodemailer.createTransport(url) : null
  }
  return transporter
}

/** For tests that point the app at a new SMTP server. */
export function resetMailTransport() {
  transporter?.close()
  transporter = undefined
}

function isDuplicateKey(error: unknown) {
  return typeof error === 'object' && error !== null && (error as { code?: number }).code === 11000
}

/**
 * Records the message, then sends it over SMTP (or leaves it in the outbox when no SMTP_URL is
 * set). The record is written first so that a dedupeKey claims the message before it goes out.
 */
export async function sendMail(outgoing: OutgoingMail): Promise<SendResult> {
  const mail = { ...outgoing, subject: spaceMixedScript(outgoing.subject) }
  const transport = smtp()
  const to = Array.isArray(mail.to) ? mail.to : [mail.to]
  let record
  try {
    record = await MailMessageModel.create({
      ...mail,
      to,
      status: transport ? 'sending' : 'outbox',
      transport: transport ? 'smtp' : 'outbox',
      sentAt: transport ? undefined : new Date(),
    })
  } catch (error) {
    if (mail.dedupeKey && isDuplicateKey(error)) return { status: 'duplicate' }
    throw error
  }
  const messageId = record._id.toString()
  if (!transport) return { status: 'outbox', messageId }
  try {
    await transport.sendMail({ from: getEnv().MAIL_FROM, to, cc: mail.cc, subject: mail.subject, text: mail.text, html: mail.html })
    await MailMessageModel.updateOne({ _id: record._id }, { $set: { status: 'sent', sentAt: new Date() } })
    return { status: 'sent', messageId }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    await MailMessageModel.updateOne({ _id: record._id }, { $set: { status: 'failed', error: message } })
    return { status: 'failed', messageId, error: message }
  }
}

export async function listMail({ limit = 100 }: { limit?: number } = {}) {
  return MailMessageModel.find({}, { html: 0 }).sort({ createdAt: -1 }).limit(limit).lean()
}
