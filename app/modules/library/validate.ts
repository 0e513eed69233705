// Checks the content of questionnaires/ as a whole: each file against the meta-schema, then the
// references between files. Pure: the server module reads the directory, the tests feed strings.
// Every problem is reported as "<file>: <path>: <message>", with the YAML line when known.
import { LineCounter, parseDocument } from 'yaml'
import { z } from 'zod'
import enLibrary from '~/i18n/locales/en/library.json'
import { VENDOR_CATEGORIES } from '~/modules/vendors/vocabulary'
import {
  CHOICE_KINDS,
  clauseLibrarySchema,
  contractTemplatesSchema,
  questionnaireSchema,
  type ClauseLibrary,
  type ContractTemplate,
  type Question,
  type Questionnaire,
} from './content-schema'

export const CLAUSES_FILE = 'clauses'
export const TEMPLATES_FILE = 'contract-templates'
const CONTENT_EXTENSIONS = /\.(ya?ml|json)$/
const QUESTIONNAIRE_FILE = /^([a-z][a-z0-9-]*)-v([1-9][0-9]*)\.(ya?ml|json)$/
const YES_NO_NA = ['yes', 'no', 'na']

type PathSegment = string | number

/** One content file, parsed: its data and a way to find the line of a path inside it. */
export interface ContentFile {
  file: string
  data: unknown
  lineOf: (path: PathSegment[]) => number | undefined
  /** The data is already the meta-schema's output (the loaded library): only the cross-references are checked. */
  parsed?: boolean
}

/** The validated content: every questionnaire version, the clause library and the templates. */
export interface LibraryContent {
  questionnaires: Questionnaire[] // sorted by id, then version
  clauseLibrary: ClauseLibrary
  templates: ContractTemplate[]
}

/** What can be wrong with content: the keys of `library:import.content`, whose English is also the message of the YAML check. */
export type ContentIssueCode = keyof typeof enLibrary.import.content

/** Another place a message points to ("also sections[2]"): its path, and how the YAML message writes it. */
export interface IssueReference {
  path: PathSegment[]
  text: string
}

/**
 * One problem, as data: the file, the path inside it, the code and parameters of its message
 * (translated by callers that show it to people, e.g. a workbook import), the English message,
 * and the places it refers to (which a caller may show as a workbook cell).
 */
export interface ContentIssue {
  file: string
  path: PathSegment[]
  code: ContentIssueCode
  params: Record<string, string | number>
  refs: Record<string, IssueReference>
  message: string
}

/** The English message of a code (the en locale's text, so the two never differ). */
export function contentIssueEnglish(code: ContentIssueCode, values: Record<string, string | number>): string {
  return enLibrary.import.content[code].replace(/\{\{(\w+)\}\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole))
}

export type ValidationResult = { ok: true; content: LibraryContent } | { ok: false; problems: string[]; issues: ContentIssue[] }

export interface ValidationOptions {
  /** Files whose scored questions may still lack a clause mapping: drafts, which publishing checks again without this. */
  unmappedAllowedIn?: ReadonlySet<string>
  /** Clause ids no latest questionnaire has to cover yet: clauses added in the app, which a questionnaire draft maps afterwards. */
  uncoveredAllowed?: ReadonlySet<string>
}

/** Whether a file in questionnaires/ is content (YAML or JSON) rather than e.g. a README. */
export function isContentFile(name: string) {
  return CONTENT_EXTENSIONS.test(name)
}

/** Parses one file's text; YAML syntax errors become problems with their line. */
export function parseContentFile(file: string, text: string): { ok: true; parsed: ContentFile } | { ok: false; problems: string[] } {
  const lineCounter = new LineCounter()
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true })
  if (document.errors.length > 0) {
    return {
      ok: false,
      problems: document.errors.map((error) => {
        const line = lineCounter.linePos(error.pos[0]).line
        return `${file}: ${line ? `line ${line}: ` : ''}${error.message.split('\n')[0]}`
      }),
    }
  }
  const lineOf = (path: PathSegment[]) => {
    // The node at the path, or at its nearest existing parent (a missing field has no line).
    for (let length = path.length; length >= 0; length--) {
      const node = document.getIn(path.slice(0, length), true) as { range?: [number, number, number] } | undefined
      if (node?.range) return lineCounter.linePos(node.range[0]).line
    }
    return undefined
  }
  return { ok: true, parsed: { file, data: document.toJS(), lineOf } }
}

/** sections[3].questions[7].options[1] */
export function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((segment, index) => (typeof segment === 'number' ? `[${segment}]` : index === 0 ? String(segment) : `.${String(segment)}`))
    .join('')
}

class Problems {
  readonly list: string[] = []
  readonly issues: ContentIssue[] = []
  /** Grouped by file (in the order found within a file). */
  sorted() {
    const fileOf = (problem: string) => problem.slice(0, problem.indexOf(':'))
    return [...this.list].sort((a, b) => fileOf(a).localeCompare(fileOf(b)))
  }
  add(
    file: ContentFile | string,
    path: PathSegment[],
    code: ContentIssueCode,
    params: Record<string, string | number> = {},
    { lineAt = path, refs = {} }: { lineAt?: PathSegment[]; refs?: Record<string, IssueReference> } = {},
  ) {
    const name = typeof file === 'string' ? file : file.file
    const line = typeof file === 'string' ? undefined : file.lineOf(lineAt)
    const where = path.length > 0 ? `${formatPath(path)}: ` : ''
    const message = contentIssueEnglish(code, { ...params, ...Object.fromEntries(Object.entries(refs).map(([key, ref]) => [key, ref.text])) })
    this.list.push(`${name}: ${where}${message}${line ? ` (line ${line})` : ''}`)
    this.issues.push({ file: name, path, code, params, refs, message })
  }
}

// Plain English for the people who edit the files, whatever message map the forms installed.
function parseWith<T extends z.ZodType>(schema: T, file: ContentFile, problems: Problems): z.output<T> | undefined {
  if (file.parsed) return file.data as z.output<T>
  const result = schema.safeParse(file.data, { error: z.locales.en().localeError })
  if (result.success) return result.data
  for (const issue of result.error.issues) {
    const path = issue.path as PathSegment[]
    // An unknown key is best found on its own line.
    const at = issue.code === 'unrecognized_keys' && issue.keys[0] ? [...path, issue.keys[0]] : path
    problems.add(file, path, 'schemaIssue', { detail: issue.message }, { lineAt: at })
  }
  return undefined
}

interface LocatedQuestionnaire {
  file: ContentFile
  questionnaire: Questionnaire
}

/** Validates every content file and the references between them. */
export function validateContent(files: ContentFile[], options: ValidationOptions = {}): ValidationResult {
  const problems = new Problems()
  const byName = (base: string) => files.filter((file) => file.file.replace(CONTENT_EXTENSIONS, '') === base)

  const clauseFiles = byName(CLAUSES_FILE)
  const templateFiles = byName(TEMPLATES_FILE)
  if (clauseFiles.length === 0) problems.add(`${CLAUSES_FILE}.yaml`, [], 'missingClausesFile')
  if (templateFiles.length === 0) problems.add(`${TEMPLATES_FILE}.yaml`, [], 'missingTemplatesFile')
  for (const extra of [...clauseFiles.slice(1), ...templateFiles.slice(1)]) problems.add(extra, [], 'definedTwice')

  const clauseFile = clauseFiles[0]
  const clauseLibrary = clauseFile ? parseWith(clauseLibrarySchema, clauseFile, problems) : undefined
  const templateFile = templateFiles[0]
  const templates = templateFile ? parseWith(contractTemplatesSchema, templateFile, problems) : undefined

  const questionnaires: LocatedQuestionnaire[] = []
  let questionnaireFiles = 0
  for (const file of files) {
    const base = file.file.replace(CONTENT_EXTENSIONS, '')
    if (base === CLAUSES_FILE || base === TEMPLATES_FILE) continue
    const name = QUESTIONNAIRE_FILE.exec(file.file)
    if (!name) {
      problems.add(file, [], 'unexpectedFileName', { clausesFile: CLAUSES_FILE, templatesFile: TEMPLATES_FILE })
      continue
    }
    questionnaireFiles++
    const questionnaire = parseWith(questionnaireSchema, file, problems)
    if (!questionnaire) continue
    if (questionnaire.id !== name[1]) problems.add(file, ['id'], 'fileNameId', { named: name[1]!, id: questionnaire.id })
    if (questionnaire.version !== Number(name[2])) problems.add(file, ['version'], 'fileNameVersion', { named: name[2]!, version: questionnaire.version })
    questionnaires.push({ file, questionnaire })
  }

  const clauseIds = clauseLibrary ? checkClauseLibrary(clauseLibrary, clauseFile!, problems) : undefined
  checkQuestionnaires(questionnaires, clauseIds, problems, options)
  if (questionnaireFiles === 0) problems.add('questionnaires/', [], 'noQuestionnaireFiles')
  else if (questionnaires.length > 0 && !questionnaires.some((entry) => entry.questionnaire.kind === 'baseline')) {
    problems.add('questionnaires/', [], 'noBaseline')
  }
  // Coverage is only meaningful once every questionnaire could be read.
  if (clauseLibrary && clauseIds && questionnaires.length === questionnaireFiles) checkCoverage(clauseLibrary, clauseFile!, questionnaires, problems, options.uncoveredAllowed)
  if (templates) checkTemplates(templates.templates, templateFile!, clauseIds, problems)

  if (problems.list.length > 0 || !clauseLibrary || !templates) return { ok: false, problems: problems.sorted(), issues: problems.issues }
  return {
    ok: true,
    content: {
      questionnaires: questionnaires
        .map((located) => located.questionnaire)
        .sort((a, b) => a.id.localeCompare(b.id) || a.version - b.version),
      clauseLibrary,
      templates: templates.templates,
    },
  }
}

function checkClauseLibrary(library: ClauseLibrary, file: ContentFile, problems: Problems): Set<string> {
  const seen = new Map<string, number>()
  library.clauses.forEach((clause, index) => {
    const first = seen.get(clause.id)
    if (first !== undefined) problems.add(file, ['clauses', index, 'id'], 'duplicateClause', { id: clause.id }, { refs: { first: { path: ['clauses', first], text: `clauses[${first}]` } } })
    else seen.set(clause.id, index)
  })
  return new Set(seen.keys())
}

function isChoice(question: Pick<Question, 'kind'>) {
  return CHOICE_KINDS.includes(question.kind)
}

function checkQuestionnaires(located: LocatedQuestionnaire[], clauseIds: Set<string> | undefined, problems: Problems, options: ValidationOptions) {
  const versions = new Map<string, LocatedQuestionnaire>() // "baseline@1"
  const kinds = new Map<string, LocatedQuestionnaire>() // first version seen of each id
  const questionOwners = new Map<string, LocatedQuestionnaire>() // question id → questionnaire that uses it

  for (const entry of located) {
    const { file, questionnaire } = entry
    const key = `${questionnaire.id}@${questionnaire.version}`
    const twin = versions.get(key)
    if (twin) problems.add(file, ['version'], 'versionDefinedTwice', { id: questionnaire.id, version: questionnaire.version, other: twin.file.file })
    versions.set(key, entry)
    const sibling = kinds.get(questionnaire.id)
    if (sibling && sibling.questionnaire.kind !== questionnaire.kind) {
      problems.add(file, ['kind'], 'kindDiffers', { kind: questionnaire.kind, other: sibling.file.file, id: questionnaire.id, otherKind: sibling.questionnaire.kind })
    }
    if (!sibling) kinds.set(questionnaire.id, entry)

    const sectionIds = new Map<string, number>()
    // Questions in reading order, so a condition can be checked to point backwards.
    const earlier = new Map<string, { question: Question; path: PathSegment[] }>()
    const all = new Map<string, PathSegment[]>()
    questionnaire.sections.forEach((section, s) => {
      section.questions.forEach((question, q) => all.set(question.id, ['sections', s, 'questions', q]))
    })

    questionnaire.sections.forEach((section, s) => {
      const firstSection = sectionIds.get(section.id)
      if (firstSection !== undefined) problems.add(file, ['sections', s, 'id'], 'duplicateSection', { id: section.id }, { refs: { first: { path: ['sections', firstSection], text: `sections[${firstSection}]` } } })
      else sectionIds.set(section.id, s)

      section.questions.forEach((question, q) => {
        const path: PathSegment[] = ['sections', s, 'questions', q]
        const firstPath = earlier.get(question.id)?.path
        if (firstPath) {
          problems.add(file, [...path, 'id'], 'duplicateQuestion', { id: question.id }, { refs: { first: { path: firstPath, text: formatPath(firstPath) } } })
        } else {
          const owner = questionOwners.get(question.id)
          if (owner && owner.questionnaire.id !== questionnaire.id) {
            problems.add(file, [...path, 'id'], 'questionIdTaken', { id: question.id, owner: owner.questionnaire.id, ownerFile: owner.file.file })
          } else if (!owner) {
            questionOwners.set(question.id, entry)
          }
        }
        checkQuestion(file, path, question, { earlier, all, clauseIds, unmappedAllowed: options.unmappedAllowedIn?.has(file.file) ?? false }, problems)
        if (!firstPath) earlier.set(question.id, { question, path })
      })
    })
  }
}

function checkQuestion(
  file: ContentFile,
  path: PathSegment[],
  question: Question,
  context: {
    earlier: Map<string, { question: Question; path: PathSegment[] }>
    all: Map<string, PathSegment[]>
    clauseIds: Set<string> | undefined
    unmappedAllowed: boolean
  },
  problems: Problems,
) {
  const options = question.options ?? []
  const optionIds = options.map((option) => option.id)

  if (isChoice(question)) {
    if (options.length === 0) {
      problems.add(file, [...path, 'options'], 'needsOptions', { kind: question.kind })
    } else if (question.kind === 'yes_no_na') {
      const sorted = [...optionIds].sort()
      if (sorted.length !== 3 || YES_NO_NA.some((id) => !sorted.includes(id))) {
        problems.add(file, [...path, 'options'], 'yesNoNaOptions', { found: optionIds.join(', ') })
      }
    } else if (options.length < 2) {
      problems.add(file, [...path, 'options'], 'needsTwoOptions', { kind: question.kind })
    }
    const seen = new Map<string, number>()
    options.forEach((option, o) => {
      const first = seen.get(option.id)
      if (first !== undefined) problems.add(file, [...path, 'options', o, 'id'], 'duplicateOption', { id: option.id }, { refs: { first: { path: [...path, 'options', first], text: `options[${first}]` } } })
      else seen.set(option.id, o)
      const clausesOfOption = new Set<string>()
      option.clauses.forEach((effect, c) => {
        const effectPath = [...path, 'options', o, 'clauses', c]
        if (context.clauseIds && !context.clauseIds.has(effect.clause)) problems.add(file, effectPath, 'unknownClause', { clause: effect.clause })
        if (clausesOfOption.has(effect.clause)) problems.add(file, effectPath, 'clauseTwiceForOption', { clause: effect.clause, option: option.id })
        clausesOfOption.add(effect.clause)
      })
    })
    if (!context.unmappedAllowed && options.length > 0 && options.every((option) => option.clauses.length === 0)) {
      problems.add(file, path, 'unmapped', { id: question.id, kind: question.kind })
    }
  } else if (question.options !== undefined) {
    problems.add(file, [...path, 'options'], 'optionsNotAllowed', { id: question.id, kind: question.kind })
  }

  if (question.showWhen) {
    const conditionPath = [...path, 'showWhen']
    const target = context.earlier.get(question.showWhen.question)
    if (!target) {
      problems.add(file, [...conditionPath, 'question'], context.all.has(question.showWhen.question) ? 'conditionNotEarlier' : 'conditionUnknown', { target: question.showWhen.question })
    } else if (!isChoice(target.question)) {
      problems.add(file, [...conditionPath, 'question'], 'conditionNotChoice', { target: target.question.id, kind: target.question.kind })
    } else {
      const targetOptions = (target.question.options ?? []).map((option) => option.id)
      question.showWhen.anyOf.forEach((optionId, index) => {
        if (!targetOptions.includes(optionId)) {
          problems.add(file, [...conditionPath, 'anyOf', index], 'conditionUnknownOption', { target: target.question.id, option: optionId, options: targetOptions.join(', ') })
        }
      })
    }
  }

  const requiredWhen = question.evidence?.requiredWhen
  if (Array.isArray(requiredWhen)) {
    if (!isChoice(question)) {
      problems.add(file, [...path, 'evidence', 'requiredWhen'], 'evidenceNotChoice', { kind: question.kind })
    } else {
      requiredWhen.forEach((optionId, index) => {
        if (!optionIds.includes(optionId)) {
          problems.add(file, [...path, 'evidence', 'requiredWhen', index], 'evidenceUnknownOption', { option: optionId, options: optionIds.join(', ') })
        }
      })
    }
  }

  if (question.kind !== 'number') {
    for (const bound of ['min', 'max'] as const) {
      if (question[bound] !== undefined) problems.add(file, [...path, bound], 'boundNotNumber', { bound })
    }
  } else if (question.min !== undefined && question.max !== undefined && question.min > question.max) {
    problems.add(file, [...path, 'max'], 'maxBelowMin', { max: question.max, min: question.min })
  }
}

/** The newest version of each questionnaire: the ones a new assessment is sent with. */
export function latestVersions<T extends { id: string; version: number }>(questionnaires: readonly T[]): T[] {
  const latest = new Map<string, T>()
  for (const questionnaire of questionnaires) {
    const current = latest.get(questionnaire.id)
    if (!current || questionnaire.version > current.version) latest.set(questionnaire.id, questionnaire)
  }
  return [...latest.values()]
}

function checkCoverage(library: ClauseLibrary, file: ContentFile, located: LocatedQuestionnaire[], problems: Problems, uncoveredAllowed?: ReadonlySet<string>) {
  const latest = latestVersions(located.map((entry) => entry.questionnaire))
  if (latest.length === 0) return
  const covered = new Set<string>()
  for (const questionnaire of latest) {
    for (const section of questionnaire.sections) {
      for (const question of section.questions) {
        if (!isChoice(question)) continue
        for (const option of question.options ?? []) for (const effect of option.clauses) covered.add(effect.clause)
      }
    }
  }
  const names = latest.map((questionnaire) => `${questionnaire.id} v${questionnaire.version}`).join(', ')
  library.clauses.forEach((clause, index) => {
    if (!covered.has(clause.id) && !uncoveredAllowed?.has(clause.id)) problems.add(file, ['clauses', index], 'clauseNotCovered', { clause: clause.id, names })
  })
}

function checkTemplates(templates: ContractTemplate[], file: ContentFile, clauseIds: Set<string> | undefined, problems: Problems) {
  const categories = new Map<string, number>()
  templates.forEach((template, t) => {
    const first = categories.get(template.category)
    if (first !== undefined) problems.add(file, ['templates', t, 'category'], 'templateCategoryTwice', { category: template.category }, { refs: { first: { path: ['templates', first], text: `templates[${first}]` } } })
    else categories.set(template.category, t)
    const seen = new Set<string>()
    template.clauses.forEach((clauseId, c) => {
      if (clauseIds && !clauseIds.has(clauseId)) problems.add(file, ['templates', t, 'clauses', c], 'unknownClause', { clause: clauseId })
      if (seen.has(clauseId)) problems.add(file, ['templates', t, 'clauses', c], 'clauseListedTwice', { clause: clauseId })
      seen.add(clauseId)
    })
  })
  for (const category of VENDOR_CATEGORIES) {
    if (!categories.has(category)) problems.add(file, ['templates'], 'noTemplate', { category })
  }
}
