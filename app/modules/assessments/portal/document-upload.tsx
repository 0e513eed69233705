// The evidence step's upload: what the document is and its dates (one schema with the upload
// action, documents/documents.ts), then the file; and the vendor's still-valid documents from
// earlier assessments, offered for reuse (the same stored file is attached again).
import { useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { SelectField, TextField, inputClass, useSchemaForm } from '~/components/forms'
import { buttonClass } from '~/components/ui'
import { DOCUMENT_KINDS, EXPIRY_REQUIRED, documentFieldsSchema, type DocumentFields, type DocumentKind } from '~/modules/documents/documents'
import { EVIDENCE_ACCEPT, EVIDENCE_MAX_BYTES } from '~/modules/evidence/policy'

export interface ReusableDocumentView {
  fileId: string
  filename: string
  kind: DocumentKind
  issuedOn: string | null
  expiresOn: string | null
}

/** What an upload answers: nothing (done), or the messages to show, per field when they are about one. */
export type UploadOutcome = null | { fieldErrors?: Record<string, string[]>; error?: string }

export function DocumentUpload(props: {
  questionId: string
  reusable: ReusableDocumentView[]
  onUpload: (file: File, fields: DocumentFields) => Promise<UploadOutcome>
  onReuse: (fileId: string) => Promise<UploadOutcome>
  onError: (message: string | null) => void
}) {
  const { t } = useTranslation('documents')
  const { t: tp } = useTranslation('vendorPortal')
  const form = useSchemaForm(documentFieldsSchema, { kind: 'other', issuedOn: '', expiresOn: '' })
  const [busy, setBusy] = useState(false)
  const [chosen, setChosen] = useState('')
  const inputId = useId()
  const reuseId = useId()
  const kind = form.watch('kind') as DocumentKind

  function show(outcome: UploadOutcome) {
    if (!outcome) return props.onError(null)
    for (const [field, messages] of Object.entries(outcome.fieldErrors ?? {})) {
      if (field === 'kind' || field === 'issuedOn' || field === 'expiresOn') form.setError(field, { type: 'server', message: messages[0] })
      else props.onError(messages[0] ?? 'errors:invalid')
    }
    if (outcome.error) props.onError(outcome.error)
  }

  async function upload(file: File | undefined) {
    if (!file) return
    props.onError(null)
    if (file.size > EVIDENCE_MAX_BYTES) return props.onError(`vendorPortal:errors.fileTooLarge|${JSON.stringify({ max: EVIDENCE_MAX_BYTES / 1024 / 1024 })}`)
    // The same checks the action makes, before the bytes travel (as a submit, so the messages show).
    let fields: DocumentFields | null = null
    await form.handleSubmit((values) => {
      fields = values
    })()
    if (!fields) return
    setBusy(true)
    show(await props.onUpload(file, fields))
    setBusy(false)
  }

  async function reuse() {
    if (!chosen) return
    setBusy(true)
    show(await props.onReuse(chosen))
    setChosen('')
    setBusy(false)
  }

  return (
    <div className="mt-3 flex flex-col gap-3" data-testid={`document-upload-${props.questionId}`}>
      <div className="grid gap-3 sm:grid-cols-3">
        <SelectField form={form} name="kind" label={t('fields.kind')} options={DOCUMENT_KINDS.map((value) => ({ value, label: t(`kind.${value}`) }))} />
        <TextField form={form} name="issuedOn" type="date" label={t('fields.issuedOn')} />
        <TextField form={form} name="expiresOn" type="date" label={t('fields.expiresOn')} hint={t('fields.expiresOnHint')} required={EXPIRY_REQUIRED.has(kind)} />
      </div>
      <div>
        <label htmlFor={inputId} className={`${buttonClass.secondary} cursor-pointer ${busy ? 'pointer-events-none opacity-60' : ''}`}>
          {busy ? tp('evidence.uploading') : tp('evidence.upload')}
          <input
            id={inputId}
            type="file"
            className="sr-only"
            accept={EVIDENCE_ACCEPT}
            data-testid={`upload-${props.questionId}`}
            onChange={(event) => {
              void upload(event.currentTarget.files?.[0])
              event.currentTarget.value = ''
            }}
          />
        </label>
      </div>
      {props.reusable.length ? (
        <div className="rounded-md border border-sky-200 bg-sky-50 p-3" data-testid={`reuse-${props.questionId}`}>
          <p className="text-sm font-medium text-slate-800">{t('reuse.title')}</p>
          <div className="mt-2 flex flex-wrap items-end gap-2">
            <label htmlFor={reuseId} className="sr-only">
              {t('reuse.choose')}
            </label>
            <select id={reuseId} className={`${inputClass} max-w-md`} value={chosen} onChange={(event) => setChosen(event.currentTarget.value)} data-testid={`reuse-select-${props.questionId}`}>
              <option value="">{t('reuse.choose')}</option>
              {props.reusable.map((document) => (
                <option key={document.fileId} value={document.fileId}>
                  {t(`kind.${document.kind}`)} · {document.filename}
                  {document.expiresOn ? ` · ${t('reuse.validUntil', { date: document.expiresOn })}` : ''}
                </option>
              ))}
            </select>
            <button type="button" className={buttonClass.primary} disabled={!chosen || busy} onClick={() => void reuse()} data-testid={`reuse-attach-${props.questionId}`}>
              {t('reuse.attach')}
            </button>
          </div>
        </div>
      ) : null}
    </div>
  )
}
