import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Link, useLoaderData, useParams } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { Form, FormErrorBanner, SubmitButton, TextField, useValidatedForm } from '~/components/forms'
import { buttonClass } from '~/components/ui'
import { useLocale } from '~/root'
import { localized } from '~/i18n/locales'
import { requireVendorAccess } from '~/modules/assessments/access.server'
import { attestationSchema } from '~/modules/assessments/answer-schema'
import { portalView, submitAssessment } from '~/modules/assessments/portal.server'
import { ProgressSummary } from '~/modules/assessments/portal/questionnaire-form'
import { findQuestion, progressOf, sectionsOf } from '~/modules/assessments/questions'
import { readFormObject } from '~/modules/forms/read.server'

export async function loader({ params }: LoaderFunctionArgs) {
  const access = await requireVendorAccess(params.token)
  const view = portalView(access)
  if (Array.isArray(view.editable) && view.editable.length === 0) throw redirect(`/v/${params.token}`)
  const progress = progressOf(view.questionnaires, view.answers)
  const sections = sectionsOf(view.questionnaires)
  const where = (questionId: string) => {
    const section = sections.find(({ section }) => section.questions.some((question) => question.id === questionId))?.section
    return { questionId, text: findQuestion(view.questionnaires, questionId)?.text ?? { 'zh-CN': questionId, en: questionId }, sectionId: section?.id ?? '' }
  }
  return {
    contactName: view.contactName,
    progress: { percent: progress.percent, answered: progress.answered, required: progress.required, mayAppear: progress.mayAppear, evidenceMissing: progress.missingEvidence.length, toConfirm: progress.toConfirm },
    missing: progress.missing.map(where),
    missingEvidence: progress.missingEvidence.map(where),
    // One key per page load: a double click, or a retried request, submits once.
    submissionKey: crypto.randomUUID().replace(/-/g, ''),
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const access = await requireVendorAccess(params.token)
  const result = await submitAssessment(access, await readFormObject(request))
  if (result.status === 200) return redirect(`/v/${params.token}`)
  return data(result.body, { status: result.status })
}

export default function VendorSubmit() {
  const { t } = useTranslation('vendorPortal')
  const loaderData = useLoaderData<typeof loader>()
  const { token } = useParams()
  const locale = useLocale()
  const { form, onSubmit, formError } = useValidatedForm(attestationSchema, {
    defaultValues: { name: loaderData.contactName, title: '', confirm: false, submissionKey: loaderData.submissionKey },
  })
  const incomplete = loaderData.missing.length > 0 || loaderData.missingEvidence.length > 0
  return (
    <div className="mx-auto max-w-2xl" data-testid="vendor-submit">
      <h1 className="text-2xl font-semibold text-slate-900">{t('submit.title')}</h1>
      <p className="mt-1 text-sm text-slate-600">{t('submit.subtitle')}</p>
      <div className="mt-4">
        <ProgressSummary {...loaderData.progress} />
      </div>
      {incomplete ? (
        <div className="mt-4 rounded-lg border border-amber-300 bg-amber-50 p-4 text-sm text-amber-900" data-testid="missing">
          <p className="font-semibold">{t('submit.incomplete')}</p>
          <ul className="mt-2 list-disc space-y-1 pl-5">
            {loaderData.missing.map((item) => (
              <li key={item.questionId}>
                <Link className="underline" to={`/v/${token}/questionnaire#${item.sectionId}`}>
                  {localized(item.text, locale)}
                </Link>
              </li>
            ))}
            {loaderData.missingEvidence.map((item) => (
              <li key={`e-${item.questionId}`}>
                <Link className="underline" to={`/v/${token}/questionnaire#${item.sectionId}`}>
                  {t('submit.evidenceFor', { question: localized(item.text, locale) })}
                </Link>
              </li>
            ))}
          </ul>
          <Link to={`/v/${token}/questionnaire`} className={`${buttonClass.secondary} mt-3`}>
            {t('submit.backToQuestionnaire')}
          </Link>
        </div>
      ) : (
        <div className="mt-4 rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
          <h2 className="text-base font-semibold text-slate-900">{t('submit.attestation')}</h2>
          <p className="mt-1 text-sm text-slate-600">{t('submit.attestationHint')}</p>
          <FormErrorBanner message={formError} />
          <Form method="post" noValidate onSubmit={onSubmit} className="mt-4 flex flex-col gap-4">
            <input type="hidden" {...form.register('submissionKey')} />
            <TextField form={form} name="name" label={t('submit.name')} autoComplete="name" required />
            <TextField form={form} name="title" label={t('submit.jobTitle')} autoComplete="organization-title" required />
            <label className="flex items-start gap-3 text-sm text-slate-800">
              <input type="checkbox" value="on" className="mt-0.5 h-4 w-4 accent-sky-700" {...form.register('confirm')} data-testid="confirm" />
              <span>{t('submit.confirm')}</span>
            </label>
            {(form.formState.errors.confirm?.message as string | undefined) ? (
              <p role="alert" className="-mt-2 text-sm text-red-700">
                {t('errors.confirmRequired')}
              </p>
            ) : null}
            <div className="flex flex-wrap justify-between gap-3">
              <Link to={`/v/${token}/questionnaire`} className={buttonClass.secondary}>
                {t('submit.backToQuestionnaire')}
              </Link>
              <SubmitButton data-testid="submit">{t('submit.submit')}</SubmitButton>
            </div>
          </Form>
        </div>
      )}
    </div>
  )
}
