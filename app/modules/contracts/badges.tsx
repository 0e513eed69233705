import { useTranslation } from 'react-i18next'
import { Badge } from '~/components/ui'
import type { ContractStanding } from './standing'

const tone = { draft: 'neutral', scheduled: 'info', in_force: 'good', expired: 'warn', terminated: 'bad' } as const

export function StandingBadge({ standing }: { standing: ContractStanding }) {
  const { t } = useTranslation('contracts')
  return <Badge tone={tone[standing]}>{t(`standing.${standing}`)}</Badge>
}
