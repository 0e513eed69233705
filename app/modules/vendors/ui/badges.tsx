import { useTranslation } from 'react-i18next'
import { Badge } from '~/components/ui'
import type { VendorStatus } from '../vocabulary'
import { tierLabel } from '~/i18n/glossary'

const TIER_TONE = { 1: 'critical', 2: 'bad', 3: 'warn', 4: 'good' } as const

/** "Tier 2 · High", with a mark when an administrator overrode the computed tier. */
export function TierBadge({ tier, overridden = false }: { tier: number; overridden?: boolean }) {
  const { t } = useTranslation('vendors')
  return <TierBadgeView tier={tier} label={tierLabel(t, tier)} overriddenLabel={overridden ? t('list.overridden') : null} />
}

/** The tier badge from labels translated by the caller (a list translates them once per page). */
export function TierBadgeView({ tier, label, overriddenLabel }: { tier: number; label: string; overriddenLabel: string | null }) {
  const tone = TIER_TONE[tier as keyof typeof TIER_TONE] ?? 'neutral'
  return (
    <span className="inline-flex items-center gap-1 whitespace-nowrap" data-testid="tier-badge" data-tier={tier}>
      <Badge tone={tone}>{label}</Badge>
      {overriddenLabel ? (
        <span className="text-xs text-slate-500" title={overriddenLabel}>
          *<span className="sr-only">{overriddenLabel}</span>
        </span>
      ) : null}
    </span>
  )
}

const STATUS_TONE: Record<VendorStatus, 'info' | 'good' | 'warn' | 'neutral'> = {
  onboarding: 'info',
  active: 'good',
  suspended: 'warn',
  offboarded: 'neutral',
}

export function StatusBadge({ status }: { status: VendorStatus }) {
  const { t } = useTranslation('vendors')
  return <StatusBadgeView status={status} label={t(`status.${status}`)} />
}

export function StatusBadgeView({ status, label }: { status: VendorStatus; label: string }) {
  return <Badge tone={STATUS_TONE[status]}>{label}</Badge>
}
