// The drafts page's upload: a file (or a VSAQ file and its extensions), its format, and for VSAQ
// and CAIQ the questionnaire id it becomes (those formats do not carry one).
import { Form } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { buttonClass } from '~/components/ui'
import { IMPORT_FORMATS } from './formats/import-format'

const field = 'mt-1 block rounded-md border border-slate-300 px-3 py-2 text-sm'

export function ImportForm({ questionnaireIds, submitting }: { questionnaireIds: string[]; submitting: boolean }) {
  const { t } = useTranslation('libraryImport')
  return (
    <Form method="post" encType="multipart/form-data" className="flex flex-wrap items-end gap-4">
      <label className="text-sm">
        <span className="font-medium text-slate-700">{t('files')}</span>
        <input
          type="file"
          name="workbook"
          required
          multiple
          accept=".xlsx,.json,application/json,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          className="mt-1 block text-sm"
          data-testid="import-file"
        />
      </label>
      <label className="text-sm">
        <span className="font-medium text-slate-700">{t('format')}</span>
        <select name="format" defaultValue="auto" className={field} data-testid="import-format">
          {IMPORT_FORMATS.map((format) => (
            <option key={format} value={format}>
              {t(`formats.${format}`)}
            </option>
          ))}
        </select>
      </label>
      <label className="text-sm">
        <span className="font-medium text-slate-700">{t('questionnaireId')}</span>
        <input name="questionnaireId" list="questionnaire-ids" maxLength={40} pattern="[a-z][a-z0-9\-]*" placeholder="cloud-security" className={field} data-testid="import-questionnaire-id" aria-describedby="questionnaire-id-hint" />
        <datalist id="questionnaire-ids">
          {questionnaireIds.map((id) => (
            <option key={id} value={id} />
          ))}
        </datalist>
        <span id="questionnaire-id-hint" className="mt-1 block max-w-xs text-xs text-slate-500">
          {t('questionnaireIdHint')}
        </span>
      </label>
      <button type="submit" className={buttonClass.primary} disabled={submitting} data-testid="import-submit">
        {t('library:import.submit')}
      </button>
    </Form>
  )
}
