// Checks the content of questionnaires/ as a whole: each file against the meta-schema, then the
// references between files. Pure: the server module reads the directory, the tests feed strings.
// Every problem is reported as "<file>: <path>: <message>", with the YAML line when known.
import { LineCounter, parseDocument } from 'yaml'
import { z } from 'zod'
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

/** One problem, as data: the file, the path inside it and the message (for callers that locate it themselves, e.g. a workbook's cell). */
export interface ContentIssue {
  file: string
  path: PathSegment[]
  message: string
}

export type ValidationResult = { ok: true; content: LibraryContent } | { ok: false; problems: string[]; issues: ContentIssue[] }

export interface ValidationOptions {
  /** Files whose scored questions may still lack a clause mapping: drafts, which publishing checks again without this. */
  unmappedAllowedIn?: ReadonlySet<string>
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
  add(file: ContentFile | string, path: PathSegment[], message: string, lineAt: PathSegment[] = path) {
    const name = typeof file === 'string' ? file : file.file
    const line = typeof file === 'string' ? undefined : file.lineOf(lineAt)
    const where = path.length > 0 ? `${formatPath(path)}: ` : ''
    this.list.push(`${name}: ${where}${message}${line ? ` (line ${line})` : ''}`)
    this.issues.push({ file: name, path, message })
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
    problems.add(file, path, issue.message, at)
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
  if (clauseFiles.length === 0) problems.add(`${CLAUSES_FILE}.yaml`, [], 'file is missing: the clause library is required')
  if (templateFiles.length === 0) problems.add(`${TEMPLATES_FILE}.yaml`, [], 'file is missing: the contract templates are required')
  for (const extra of [...clauseFiles.slice(1), ...templateFiles.slice(1)]) problems.add(extra, [], 'defined twice (in YAML and JSON); keep one file')

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
      problems.add(file, [], `unexpected file name: questionnaires are named <id>-v<version>.yaml (e.g. baseline-v1.yaml); the other files are ${CLAUSES_FILE}.yaml and ${TEMPLATES_FILE}.yaml`)
      continue
    }
    questionnaireFiles++
    const questionnaire = parseWith(questionnaireSchema, file, problems)
    if (!questionnaire) continue
    if (questionnaire.id !== name[1]) problems.add(file, ['id'], `the file name says "${name[1]}" but the id is "${questionnaire.id}"`)
    if (questionnaire.version !== Number(name[2])) problems.add(file, ['version'], `the file name says version ${name[2]} but the version is ${questionnaire.version}`)
    questionnaires.push({ file, questionnaire })
  }

  const clauseIds = clauseLibrary ? checkClauseLibrary(clauseLibrary, clauseFile!, problems) : undefined
  checkQuestionnaires(questionnaires, clauseIds, problems, options)
  if (questionnaireFiles === 0) problems.add('questionnaires/', [], 'no questionnaire files (<id>-v<version>.yaml)')
  else if (questionnaires.length > 0 && !questionnaires.some((entry) => entry.questionnaire.kind === 'baseline')) {
    problems.add('questionnaires/', [], 'no questionnaire of kind "baseline"')
  }
  // Coverage is only meaningful once every questionnaire could be read.
  if (clauseLibrary && clauseIds && questionnaires.length === questionnaireFiles) checkCoverage(clauseLibrary, clauseFile!, questionnaires, problems)
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
    if (first !== undefined) problems.add(file, ['clauses', index, 'id'], `duplicate clause id ${clause.id} (first defined at clauses[${first}])`)
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
    if (twin) problems.add(file, ['version'], `${questionnaire.id} version ${questionnaire.version} is also defined in ${twin.file.file}`)
    versions.set(key, entry)
    const sibling = kinds.get(questionnaire.id)
    if (sibling && sibling.questionnaire.kind !== questionnaire.kind) {
      problems.add(file, ['kind'], `is "${questionnaire.kind}" but ${sibling.file.file} (another version of ${questionnaire.id}) is "${sibling.questionnaire.kind}"`)
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
      if (firstSection !== undefined) problems.add(file, ['sections', s, 'id'], `duplicate section id "${section.id}" (also sections[${firstSection}])`)
      else sectionIds.set(section.id, s)

      section.questions.forEach((question, q) => {
        const path: PathSegment[] = ['sections', s, 'questions', q]
        const firstPath = earlier.get(question.id)?.path
        if (firstPath) {
          problems.add(file, [...path, 'id'], `duplicate question id ${question.id} (also ${formatPath(firstPath)})`)
        } else {
          const owner = questionOwners.get(question.id)
          if (owner && owner.questionnaire.id !== questionnaire.id) {
            problems.add(
              file,
              [...path, 'id'],
              `question id ${question.id} is already used by questionnaire "${owner.questionnaire.id}" (${owner.file.file}); question ids must be unique across questionnaires`,
            )
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
      problems.add(file, [...path, 'options'], `a ${question.kind} question needs options`)
    } else if (question.kind === 'yes_no_na') {
      const sorted = [...optionIds].sort()
      if (sorted.length !== 3 || YES_NO_NA.some((id) => !sorted.includes(id))) {
        problems.add(file, [...path, 'options'], `a yes_no_na question has exactly the options yes, no and na (found ${optionIds.join(', ')})`)
      }
    } else if (options.length < 2) {
      problems.add(file, [...path, 'options'], `a ${question.kind} question needs at least two options`)
    }
    const seen = new Map<string, number>()
    options.forEach((option, o) => {
      const first = seen.get(option.id)
      if (first !== undefined) problems.add(file, [...path, 'options', o, 'id'], `duplicate option id "${option.id}" (also options[${first}])`)
      else seen.set(option.id, o)
      const clausesOfOption = new Set<string>()
      option.clauses.forEach((effect, c) => {
        const effectPath = [...path, 'options', o, 'clauses', c]
        if (context.clauseIds && !context.clauseIds.has(effect.clause)) problems.add(file, effectPath, `unknown clause ${effect.clause}`)
        if (clausesOfOption.has(effect.clause)) problems.add(file, effectPath, `clause ${effect.clause} is listed twice for option "${option.id}"`)
        clausesOfOption.add(effect.clause)
      })
    })
    if (!context.unmappedAllowed && options.length > 0 && options.every((option) => option.clauses.length === 0)) {
      problems.add(file, path, `${question.id} is scored (${question.kind}) but none of its options bears on a clause; map at least one clause`)
    }
  } else if (question.options !== undefined) {
    problems.add(file, [...path, 'options'], `only yes_no_na, single_choice and multi_choice questions have options (${question.id} is ${question.kind})`)
  }

  if (question.showWhen) {
    const conditionPath = [...path, 'showWhen']
    const target = context.earlier.get(question.showWhen.question)
    if (!target) {
      const message = context.all.has(question.showWhen.question)
        ? `${question.showWhen.question} comes at or after this question; a condition must refer to an earlier question`
        : `unknown question ${question.showWhen.question} (a condition refers to an earlier question of the same questionnaire)`
      problems.add(file, [...conditionPath, 'question'], message)
    } else if (!isChoice(target.question)) {
      problems.add(file, [...conditionPath, 'question'], `${target.question.id} is a ${target.question.kind} question; a condition needs a choice question`)
    } else {
      const targetOptions = (target.question.options ?? []).map((option) => option.id)
      question.showWhen.anyOf.forEach((optionId, index) => {
        if (!targetOptions.includes(optionId)) {
          problems.add(file, [...conditionPath, 'anyOf', index], `question ${target.question.id} has no option "${optionId}" (options: ${targetOptions.join(', ')})`)
        }
      })
    }
  }

  const requiredWhen = question.evidence?.requiredWhen
  if (Array.isArray(requiredWhen)) {
    if (!isChoice(question)) {
      problems.add(file, [...path, 'evidence', 'requiredWhen'], `only choice questions can require evidence for given answers; use "always" for a ${question.kind} question`)
    } else {
      requiredWhen.forEach((optionId, index) => {
        if (!optionIds.includes(optionId)) {
          problems.add(file, [...path, 'evidence', 'requiredWhen', index], `unknown option "${optionId}" (options: ${optionIds.join(', ')})`)
        }
      })
    }
  }

  if (question.kind !== 'number') {
    for (const bound of ['min', 'max'] as const) {
      if (question[bound] !== undefined) problems.add(file, [...path, bound], `only number questions have ${bound}`)
    }
  } else if (question.min !== undefined && question.max !== undefined && question.min > question.max) {
    problems.add(file, [...path, 'max'], `max (${question.max}) is below min (${question.min})`)
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

function checkCoverage(library: ClauseLibrary, file: ContentFile, located: LocatedQuestionnaire[], problems: Problems) {
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
    if (!covered.has(clause.id)) problems.add(file, ['clauses', index], `clause ${clause.id} is not covered by any question of the latest questionnaires (${names})`)
  })
}

function checkTemplates(templates: ContractTemplate[], file: ContentFile, clauseIds: Set<string> | undefined, problems: Problems) {
  const categories = new Map<string, number>()
  templates.forEach((template, t) => {
    const first = categories.get(template.category)
    if (first !== undefined) problems.add(file, ['templates', t, 'category'], `a second template for category ${template.category} (first at templates[${first}])`)
    else categories.set(template.category, t)
    const seen = new Set<string>()
    template.clauses.forEach((clauseId, c) => {
      if (clauseIds && !clauseIds.has(clauseId)) problems.add(file, ['templates', t, 'clauses', c], `unknown clause ${clauseId}`)
      if (seen.has(clauseId)) problems.add(file, ['templates', t, 'clauses', c], `clause ${clauseId} is listed twice`)
      seen.add(clauseId)
    })
  })
  for (const category of VENDOR_CATEGORIES) {
    if (!categories.has(category)) problems.add(file, ['templates'], `no template for vendor category ${category}`)
  }
}
