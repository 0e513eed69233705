// The e-mail that tells a vendor's contacts which answers compliance wants clarified, in each
// contact's language, with the fresh link issued for them. Sent exactly once per round and contact.
import { recordLinkMail, type LinkMailEffect } from '~/modules/assessments/link-mail.server'
import { translatorFor } from '~/i18n/i18n.server'
import { isLocale, type Locale } from '~/i18n/locales'
import { vendorMailParams, type issueInvitation } from '~/modules/assessments/invitations.server'
import type { VendorSnapshot } from '~/modules/assessments/snapshot'
import { vendorLink } from '~/modules/assessments/tokens.server'
import { getQuestionnaire } from '~/modules/library/library.server'
import { indexAssessment } from '~/modules/scoring/question-index'
import { renderMail } from '~/modules/mail/layout'
import { sendMail } from '~/modules/mail/mail.server'
import type { AssessmentLean } from './score.server'

export async function composeClarificationMail(input: {
  locale: Locale
  contactName: string
  vendor: Pick<VendorSnapshot, 'legalName'>
  questions: { questionId: string; text: string; comment: string }[]
  message: string
  respondBy: Date
  link: string
}) {
  const t = await translatorFor(input.locale, 'review')
  const params = { ...vendorMailParams({ ...input, dueAt: input.respondBy }), count: input.questions.length }
  const paragraphs = [t('mail.clarification.intro', params)]
  if (input.message) paragraphs.push(t('mail.clarification.message', { message: input.message }))
  for (const question of input.questions) {
    paragraphs.push(t('mail.clarification.question', { id: question.questionId, question: question.text, comment: question.comment }))
  }
  paragraphs.push(t('mail.clarification.due', params), t('mail.clarification.link', params))
  const body = renderMail({
    greeting: t('mail.clarification.greeting', params),
    paragraphs,
    action: { label: t('mail.clarification.action'), url: input.link },
    footer: t('mail.clarification.footer', params),
  })
  return { subject: t('mail.clarification.subject', params), ...body }
}

export async function mailClarification(input: {
  assessment: AssessmentLean
  round: number
  drafts: { questionId: string; comment: string }[]
  message: string
  respondBy: Date
  issued: ReturnType<typeof issueInvitation>[]
}) {
  const { assessment } = input
  const questionnaires = (assessment.questionnaires ?? []).map((ref) => getQuestionnaire(String(ref.id), Number(ref.version)))
  const { questions, byId } = indexAssessment(questionnaires)
  for (const { token, invitation } of input.issued) {
    const locale: Locale = isLocale(invitation.locale) ? invitation.locale : 'zh-CN'
    const mail = await composeClarificationMail({
      locale,
      contactName: invitation.name,
      vendor: assessment.vendorSnapshot as VendorSnapshot,
      questions: input.drafts.map((draft) => {
        const position = byId.get(draft.questionId)
        return { ...draft, text: position === undefined ? draft.questionId : questions[position].question.text[locale] }
      }),
      message: input.message,
      respondBy: input.respondBy,
      link: vendorLink(token),
    })
    const effect: LinkMailEffect = { kind: 'vendor-link', assessmentId: String(assessment._id), invitationId: String(invitation._id) }
    const result = await sendMail({
      to: invitation.email,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      locale,
      kind: 'clarification',
      dedupeKey: `clarification:${String(assessment._id)}:${input.round}:${invitation.email}`,
      related: { kind: 'assessment', id: String(assessment._id) },
      onDelivered: effect,
    })
    // A delivery has recorded itself; the rest is noted here.
    if (result.status !== 'sent' && result.status !== 'outbox') await recordLinkMail(effect, result.status)
  }
}
