// The offline-fill page's body, the same for a vendor on their link and for staff filling in for
// the vendor: download the workbook, upload it back, see what would change, apply.
import { Form, useNavigation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { buttonClass } from '~/components/ui'
import { translateError } from '~/modules/forms/validation'
import { workbookPlace } from '~/modules/spreadsheets/workbook-problem'
import type { OfflineActionData, ShownAnswer, ShownChange, ShownConflict } from '../offline-page.server'

export type OfflinePreviewData =
  | null
  | { expired: true }
  | { expired: false; previewId: string; fileName: string; alreadySaved: number; changes: ShownChange[]; conflicts: ShownConflict[] }

function Answer({ answer }: { answer: ShownAnswer }) {
  const { t } = useTranslation('offline')
  return (
    <div>
      <p className="whitespace-pre-wrap">{answer.value || <span className="text-slate-400">{t('page.empty')}</span>}</p>
      {answer.comment ? <p className="mt-1 whitespace-pre-wrap text-xs text-slate-500">{t('page.comment', { comment: answer.comment })}</p> : null}
    </div>
  )
}

function Conflicts({ conflicts }: { conflicts: ShownConflict[] }) {
  const { t } = useTranslation('offline')
  if (!conflicts.length) return null
  return (
    <section className="mt-6 rounded-lg border border-amber-300 bg-amber-50 p-4" data-testid="offline-conflicts">
      <h3 className="text-base font-semibold text-amber-900">{t('page.conflictsTitle', { count: conflicts.length })}</h3>
      <p className="mt-1 text-sm text-amber-900">{t('page.conflictsBody')}</p>
      <table className="mt-3 w-full text-left text-sm">
        <thead className="text-xs uppercase text-amber-800">
          <tr>
            <th className="py-1 pr-3">{t('page.question')}</th>
            <th className="w-44 py-1 pr-3">{t('page.theirs')}</th>
            <th className="w-44 py-1">{t('page.yours')}</th>
          </tr>
        </thead>
        <tbody>
          {conflicts.map((conflict) => (
            <tr key={conflict.questionId} className="border-t border-amber-200 align-top" data-testid={`conflict-${conflict.questionId}`}>
              <td className="py-2 pr-3">
                <span className="font-mono text-xs">{conflict.questionId}</span> {conflict.question}
              </td>
              <td className="py-2 pr-3">
                <Answer answer={conflict.theirs} />
                {conflict.theirs.by ? <p className="mt-1 text-xs text-slate-500">{t('page.savedBy', { name: conflict.theirs.by })}</p> : null}
              </td>
              <td className="py-2">
                <Answer answer={conflict.yours} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}

export function OfflinePanel({ downloadHref, preview, result, readOnly }: { downloadHref: string; preview: OfflinePreviewData; result: OfflineActionData | undefined; readOnly: boolean }) {
  const { t } = useTranslation(['offline', 'spreadsheets', 'errors'])
  const navigation = useNavigation()
  const busy = navigation.state !== 'idle'
  const showPreview = preview && !preview.expired && result?.kind !== 'applied'
  return (
    <div className="space-y-6" data-testid="offline-panel">
      <section className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
        <h2 className="text-base font-semibold text-slate-900">{t('page.step1')}</h2>
        <p className="mt-1 text-sm text-slate-600">{t('page.step1Body')}</p>
        <a href={downloadHref} className={`${buttonClass.secondary} mt-3`} data-testid="offline-download" download>
          {t('page.download')}
        </a>
      </section>

      {readOnly ? (
        <p className="rounded-md border border-slate-200 bg-slate-50 p-4 text-sm text-slate-700">{t('page.readOnly')}</p>
      ) : (
        <section className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
          <h2 className="text-base font-semibold text-slate-900">{t('page.step2')}</h2>
          <p className="mt-1 text-sm text-slate-600">{t('page.step2Body')}</p>
          <Form method="post" encType="multipart/form-data" className="mt-3 flex flex-wrap items-center gap-3">
            <input type="hidden" name="intent" value="preview" />
            <label className="text-sm text-slate-700">
              <span className="sr-only">{t('page.file')}</span>
              <input type="file" name="file" required accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" data-testid="offline-file" className="text-sm" />
            </label>
            <button type="submit" className={buttonClass.primary} disabled={busy} data-testid="offline-upload">
              {t('page.upload')}
            </button>
          </Form>
        </section>
      )}

      {result?.kind === 'problems' ? (
        <section role="alert" className="rounded-lg border border-red-300 bg-red-50 p-4" data-testid="offline-problems">
          <h3 className="text-base font-semibold text-red-900">{t('page.problemsTitle', { count: result.problems.length })}</h3>
          <p className="mt-1 text-sm text-red-900">{t('page.problemsBody')}</p>
          <ul className="mt-2 list-disc space-y-1 pl-5 text-sm text-red-900">
            {result.problems.map((problem, index) => {
              const place = workbookPlace(t, problem.place)
              const reason = translateError(t, problem.message)
              return <li key={index}>{place ? t('spreadsheets:placed', { place, reason }) : reason}</li>
            })}
          </ul>
        </section>
      ) : null}

      {result?.kind === 'expired' || (preview?.expired && !result) ? (
        <p role="alert" className="rounded-md border border-amber-300 bg-amber-50 p-4 text-sm text-amber-900" data-testid="offline-expired">
          {t('page.expired')}
        </p>
      ) : null}

      {showPreview ? (
        <section className="rounded-lg border border-sky-200 bg-white p-5 shadow-sm" data-testid="offline-preview">
          <h2 className="text-base font-semibold text-slate-900" data-testid="offline-preview-title">
            {t('page.previewTitle', { count: preview.changes.length })}
          </h2>
          <p className="mt-1 text-sm text-slate-600">{t('page.previewBody', { file: preview.fileName })}</p>
          {preview.alreadySaved ? <p className="mt-1 text-sm text-slate-600">{t('page.alreadySaved', { count: preview.alreadySaved })}</p> : null}
          {preview.changes.length ? (
            <table className="mt-3 w-full text-left text-sm">
              <thead className="text-xs uppercase text-slate-500">
                <tr>
                  <th className="py-1 pr-3">{t('page.question')}</th>
                  <th className="w-44 py-1 pr-3">{t('page.before')}</th>
                  <th className="w-44 py-1">{t('page.after')}</th>
                </tr>
              </thead>
              <tbody>
                {preview.changes.map((change) => (
                  <tr key={change.questionId} className="border-t border-slate-100 align-top" data-testid={`change-${change.questionId}`}>
                    <td className="py-2 pr-3">
                      <span className="font-mono text-xs">{change.questionId}</span> {change.question}
                    </td>
                    <td className="py-2 pr-3 text-slate-500">
                      <Answer answer={change.before} />
                    </td>
                    <td className="py-2 font-medium text-slate-900">
                      <Answer answer={change.after} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
          <Conflicts conflicts={preview.conflicts} />
          {preview.changes.length ? (
            <Form method="post" encType="multipart/form-data" className="mt-4">
              <input type="hidden" name="intent" value="apply" />
              <input type="hidden" name="previewId" value={preview.previewId} />
              <button type="submit" className={buttonClass.primary} disabled={busy} data-testid="offline-apply">
                {t('page.apply', { count: preview.changes.length })}
              </button>
            </Form>
          ) : (
            <p className="mt-3 text-sm text-slate-700">{t('page.nothingToApply')}</p>
          )}
        </section>
      ) : null}

      {result?.kind === 'applied' ? (
        <section role="status" className="rounded-lg border border-emerald-300 bg-emerald-50 p-5" data-testid="offline-applied">
          <h2 className="text-base font-semibold text-emerald-900">{t('page.appliedTitle', { count: result.saved })}</h2>
          {result.locked.length ? <p className="mt-1 text-sm text-emerald-900">{t('page.lockedSkipped', { list: result.locked.join(', ') })}</p> : null}
          <p className="mt-1 text-sm text-emerald-900">{t('page.evidenceReminder')}</p>
          <Conflicts conflicts={result.conflicts} />
        </section>
      ) : null}
    </div>
  )
}
