import { useTranslation } from 'react-i18next'
import { Badge } from '~/components/ui'
import type { VendorStatus } from '../vocabulary'
import { tierLabel } from '~/i18n/glossary'

const TIER_TONE = { 1: 'critical', 2: 'bad', 3: 'warn', 4: 'good' } as const

/** "Tier 2 · High", with a mark when an administrator overrode the computed tier. */
export function TierBadge({ tier, overridden = false }: { tier: number; overridden?: boolean }) {
  const { t } = useTranslation('vendors')
  const tone = TIER_TONE[tier as keyof typeof TIER_TONE] ?? 'neutral'
  return (
    <span className="inline-flex items-center gap-1 whitespace-nowrap" data-testid="tier-badge" data-tier={tier}>
      <Badge tone={tone}>{tierLabel(t, tier)}</Badge>
      {overridden ? (
        <span className="text-xs text-slate-500" title={t('list.overridden')}>
          *<span className="sr-only">{t('list.overridden')}</span>
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
  return <Badge tone={STATUS_TONE[status]}>{t(`status.${status}`)}</Badge>
}
