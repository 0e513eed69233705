import { useTranslation } from 'react-i18next'
import { Badge } from '~/components/ui'
import { STATUS_TONE } from '../status'
import type { IncidentSeverity, IncidentStatus } from '../vocabulary'

const SEVERITY_TONE: Record<IncidentSeverity, 'critical' | 'bad' | 'warn' | 'neutral'> = { critical: 'critical', high: 'bad', medium: 'warn', low: 'neutral' }

export function IncidentStatusBadge({ status }: { status: IncidentStatus }) {
  const { t } = useTranslation('incidents')
  return <Badge tone={STATUS_TONE[status]}>{t(`status.${status}`)}</Badge>
}

export function SeverityBadge({ severity }: { severity: IncidentSeverity }) {
  const { t } = useTranslation('incidents')
  return <Badge tone={SEVERITY_TONE[severity]}>{t(`severity.${severity}`)}</Badge>
}
