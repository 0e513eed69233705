// Badges for the review's vocabularies, in the reader's language. Shared by the review page,
// the findings pages and the risk matrix.
import type { TFunction } from 'i18next'
import { useMemo } from 'react'
import { useTranslation } from 'react-i18next'
import { cachedTranslator } from '~/i18n/cached-translator'
import { Badge } from '~/components/ui'
import { dateTimeFormat } from '~/modules/formatting/date-format'
import { riskLabel, severityLabel } from '~/i18n/glossary'

type Tone = 'neutral' | 'info' | 'good' | 'warn' | 'bad' | 'critical'

const STATUS_TONE: Record<string, Tone> = {
  meets: 'good',
  partial: 'warn',
  fails: 'bad',
  not_applicable: 'neutral',
  not_assessed: 'neutral',
}
const SEVERITY_TONE: Record<string, Tone> = { critical: 'critical', high: 'bad', medium: 'warn', low: 'neutral' }
const RISK_TONE: Record<string, Tone> = { critical: 'critical', high: 'bad', medium: 'warn', low: 'good' }

/**
 * The review page's translator and language, for its rows: they take `t` from their list instead
 * of each calling useTranslation, and the same text is translated once per render (a page has
 * ~100 answers and ~30 clauses).
 */
export function usePageTranslation() {
  const { t, i18n } = useTranslation('review')
  const cached = useMemo(() => cachedTranslator(t), [t])
  return { t: cached, locale: i18n.language }
}

/** A clause's status or an answer's effect on a clause. */
export function ClauseStatusBadge({ status }: { status: string }) {
  const { t } = useTranslation('review')
  return <ClauseStatusBadgeView status={status} t={t} />
}

/** The same badge, translated by the caller's (page) translator. */
export function ClauseStatusBadgeView({ status, t }: { status: string; t: TFunction }) {
  return <Badge tone={STATUS_TONE[status] ?? 'neutral'}>{t(`clauseStatus.${status}`)}</Badge>
}

export function SeverityBadge({ severity }: { severity: string }) {
  const { t } = useTranslation('review')
  return <SeverityBadgeView severity={severity} t={t} />
}

export function SeverityBadgeView({ severity, t }: { severity: string; t: TFunction }) {
  return <Badge tone={SEVERITY_TONE[severity] ?? 'neutral'}>{severityLabel(t, severity)}</Badge>
}

export function RiskBadge({ risk, large = false }: { risk: string; large?: boolean }) {
  const { t } = useTranslation('review')
  if (!large) return <Badge tone={RISK_TONE[risk] ?? 'neutral'}>{riskLabel(t, risk)}</Badge>
  const style: Record<string, string> = {
    critical: 'bg-red-700 text-white',
    high: 'bg-red-100 text-red-900',
    medium: 'bg-amber-100 text-amber-900',
    low: 'bg-emerald-100 text-emerald-900',
  }
  return <span className={`inline-flex rounded-md px-3 py-1 text-lg font-semibold ${style[risk] ?? 'bg-slate-100'}`}>{riskLabel(t, risk)}</span>
}

/** The cell colour of a residual risk in the matrix. */
export const riskCellClass: Record<string, string> = {
  critical: 'bg-red-700 text-white',
  high: 'bg-red-100 text-red-900',
  medium: 'bg-amber-100 text-amber-900',
  low: 'bg-emerald-50 text-emerald-900',
}

const FINDING_STATUS_TONE: Record<string, Tone> = { open: 'bad', in_progress: 'info', closed: 'good', risk_accepted: 'warn' }

export function FindingStatusBadge({ status }: { status: string }) {
  const { t } = useTranslation('findings')
  return (
    <span className="whitespace-nowrap">
      <Badge tone={FINDING_STATUS_TONE[status] ?? 'neutral'}>{t(`status.${status}`)}</Badge>
    </span>
  )
}

/** Dates in the institution's time zone and the reader's language. */
export function formatDate(value: string | null | undefined, locale: string, timeZone: string, withTime = false) {
  if (!value) return '—'
  return dateTimeFormat(locale, {
    timeZone,
    year: 'numeric',
    month: withTime ? 'short' : 'long',
    day: 'numeric',
    ...(withTime ? { hour: '2-digit', minute: '2-digit' } : {}),
  }).format(new Date(value))
}
