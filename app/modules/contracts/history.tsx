// The contract's history, newest first, each change in words.
import { useTranslation } from 'react-i18next'
import type { ContractChanges } from './changes'
import type { ContractEvent } from './vocabulary'

interface HistoryEntry {
  at: string
  atLocal: string
  event: ContractEvent
  actor: string | null
  changes: (Omit<ContractChanges, 'fields'> & { fields?: ContractChanges['fields'] }) | null
}

export function ContractHistory({ history }: { history: HistoryEntry[] }) {
  const { t } = useTranslation('contracts')
  const value = (field: string, raw: string | null) => {
    if (raw === null) return t('history.empty')
    return field === 'status' ? t(`status.${raw}`) : raw
  }
  return (
    <ol className="flex flex-col gap-4" data-testid="contract-history">
      {[...history].reverse().map((entry, index) => (
        <li key={`${entry.at}-${index}`} className="border-l-2 border-slate-200 pl-3 text-sm">
          <p className="text-slate-800">
            <span className="font-medium">{t(`history.event.${entry.event}`)}</span>
            <span className="text-slate-500">
              {' · '}
              <time dateTime={entry.at}>{entry.atLocal}</time> · {entry.actor ?? t('detail.system')}
            </span>
          </p>
          {entry.changes ? (
            <ul className="mt-1 flex flex-col gap-0.5 text-slate-600">
              {entry.changes.created ? (
                <li>{t('history.created', { status: t(`status.${entry.changes.created.status}`), count: entry.changes.created.clauseCount })}</li>
              ) : null}
              {Object.entries(entry.changes.fields ?? {}).map(([field, change]) => (
                <li key={field}>
                  {t('history.field', { field: t(`fields.${field}`), from: value(field, change?.[0] ?? null), to: value(field, change?.[1] ?? null) })}
                </li>
              ))}
              {entry.changes.clausesAdded?.length ? <li>{t('history.clausesAdded', { ids: entry.changes.clausesAdded.join(', ') })}</li> : null}
              {entry.changes.clausesRemoved?.length ? <li>{t('history.clausesRemoved', { ids: entry.changes.clausesRemoved.join(', ') })}</li> : null}
              {entry.changes.signedCopy ? <li>{t('history.signedCopy', { filename: entry.changes.signedCopy.filename })}</li> : null}
              {entry.changes.note ? <li className="italic">“{entry.changes.note}”</li> : null}
            </ul>
          ) : null}
        </li>
      ))}
    </ol>
  )
}
