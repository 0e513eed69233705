import { useTranslation } from 'react-i18next'

/** One refused import's problems, each at its place (the VSAQ item when there is one); nothing was stored. */
export function ImportProblems({ problems }: { problems: { item?: string; sheet?: string; row?: number; column?: string; reason: string }[] }) {
  const { t } = useTranslation('library')
  if (problems.length === 0) return null
  const showItems = problems.some((problem) => problem.item)
  return (
    <div className="mt-4" role="alert" data-testid="import-problems">
      <p className="mb-2 text-sm font-medium text-rose-800">{t('import.nothingStored', { count: problems.length })}</p>
      <table className="w-full text-left text-sm">
        <thead className="text-xs uppercase tracking-wide text-slate-500">
          <tr>
            {showItems ? <th className="py-1 pr-4 font-medium">{t('libraryImport:item')}</th> : null}
            <th className="py-1 pr-4 font-medium">{t('import.sheet')}</th>
            <th className="py-1 pr-4 font-medium">{t('import.row')}</th>
            <th className="py-1 pr-4 font-medium">{t('import.column')}</th>
            <th className="py-1 font-medium">{t('import.reason')}</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {problems.map((problem, index) => (
            <tr key={index}>
              {showItems ? <td className="py-1 pr-4 font-mono">{problem.item ?? '—'}</td> : null}
              <td className="py-1 pr-4">{problem.sheet ?? '—'}</td>
              <td className="py-1 pr-4">{problem.row ?? '—'}</td>
              <td className="py-1 pr-4 font-mono">{problem.column ?? '—'}</td>
              <td className="py-1">{problem.reason}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
