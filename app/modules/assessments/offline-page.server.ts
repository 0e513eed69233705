// The loader and action behind both offline-fill pages (vendor link and staff), so the two routes
// stay thin and behave the same.
import { data, redirect } from '@remix-run/node'
import type { Locale } from '~/i18n/locales'
import { readFormData } from '~/modules/forms/read.server'
import type { Question } from '~/modules/library/content-schema'
import { answerText } from './answer-text'
import { questionnairesOf } from './catalog.server'
import { applyOfflinePreview, OFFLINE_UPLOAD_MAX_BYTES, offlinePreviewView, previewOfflineUpload, type ApplyReport, type OfflineFiller } from './offline-fill.server'
import type { OfflineProblem, PlannedConflict } from './offline-workbook.server'
import { findQuestion } from './questions'
import type { AnswerValue } from './vocabulary'
import { localized } from '~/i18n/locales'

export interface ShownAnswer {
  value: string
  comment: string
}

export interface ShownChange {
  questionId: string
  question: string
  before: ShownAnswer
  after: ShownAnswer
}

export interface ShownConflict {
  questionId: string
  question: string
  yours: ShownAnswer
  theirs: ShownAnswer & { by: string | null; at: string | null }
}

export type OfflineActionData =
  | { kind: 'problems'; problems: OfflineProblem[] }
  | { kind: 'expired' }
  | { kind: 'applied'; saved: number; alreadySaved: number; locked: string[]; conflicts: ShownConflict[] }

function shower(filler: OfflineFiller, locale: Locale) {
  const questionnaires = questionnairesOf(filler.access.assessment.questionnaires)
  const question = (id: string): Question | undefined => findQuestion(questionnaires, id)
  const shown = (id: string, value: AnswerValue, comment: string | null): ShownAnswer => {
    const found = question(id)
    return { value: found ? answerText(found, value, locale) : String(value ?? ''), comment: comment ?? '' }
  }
  const text = (id: string) => localized(question(id)?.text, locale)
  const conflict = (entry: PlannedConflict): ShownConflict => ({
    questionId: entry.questionId,
    question: text(entry.questionId),
    yours: shown(entry.questionId, entry.yours.value, entry.yours.comment),
    theirs: { ...shown(entry.questionId, entry.theirs.value, entry.theirs.comment), by: entry.theirs.updatedBy, at: entry.theirs.updatedAt },
  })
  return { shown, text, conflict }
}

/** The preview named in ?preview=, as the page shows it (null when there is none or it expired). */
export async function offlinePreviewForPage(filler: OfflineFiller, url: URL, locale: Locale) {
  const previewId = url.searchParams.get('preview')
  if (!previewId) return null
  const view = await offlinePreviewView(filler, previewId)
  if (!view) return { expired: true as const }
  const { shown, text, conflict } = shower(filler, locale)
  return {
    expired: false as const,
    previewId,
    fileName: view.fileName,
    alreadySaved: view.plan.alreadySaved,
    changes: view.plan.changes.map(
      (change): ShownChange => ({
        questionId: change.questionId,
        question: text(change.questionId),
        before: shown(change.questionId, change.before.value, change.before.comment),
        after: shown(change.questionId, change.value, change.comment),
      }),
    ),
    conflicts: view.plan.conflicts.map(conflict),
  }
}

/** POST: `intent=preview` with the workbook, or `intent=apply` with the preview's id. */
export async function offlineAction(filler: OfflineFiller, request: Request, locale: Locale, clientAddress?: string) {
  let form: FormData
  try {
    form = await readFormData(request, { maxBytes: OFFLINE_UPLOAD_MAX_BYTES + 64 * 1024 })
  } catch (error) {
    if (error instanceof Response && error.status === 413) {
      return data<OfflineActionData>({ kind: 'problems', problems: [{ place: {}, message: `spreadsheets:read.too-large|${JSON.stringify({ limitMb: 20 })}` }] }, { status: 413 })
    }
    throw error
  }
  const intent = form.get('intent')
  if (intent === 'apply') {
    const report: ApplyReport | null = await applyOfflinePreview(filler, form.get('previewId'), clientAddress)
    if (!report) return data<OfflineActionData>({ kind: 'expired' }, { status: 410 })
    const { conflict } = shower(filler, locale)
    return data<OfflineActionData>({ kind: 'applied', saved: report.saved.length, alreadySaved: report.alreadySaved, locked: report.locked, conflicts: report.conflicts.map(conflict) })
  }
  if (intent !== 'preview') return data<OfflineActionData>({ kind: 'problems', problems: [{ place: {}, message: 'offline:problems.noFile' }] }, { status: 400 })
  const outcome = await previewOfflineUpload(filler, form.get('file'))
  if (!outcome.ok) return data<OfflineActionData>({ kind: 'problems', problems: outcome.problems }, { status: 400 })
  const url = new URL(request.url)
  url.search = `?preview=${outcome.previewId}`
  return redirect(url.pathname + url.search)
}
