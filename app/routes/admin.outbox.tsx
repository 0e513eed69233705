import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { readFormData } from '~/modules/forms/read.server'
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { Badge, Card, EmptyState, PageHeader } from '~/components/ui'
import { requireUser } from '~/modules/auth/session.server'
import { listMail, retryMailNow } from '~/modules/mail/mail.server'
import { getEnv } from '~/env.server'
import { formatDateTime } from '~/modules/dates/dates'
import { useLocale } from '~/root'

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request, 'admin:outbox')
  const messages = await listMail({ limit: 200 })
  // Formatted in the institution's zone on the server and in the browser alike (no hydration mismatch).
  return {
    timeZone: getEnv().INSTITUTION_TIMEZONE,
    messages: messages.map((message) => ({
      id: message._id.toString(),
      to: message.to,
      subject: message.subject,
      text: message.text,
      kind: message.kind,
      status: message.status,
      transport: message.transport,
      attempts: message.attempts ?? 0,
      error: message.error ?? null,
      nextAttemptAt: message.status === 'queued' ? (message.nextAttemptAt?.toISOString() ?? null) : null,
      sentAt: message.sentAt?.toISOString() ?? null,
      messageId: message.messageId ?? null,
      createdAt: message.createdAt.toISOString(),
    })),
  }
}

// "Try again now" for a message that failed or waits for its next attempt: the mail job sends it.
export async function action({ request }: ActionFunctionArgs) {
  await requireUser(request, 'admin:outbox')
  const form = await readFormData(request)
  const id = String(form.get('messageId') ?? '')
  if (await retryMailNow(id)) return { messageId: id, ok: true as const }
  return Response.json({ messageId: id, ok: false as const }, { status: 409 })
}

const tone = { sent: 'good', outbox: 'info', sending: 'warn', queued: 'warn', failed: 'bad' } as const

export default function OutboxPage() {
  const { t } = useTranslation('admin')
  const { messages, timeZone } = useLoaderData<typeof loader>()
  const locale = useLocale()
  const result = useActionData<{ messageId: string; ok: boolean }>()
  const navigation = useNavigation()
  return (
    <div>
      <PageHeader title={t('outbox.title')} subtitle={t('outbox.subtitle')} />
      {messages.length === 0 ? (
        <EmptyState>{t('outbox.empty')}</EmptyState>
      ) : (
        <div className="flex flex-col gap-3" data-testid="outbox">
          {messages.map((message) => (
            <Card key={message.id}>
              <details data-status={message.status}>
                <summary className="flex cursor-pointer flex-wrap items-center gap-3 text-sm">
                  <Badge tone={tone[message.status as keyof typeof tone] ?? 'neutral'}>{t(`outbox.status.${message.status}`)}</Badge>
                  <span className="font-medium text-slate-800">{message.subject}</span>
                  <span className="text-slate-500">→ {message.to.join(', ')}</span>
                  {message.transport === 'smtp' ? <span className="text-xs text-slate-500">{t('outbox.attempts', { count: message.attempts })}</span> : null}
                  {message.nextAttemptAt ? <span className="text-xs text-amber-700">{t('outbox.nextAttempt', { at: formatDateTime(message.nextAttemptAt, locale, timeZone) })}</span> : null}
                  <span className="ml-auto text-xs text-slate-500"><time dateTime={message.createdAt}>{formatDateTime(message.createdAt, locale, timeZone)}</time></span>
                </summary>
                {message.error && message.status !== 'sent' ? (
                  <p className="mt-3 text-sm text-red-700">
                    <span className="font-medium">{t('outbox.lastError')}:</span> <span className="break-words font-mono text-xs">{message.error}</span>
                  </p>
                ) : null}
                <dl className="mt-2 flex flex-wrap gap-x-6 gap-y-1 text-xs text-slate-500">
                  {message.sentAt ? <dd>{t('outbox.sentAt', { at: formatDateTime(message.sentAt, locale, timeZone) })}</dd> : null}
                  {message.messageId ? (
                    <dd>
                      {t('outbox.messageId')}: <span className="font-mono">{message.messageId}</span>
                    </dd>
                  ) : null}
                </dl>
                {message.status === 'failed' || message.status === 'queued' ? (
                  <Form method="post" className="mt-3 flex items-center gap-3">
                    <input type="hidden" name="messageId" value={message.id} />
                    <button
                      type="submit"
                      disabled={navigation.state !== 'idle'}
                      className="inline-flex items-center rounded-md bg-white px-3 py-1.5 text-sm font-semibold text-slate-700 shadow-sm ring-1 ring-inset ring-slate-300 hover:bg-slate-50"
                    >
                      {t('outbox.retry')}
                    </button>
                    {result?.messageId === message.id ? (
                      <span role="status" className={`text-sm ${result.ok ? 'text-emerald-700' : 'text-red-700'}`}>
                        {t(result.ok ? 'outbox.retried' : 'outbox.notRetried')}
                      </span>
                    ) : null}
                  </Form>
                ) : null}
                <pre className="mt-3 whitespace-pre-wrap break-words rounded bg-slate-50 p-3 font-sans text-sm text-slate-700">{message.text}</pre>
              </details>
            </Card>
          ))}
        </div>
      )}
    </div>
  )
}
