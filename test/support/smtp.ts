// A real SMTP server on loopback that records what it receives, for every test that sends mail.
// Knobs: reject the next N messages with a temporary (4xx) or permanent (5xx) reply, hand each
// message to a hook before answering it, or be told of it once it is acknowledged.
import { SMTPServer } from 'smtp-server'

export interface Delivered {
  /** Envelope recipients, one address each. */
  to: string[]
  messageId: string
  /** Decoded (RFC 2047), as a reader sees it. */
  subject: string
  raw: string
}

export interface SmtpControls {
  url: string
  received: Delivered[]
  /** Refuse the next `count` messages at MAIL FROM with this reply code. */
  reject(count: number, code?: number): void
  /** Called with each message before the server answers; it may delay (or never answer). */
  beforeAccept: ((mail: Delivered) => Promise<void>) | null
  /** Resolves when the next message's sender is at MAIL FROM. */
  nextSession(): Promise<void>
  close(): Promise<void>
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

const headerOf = (raw: string, name: string) => {
  const head = (raw.split(/\r?\n\r?\n/)[0] ?? '').replace(/\r?\n[ \t]+/g, ' ')
  return head.split(/\r?\n/).find((line) => line.toLowerCase().startsWith(`${name.toLowerCase()}:`))?.replace(/^[^:]+:\s*/, '').trim() ?? ''
}

export async function startControlledSmtp(options: { onMessage?: (mail: Delivered) => void } = {}): Promise<SmtpControls> {
  let rejections = 0
  let rejectCode = 451
  let sessionWaiters: (() => void)[] = []
  const controls: SmtpControls = {
    url: '',
    received: [],
    reject(count, code = 451) {
      rejections = count
      rejectCode = code
    },
    beforeAccept: null,
    nextSession: () => new Promise<void>((resolve) => sessionWaiters.push(resolve)),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onMailFrom(_address, _session, callback) {
      const waiters = sessionWaiters
      sessionWaiters = []
      waiters.forEach((resolve) => resolve())
      if (rejections > 0) {
        rejections--
        return callback(Object.assign(new Error(rejectCode >= 500 ? 'Mailbox unavailable' : 'Try again later'), { responseCode: rejectCode }))
      }
      callback()
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (chunk: Buffer) => chunks.push(chunk))
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8')
        const mail = { to: session.envelope.rcptTo.map((rcpt) => rcpt.address), messageId: headerOf(raw, 'Message-ID'), subject: decodeHeader(headerOf(raw, 'Subject')), raw }
        controls.received.push(mail)
        void (controls.beforeAccept ? controls.beforeAccept(mail) : Promise.resolve()).then(() => {
          callback()
          options.onMessage?.(mail)
        })
      })
    },
  })
  server.on('error', () => undefined) // a sender killed mid-session is expected here
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve((server.server.address() as { port: number }).port))
  })
  controls.url = `smtp://127.0.0.1:${port}`
  return controls
}
