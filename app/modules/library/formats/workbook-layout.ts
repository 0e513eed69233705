// The layout of a questionnaire workbook, shared by the export and the import so the two can never
// disagree: sheet names and the header of every column, in the order they are written.
// Pure (no I/O): the import reads plain rows, whatever read them.

export const SHEETS = {
  questionnaire: 'Questionnaire',
  sections: 'Sections',
  questions: 'Questions',
  options: 'Options',
  clauses: 'Clauses',
  templates: 'Templates',
} as const

/** Rows of the Questionnaire sheet: field | value | zh-CN | en. */
export const QUESTIONNAIRE_COLUMNS = ['field', 'value', 'zh-CN', 'en'] as const
export const QUESTIONNAIRE_FIELDS = ['id', 'version', 'kind', 'publishedAt', 'proposedFor', 'title', 'description'] as const

export const SECTION_COLUMNS = ['id', 'title zh-CN', 'title en', 'description zh-CN', 'description en'] as const

export const QUESTION_COLUMNS = [
  'section',
  'id',
  'kind',
  'required',
  'text zh-CN',
  'text en',
  'help zh-CN',
  'help en',
  'show when question',
  'show when any of',
  'evidence required when',
  'evidence hint zh-CN',
  'evidence hint en',
  'min',
  'max',
] as const

/** One row per option and clause it bears on; an option bearing on no clause has one row with the clause empty. */
export const OPTION_COLUMNS = ['question', 'option', 'label zh-CN', 'label en', 'clause', 'effect'] as const

export const CLAUSE_COLUMNS = ['id', 'severity', 'knock-out', 'title zh-CN', 'title en', 'text zh-CN', 'text en', 'sources'] as const
export const TEMPLATE_COLUMNS = ['category', 'title zh-CN', 'title en', 'clauses'] as const

/** Multiple values in one cell (option ids of a condition, vendor categories, sources) are separated by commas. */
export const LIST_SEPARATOR = /\s*[,，;；\n]\s*/

/** Column letter of a 1-based index (1 → A, 27 → AA), for messages and validation ranges. */
export function columnLetter(index: number): string {
  let letters = ''
  for (let n = index; n > 0; n = Math.floor((n - 1) / 26)) letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters
  return letters
}
