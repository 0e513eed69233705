import { useTranslation } from 'react-i18next'
import type { QueueSnapshot } from '../autosave'

const tone: Record<QueueSnapshot['status'], string> = {
  idle: 'bg-slate-100 text-slate-600',
  saved: 'bg-emerald-50 text-emerald-800',
  saving: 'bg-sky-50 text-sky-800',
  offline: 'bg-amber-100 text-amber-900',
  conflict: 'bg-amber-100 text-amber-900',
  invalid: 'bg-red-50 text-red-800',
  refused: 'bg-red-50 text-red-800',
}

/** "Saved / Saving… / Offline" — always visible while the vendor works. */
export function SaveStatus({ snapshot, readOnly, onRetry }: { snapshot: QueueSnapshot; readOnly: boolean; onRetry: () => void }) {
  const { t } = useTranslation('vendorPortal')
  if (readOnly) return null
  return (
    <span className="flex shrink-0 items-center gap-2">
      <span role="status" aria-live="polite" data-testid="save-status" data-status={snapshot.status} className={`rounded-full px-2.5 py-1 text-xs font-medium ${tone[snapshot.status]}`}>
        {t(`saveStatus.${snapshot.status}`, { count: snapshot.waiting })}
      </span>
      {snapshot.status === 'offline' ? (
        <button type="button" onClick={onRetry} className="text-xs font-medium text-sky-700 hover:underline">
          {t('saveStatus.retry')}
        </button>
      ) : null}
    </span>
  )
}
