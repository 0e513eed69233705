// What an imported file said about clause mappings (VSAQ tips, CAIQ control ids), shown on the
// draft page for the reviewer who maps the clauses, and how many texts still need translating.
import { useTranslation } from 'react-i18next'
import { buttonClass, Card } from '~/components/ui'
import type { DraftSuggestion } from './drafts.server'

export function DraftSuggestions({ draftId, suggestions, untranslated }: { draftId: string; suggestions: DraftSuggestion[]; untranslated: number }) {
  const { t } = useTranslation('libraryImport')
  if (suggestions.length === 0 && untranslated === 0) return null
  return (
    <Card
      title={t('suggestions.title')}
      actions={
        <a href={`/library/drafts/${draftId}/export.xlsx`} className={buttonClass.secondary} data-testid="draft-export" download>
          {t('suggestions.download')}
        </a>
      }
    >
      {untranslated > 0 ? (
        <p className="mb-3 text-sm text-amber-900" data-testid="draft-untranslated">
          {t('untranslated', { count: untranslated })}
        </p>
      ) : null}
      {suggestions.length > 0 ? (
        <>
          <p className="mb-3 text-sm text-slate-600">{t('suggestions.intro')}</p>
          <table className="w-full text-left text-sm" data-testid="draft-suggestions">
            <thead className="text-xs uppercase tracking-wide text-slate-500">
              <tr>
                <th className="py-1 pr-4 font-medium">{t('suggestions.question')}</th>
                <th className="py-1 pr-4 font-medium">{t('suggestions.answers')}</th>
                <th className="py-1 pr-4 font-medium">{t('suggestions.source')}</th>
                <th className="py-1 font-medium">{t('suggestions.text')}</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {suggestions.map((suggestion, index) => (
                <tr key={index}>
                  <td className="py-1 pr-4 font-mono">{suggestion.questionId ?? t('suggestions.general')}</td>
                  <td className="py-1 pr-4 font-mono">{suggestion.optionIds.join(', ') || '—'}</td>
                  <td className="py-1 pr-4 font-mono">{suggestion.sourceId ?? '—'}</td>
                  <td className="py-1">{suggestion.text}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
    </Card>
  )
}
