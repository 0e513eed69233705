// A CAIQ-style sheet (the Cloud Security Alliance's Consensus Assessments Initiative Questionnaire
// and the many bank sheets shaped like it) to draft questionnaire content. Pure: the rows come
// from the safe workbook reader. The header row is found by its names (CAIQ v3.1 and v4 spell
// them differently); domains become sections, every question a yes / no / not applicable one,
// and each control id a suggestion for the reviewer's clause mapping.
import type { DraftSuggestion } from '../drafts.server'
import type { LocalizedText } from '../content-schema'
import { Locator, type CellPlace, type ImportProblem } from './located'
import type { CellValue, SheetRows } from './workbook-import'
import { columnLetter } from './workbook-layout'

export interface CaiqTarget {
  id: string
  kind: 'baseline' | 'supplement'
  title?: LocalizedText
  description?: LocalizedText
  proposedFor?: string[]
}

export type CaiqRead = { ok: true; content: Record<string, unknown>; suggestions: DraftSuggestion[]; locator: Locator } | { ok: false; problems: ImportProblem[] }

type Column = 'questionId' | 'question' | 'answer' | 'controlId' | 'domain' | 'controlTitle'

// Header names, compared lower-cased with runs of spaces and punctuation collapsed.
const HEADERS: Record<Column, string[]> = {
  questionId: ['question id', 'questionid', 'question no', 'question number'],
  question: ['question', 'question text', 'consensus assessment question', 'consensus assessment questions', 'caiq question'],
  answer: ['answer', 'csp caiq answer', 'consensus assessment answers', 'yes no na', 'response'],
  controlId: ['control id', 'ccm control id', 'control'],
  domain: ['domain', 'control domain', 'ccm domain title', 'domain title', 'ccm domain'],
  controlTitle: ['control title', 'ccm control title', 'control specification', 'ccm control specification'],
}
const ANSWERS = new Set(['yes', 'no', 'na', 'n/a', 'not applicable', '是', '否', '不适用'])
const HEADER_SEARCH_ROWS = 10

const YES_NO_NA = [
  { id: 'yes', label: { 'zh-CN': '是', en: 'Yes' }, clauses: [] },
  { id: 'no', label: { 'zh-CN': '否', en: 'No' }, clauses: [] },
  { id: 'na', label: { 'zh-CN': '不适用', en: 'Not applicable' }, clauses: [] },
]

const normalize = (value: CellValue) => text(value)?.toLowerCase().replace(/[\s/_.:-]+/g, ' ').trim()
function text(value: CellValue): string | undefined {
  if (value === null || value === undefined) return undefined
  if (value instanceof Date) return value.toISOString().slice(0, 10)
  const string = String(value).replace(/\s+/g, ' ').trim()
  return string === '' ? undefined : string
}
const english = (value: string): LocalizedText => ({ 'zh-CN': value, en: value })
const upperId = (value: string) => value.toUpperCase().replace(/[^A-Z0-9]+/g, '-').replace(/^-+|-+$/g, '')
const lowerId = (value: string) => value.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^[^a-z]+|-+$/g, '')

/** The first sheet with a header row naming a question id and a question text column. */
function findHeader(rows: SheetRows): { sheet: string; row: number; columns: Map<Column, number> } | undefined {
  for (const [sheet, data] of rows) {
    for (let at = 0; at < Math.min(HEADER_SEARCH_ROWS, data.length); at++) {
      const names = (data[at] ?? []).map(normalize)
      const columns = new Map<Column, number>()
      for (const column of Object.keys(HEADERS) as Column[]) {
        const index = names.findIndex((name) => name !== undefined && HEADERS[column].includes(name))
        if (index >= 0) columns.set(column, index)
      }
      if (columns.has('questionId') && columns.has('question')) return { sheet, row: at, columns }
    }
  }
  return undefined
}

export function readCaiqSheet(rows: SheetRows, target: CaiqTarget): CaiqRead {
  const header = findHeader(rows)
  if (!header) return { ok: false, problems: [{ code: 'caiqNoHeader' }] }
  const { sheet, columns } = header
  const problems: ImportProblem[] = []
  const locator = new Locator()
  const prefix = upperId(target.id)
  const place = (row: number, column?: Column): CellPlace => ({ sheet, row: row + 1, ...(column && columns.has(column) ? { column: columnLetter(columns.get(column)! + 1) } : {}) })

  type BuiltSection = { id: string; title: LocalizedText; questions: Record<string, unknown>[] }
  const sections = new Map<string, BuiltSection & { index: number }>()
  const seen = new Map<string, number>() // question id → its row
  const suggestions: DraftSuggestion[] = []
  const data = rows.get(sheet)!
  let domain: string | undefined // CAIQ leaves the domain cell empty below its first row
  for (let at = header.row + 1; at < data.length; at++) {
    const values = data[at] ?? []
    const cell = (column: Column) => (columns.has(column) ? text(values[columns.get(column)!]) : undefined)
    const sourceId = cell('questionId')
    const question = cell('question')
    const controlId = cell('controlId')
    domain = cell('domain') ?? domain
    if (!sourceId && !question) continue // a blank or a domain heading row
    if (!sourceId) {
      problems.push({ place: place(at, 'questionId'), code: 'missingValue', params: { column: String(data[header.row]![columns.get('questionId')!]) } })
      continue
    }
    if (!question) {
      problems.push({ place: place(at, 'question'), code: 'missingValue', params: { column: String(data[header.row]![columns.get('question')!]) } })
      continue
    }
    const first = seen.get(sourceId)
    if (first !== undefined) {
      problems.push({ place: place(at, 'questionId'), code: 'caiqDuplicateId', params: { id: sourceId, row: first + 1 } })
      continue
    }
    seen.set(sourceId, at)
    const answer = cell('answer')
    if (answer && !ANSWERS.has(answer.toLowerCase())) problems.push({ place: place(at, 'answer'), code: 'caiqAnswer', params: { value: answer } })

    // The section: the domain, else the control family ("A&A" of "A&A-01.1").
    const domainTitle = domain ?? (controlId ?? sourceId).split(/[-.\s]/)[0] ?? sourceId
    let section = sections.get(domainTitle)
    if (!section) {
      const base = lowerId(domainTitle) || `domain-${sections.size + 1}`
      let id = base
      const ids = new Set([...sections.values()].map((other) => other.id))
      for (let n = 2; ids.has(id); n++) id = `${base}-${n}`
      section = { id, title: english(domainTitle), questions: [], index: sections.size }
      locator.set(['sections', section.index], place(at, 'domain'))
      sections.set(domainTitle, section)
    }
    const questionId = `${prefix}-${upperId(sourceId) || `ROW-${at + 1}`}`
    const path = ['sections', section.index, 'questions', section.questions.length]
    locator.set(path, place(at))
    locator.set([...path, 'id'], place(at, 'questionId'))
    locator.set([...path, 'text'], place(at, 'question'))
    section.questions.push({ id: questionId, kind: 'yes_no_na', required: true, text: english(question), options: YES_NO_NA })
    if (controlId) {
      const title = cell('controlTitle')
      suggestions.push({ questionId, optionIds: ['no'], sourceId: controlId, text: `${controlId}${title ? ` — ${title}` : ''}`.slice(0, 2000) })
    }
  }
  if (problems.length > 0) return { ok: false, problems }
  if (sections.size === 0) return { ok: false, problems: [{ place: { sheet, row: header.row + 1 }, code: 'noQuestions' }] }
  locator.set([], { sheet, row: header.row + 1 })
  const title = target.title ?? english(sheet)
  return {
    ok: true,
    content: {
      id: target.id,
      version: 1, // replaced by the next version when checked
      kind: target.kind,
      title,
      description: target.description ?? english(`Imported from the CAIQ sheet “${sheet}”`),
      publishedAt: new Date().toISOString().slice(0, 10),
      proposedFor: target.proposedFor ?? [],
      sections: [...sections.values()].map(({ index: _index, ...section }) => section),
    },
    suggestions,
    locator,
  }
}
