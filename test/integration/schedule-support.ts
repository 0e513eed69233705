// Helpers for the scheduler's tests: a real SMTP server on loopback that records what it receives,
// and small builders for vendors and contracts.
import { SMTPServer } from 'smtp-server'
import { Types } from 'mongoose'
import { ContractModel } from '~models/contract'
import { VendorModel } from '~models/vendor'

export interface ReceivedMail {
  to: string[]
  subject: string
  raw: string
}

/** RFC 2047 encoded words (=?UTF-8?B?…?= / =?UTF-8?Q?…?=), as nodemailer writes non-ASCII subjects. */
export function decodeHeader(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_match, _charset: string, encoding: string, text: string) =>
      encoding.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64').toString('utf8')
        : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1').toString('utf8'),
    )
}

function subjectOf(raw: string): string {
  const head = raw.split(/\r?\n\r?\n/)[0] ?? ''
  const unfolded = head.replace(/\r?\n[ \t]+/g, ' ')
  const line = unfolded.split(/\r?\n/).find((entry) => /^subject:/i.test(entry)) ?? ''
  return decodeHeader(line.replace(/^subject:\s*/i, '').trim())
}

export async function startSmtpServer(options: { onMessage?: (mail: ReceivedMail) => void } = {}) {
  const received: ReceivedMail[] = []
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (chunk: Buffer) => chunks.push(chunk))
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8')
        const mail = { to: session.envelope.rcptTo.map((rcpt) => rcpt.address), subject: subjectOf(raw), raw }
        received.push(mail)
        callback()
        options.onMessage?.(mail)
      })
    },
  })
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve((server.server.address() as { port: number }).port))
  })
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

export async function createVendor(input: {
  name: string
  tier: 1 | 2 | 3 | 4
  contacts: { name: string; email: string; locale: 'en' | 'zh-CN' }[]
  businessOwnerId?: Types.ObjectId
  category?: string
  status?: string
}) {
  const vendor = await VendorModel.create({
    legalName: { en: input.name, 'zh-CN': `${input.name}（中国）` },
    category: input.category ?? 'cloud_it',
    status: input.status ?? 'active',
    contacts: input.contacts,
    businessOwnerId: input.businessOwnerId,
    tier: { computed: input.tier, reasons: [] },
    effectiveTier: input.tier,
  })
  return vendor._id
}

export async function createContract(input: { vendorId: Types.ObjectId; reference: string; effectiveAt: Date; expiresAt: Date }) {
  const contract = await ContractModel.create({ ...input, title: `Service agreement ${input.reference}`, status: 'active' })
  return contract._id
}
