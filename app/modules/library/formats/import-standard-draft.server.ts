// One upload on the drafts page, whatever its format: a workbook exported from the library, a VSAQ
// questionnaire (.json, with any extension files) or a CAIQ-style sheet (.xlsx), chosen explicitly
// or recognised by content. Bytes are checked before they are read (size, UTF-8, the safe workbook
// reader); every problem comes back translated with its place (item, or sheet/row/column) and
// nothing is stored unless the whole file is good (docs/decisions/031).
import type { TFunction } from 'i18next'
import type { SessionUser } from '~/modules/auth/session.server'
import { readWorkbook, WorkbookReadError } from '~/modules/spreadsheets/read-workbook.server'
import { questionnaireSchema } from '../content-schema'
import { importDraft, type DraftCandidate } from '../drafts.server'
import { library } from '../library.server'
import { readCaiqSheet } from './caiq'
import type { ImportFormat } from './import-format'
import { importWorkbookDraft, showProblem, type ShownProblem } from './import-workbook-draft.server'
import type { ImportProblem } from './located'
import { readVsaq, type VsaqTarget } from './vsaq'
import { SHEETS } from './workbook-layout'
import { sheetRowsOf } from './workbook-rows.server'


/** VSAQ files are text; Google's largest is ~150 KB. */
export const VSAQ_MAX_BYTES = 2 * 1024 * 1024
export const VSAQ_MAX_FILES = 10

export interface UploadedFile {
  name: string
  bytes: Uint8Array
}

export type ShownImportProblem = ShownProblem & { item?: string }
export type UploadDraftResult = { ok: true; draftId: string } | { ok: false; problems: ShownImportProblem[] }

const OWN_CODES = new Set([
  'notUtf8', 'tooLarge', 'tooManyFiles', 'oneWorkbook', 'jsonSyntax', 'notVsaq', 'twoBases', 'noBase', 'notAnItem', 'unknownType', 'blockWithoutItems', 'tooDeep',
  'badChoices', 'insertPlace', 'insertTargetMissing', 'duplicateId', 'missingText', 'tooManyItems', 'noQuestions', 'condSyntax', 'condUnsupported', 'condMixed',
  'condUnknownId', 'condTwoQuestions', 'condAnd', 'condNegation', 'condNotChoice', 'condAndBlock', 'caiqNoHeader', 'caiqDuplicateId', 'caiqAnswer', 'targetRequired',
  'targetInvalid',
])

function show(t: TFunction, problem: ImportProblem): ShownImportProblem {
  const item = problem.place && 'item' in problem.place ? problem.place.item : undefined
  if (!OWN_CODES.has(problem.code)) return { ...showProblem(t, problem), ...(item ? { item } : {}) }
  const cell = problem.place && 'sheet' in problem.place ? problem.place : undefined
  return { sheet: cell?.sheet, row: cell?.row, column: cell?.column, ...(item ? { item } : {}), reason: t(`libraryImport:problems.${problem.code}`, problem.params) }
}

const refuse = (t: TFunction, problems: ImportProblem[]): UploadDraftResult => ({ ok: false, problems: problems.map((problem) => show(t, problem)) })
const isZip = (bytes: Uint8Array) => bytes[0] === 0x50 && bytes[1] === 0x4b

/** The questionnaire a VSAQ or CAIQ file becomes: its next version when it exists, else a new supplement. */
function targetFor(questionnaireId: string): VsaqTarget {
  const latest = library().latest.find((questionnaire) => questionnaire.id === questionnaireId)
  if (!latest) return { id: questionnaireId, kind: 'supplement' }
  return { id: latest.id, kind: latest.kind, title: latest.title, description: latest.description, proposedFor: [...latest.proposedFor] }
}

export async function importUploadedDraft(
  actor: SessionUser,
  files: UploadedFile[],
  choice: { format: ImportFormat; questionnaireId?: string; expected?: { id: string; version: number } },
  t: TFunction,
): Promise<UploadDraftResult> {
  const first = files[0]
  if (!first) return { ok: false, problems: [{ reason: t('library:import.noFile') }] }
  let format = choice.format
  let workbook: Awaited<ReturnType<typeof readWorkbook>> | undefined
  // Recognised by content, or by name for a file too broken to recognise (the reader then says what it is).
  const looksLikeWorkbook = isZip(first.bytes) || /\.xlsx$/i.test(first.name)
  if (format === 'caiq' || format === 'workbook' || (format === 'auto' && looksLikeWorkbook)) {
    try {
      workbook = await readWorkbook(first.bytes)
    } catch (error) {
      if (!(error instanceof WorkbookReadError)) throw error
      return { ok: false, problems: [{ sheet: error.place.sheet, row: error.place.row, column: error.place.column, reason: t(`spreadsheets:read.${error.code}`, error.params) }] }
    }
    // The library's own layout has a Questions and a Sections sheet; anything else is read as CAIQ.
    if (format === 'auto') format = workbook.getWorksheet(SHEETS.questions) && workbook.getWorksheet(SHEETS.sections) ? 'workbook' : 'caiq'
  } else if (format === 'auto') {
    format = 'vsaq'
  }
  if (format !== 'vsaq' && files.length > 1) return refuse(t, [{ code: 'oneWorkbook' }])
  if (format === 'workbook') return importWorkbookDraft(actor, first.bytes, first.name, t, choice.expected)

  // VSAQ and CAIQ files carry no questionnaire id: the form names it.
  const questionnaireId = choice.questionnaireId?.trim() ?? ''
  if (!questionnaireId) return refuse(t, [{ code: 'targetRequired' }])
  if (!questionnaireSchema.shape.id.safeParse(questionnaireId).success || questionnaireId.length > 40) return refuse(t, [{ code: 'targetInvalid', params: { id: questionnaireId.slice(0, 40) } }])
  const target = targetFor(questionnaireId)

  let candidate: DraftCandidate
  if (format === 'caiq') {
    const read = readCaiqSheet(sheetRowsOf(workbook!), target)
    if (!read.ok) return refuse(t, read.problems)
    candidate = { source: 'caiq', fileName: first.name, content: read.content, locator: read.locator, suggestions: read.suggestions }
  } else {
    if (files.length > VSAQ_MAX_FILES) return refuse(t, [{ code: 'tooManyFiles', params: { limit: VSAQ_MAX_FILES } }])
    const texts: { name: string; text: string }[] = []
    for (const file of files) {
      if (file.bytes.byteLength > VSAQ_MAX_BYTES) return refuse(t, [{ place: { item: file.name }, code: 'tooLarge', params: { limitMb: VSAQ_MAX_BYTES / 1024 / 1024 } }])
      try {
        texts.push({ name: file.name, text: new TextDecoder('utf-8', { fatal: true }).decode(file.bytes) })
      } catch {
        return refuse(t, [{ place: { item: file.name }, code: 'notUtf8' }])
      }
    }
    const read = readVsaq(texts, target)
    if (!read.ok) return refuse(t, read.problems)
    candidate = { source: 'vsaq', fileName: files.map((file) => file.name).join(', '), content: read.content, placeOf: read.placeOf, suggestions: read.suggestions }
  }
  const result = await importDraft(actor, candidate)
  if (!result.ok) return refuse(t, result.problems)
  return { ok: true, draftId: result.draftId }
}
