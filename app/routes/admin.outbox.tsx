import type { LoaderFunctionArgs } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { Badge, Card, EmptyState, PageHeader } from '~/components/ui'
import { requireUser } from '~/modules/auth/session.server'
import { listMail } from '~/modules/mail/mail.server'
import { getEnv } from '~/env.server'
import { formatDateTime } from '~/modules/assessments/dates'
import { useRootData } from '~/root'

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
      createdAt: message.createdAt.toISOString(),
    })),
  }
}

const tone = { sent: 'good', outbox: 'info', sending: 'warn', failed: 'bad' } as const

export default function OutboxPage() {
  const { t } = useTranslation('admin')
  const { messages, timeZone } = useLoaderData<typeof loader>()
  const locale = useRootData()?.locale ?? 'zh-CN'
  return (
    <div>
      <PageHeader title={t('outbox.title')} subtitle={t('outbox.subtitle')} />
      {messages.length === 0 ? (
        <EmptyState>{t('outbox.empty')}</EmptyState>
      ) : (
        <div className="flex flex-col gap-3" data-testid="outbox">
          {messages.map((message) => (
            <Card key={message.id}>
              <details>
                <summary className="flex cursor-pointer flex-wrap items-center gap-3 text-sm">
                  <Badge tone={tone[message.status as keyof typeof tone] ?? 'neutral'}>{t(`outbox.status.${message.status}`)}</Badge>
                  <span className="font-medium text-slate-800">{message.subject}</span>
                  <span className="text-slate-500">→ {message.to.join(', ')}</span>
                  <span className="ml-auto text-xs text-slate-500"><time dateTime={message.createdAt}>{formatDateTime(message.createdAt, locale, timeZone)}</time></span>
                </summary>
                <pre className="mt-3 whitespace-pre-wrap break-words rounded bg-slate-50 p-3 font-sans text-sm text-slate-700">{message.text}</pre>
              </details>
            </Card>
          ))}
        </div>
      )}
    </div>
  )
}
