// Small, consistent marks for library content: severity, knock-out, a clause effect.
import { Link } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { Badge } from '~/components/ui'
import type { ClauseEffect, Severity } from './content-schema'
import { severityLabel } from '~/i18n/glossary'

const severityTone = { critical: 'critical', high: 'bad', medium: 'warn', low: 'neutral' } as const

export function SeverityBadge({ severity }: { severity: Severity }) {
  const { t } = useTranslation('library')
  return <Badge tone={severityTone[severity]}>{severityLabel(t, severity)}</Badge>
}

export function KnockOutBadge() {
  const { t } = useTranslation('library')
  return (
    <span title={t('knockOut.hint')} className="inline-flex items-center rounded-full bg-slate-900 px-2 py-0.5 text-xs font-semibold text-white">
      {t('knockOut.label')}
    </span>
  )
}

const effectStyle: Record<ClauseEffect, string> = {
  meets: 'bg-emerald-50 text-emerald-800 ring-emerald-200',
  partial: 'bg-amber-50 text-amber-800 ring-amber-200',
  fails: 'bg-red-50 text-red-800 ring-red-200',
  not_applicable: 'bg-slate-50 text-slate-600 ring-slate-200',
}

/** "PRIV-01 · Meets", linking to the clause in the library. */
export function ClauseEffectChip({ clauseId, effect, title }: { clauseId: string; effect: ClauseEffect; title?: string }) {
  const { t } = useTranslation('library')
  return (
    <Link
      to={`/library/clauses#${clauseId}`}
      title={title}
      className={`inline-flex items-center gap-1 rounded px-1.5 py-0.5 text-xs ring-1 ring-inset hover:underline ${effectStyle[effect]}`}
    >
      <span className="font-mono">{clauseId}</span>
      <span aria-hidden="true">·</span>
      <span>{t(`effect.${effect}`)}</span>
    </Link>
  )
}

/** The effect alone, where the clause is already clear from the context. */
export function EffectBadge({ effect }: { effect: ClauseEffect }) {
  const { t } = useTranslation('library')
  return <span className={`inline-flex rounded px-1.5 py-0.5 text-xs ring-1 ring-inset ${effectStyle[effect]}`}>{t(`effect.${effect}`)}</span>
}
