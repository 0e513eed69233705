// The differences of a clause-library draft, for its draft page: clauses added, removed, changed
// (which fields) and contract templates changed.
import { useTranslation } from 'react-i18next'
import { EmptyState } from '~/components/ui'
import { hasClauseDifferences, type ClauseDifferences } from './clause-draft-diff'

export function ClauseDifferencesList({ differences }: { differences: ClauseDifferences }) {
  const { t } = useTranslation('library')
  const fields = (list: string[]) => list.map((field) => t(`clauseDraft.field.${field}`, { defaultValue: field })).join(t('listSeparator'))
  if (!hasClauseDifferences(differences)) return <EmptyState>{t('clauseDraft.none')}</EmptyState>
  const ids = (list: string[], testId: string, title: string, tone: string) =>
    list.length ? (
      <section data-testid={testId}>
        <h3 className={`mb-1 font-medium ${tone}`}>{title}</h3>
        <ul className="list-inside list-disc font-mono">
          {list.map((id) => (
            <li key={id}>{id}</li>
          ))}
        </ul>
      </section>
    ) : null
  return (
    <>
      {ids(differences.added, 'clauses-added', t('clauseDraft.added'), 'text-emerald-800')}
      {ids(differences.removed, 'clauses-removed', t('clauseDraft.removed'), 'text-red-800')}
      {differences.changed.length ? (
        <section data-testid="clauses-changed">
          <h3 className="mb-1 font-medium text-amber-800">{t('clauseDraft.changed')}</h3>
          <ul className="list-inside list-disc">
            {differences.changed.map((change) => (
              <li key={change.id}>
                <span className="font-mono">{change.id}</span>: {fields(change.fields)}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {differences.templates.length ? (
        <section data-testid="templates-changed">
          <h3 className="mb-1 font-medium text-amber-800">{t('clauseDraft.templates')}</h3>
          <ul className="list-inside list-disc">
            {differences.templates.map((change) => (
              <li key={change.category}>
                {t(`vendors:category.${change.category}`)}: {fields(change.fields)}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  )
}
