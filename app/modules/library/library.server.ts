// The questionnaire and clause library, read from questionnaires/ at runtime (never bundled), validated
// as a whole and cached. A broken file stops the server at boot with every problem listed.
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import type { VendorCategory } from '~/modules/vendors/vocabulary'
import { clauseBearings, type ClauseBearing } from './catalog'
import type { Clause, ClauseLibrary, ContractTemplate, LocalizedText, Questionnaire } from './content-schema'
import { isContentFile, latestVersions, parseContentFile, validateContent, type ContentFile, type LibraryContent } from './validate'

export class LibraryError extends Error {
  constructor(
    readonly directory: string,
    readonly problems: string[],
  ) {
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`
    super(`The questionnaire content in ${directory} is not valid (${count}):\n${problems.map((problem) => `- ${problem}`).join('\n')}`)
    this.name = 'LibraryError'
  }
}

export interface Library extends LibraryContent {
  directory: string
  latest: Questionnaire[]
  clauseById: Map<string, Clause>
  /** Questions of the latest versions bearing on each clause. */
  bearings: Map<string, ClauseBearing[]>
}

/** questionnaires/ beside the server (it runs from the repository root); CLAUSEWISE_QUESTIONNAIRES_DIR overrides. */
export function defaultLibraryDirectory(): string {
  return path.resolve(process.cwd(), process.env.CLAUSEWISE_QUESTIONNAIRES_DIR ?? 'questionnaires')
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const child of Object.values(value)) deepFreeze(child)
  }
  return value
}

/** Reads and validates every content file in a directory; throws one LibraryError listing all problems. */
export function loadLibrary(directory = defaultLibraryDirectory()): Library {
  const shown = path.relative(process.cwd(), directory) || directory
  let names: string[]
  try {
    names = readdirSync(directory).filter(isContentFile).sort()
  } catch (error) {
    throw new LibraryError(shown, [`${shown}: cannot read the directory (${(error as NodeJS.ErrnoException).code ?? String(error)})`])
  }
  const problems: string[] = []
  const files: ContentFile[] = []
  for (const name of names) {
    const result = parseContentFile(name, readFileSync(path.join(directory, name), 'utf8'))
    if (result.ok) files.push(result.parsed)
    else problems.push(...result.problems)
  }
  const validated = validateContent(files)
  if (!validated.ok || problems.length > 0) throw new LibraryError(shown, [...problems, ...(validated.ok ? [] : validated.problems)])
  const content = deepFreeze(validated.content) // shared by every request: nobody may change it
  const latest = latestVersions(content.questionnaires)
  return {
    ...content,
    directory: shown,
    latest,
    clauseById: new Map(content.clauseLibrary.clauses.map((clause) => [clause.id, clause])),
    bearings: clauseBearings(latest),
  }
}

let cached: Library | undefined

/** The library, loaded on first use and kept for the life of the process. */
export function library(): Library {
  cached ??= loadLibrary()
  return cached
}

/** Loads (or reloads) the library now: at boot, so broken content stops the server; in tests, from a fixture directory. */
export function reloadLibrary(directory?: string): Library {
  cached = loadLibrary(directory)
  return cached
}

export function getQuestionnaire(id: string, version: number): Questionnaire {
  const questionnaire = library().questionnaires.find((candidate) => candidate.id === id && candidate.version === version)
  if (!questionnaire) throw new Error(`unknown questionnaire ${id} version ${version}`)
  return questionnaire
}

/** The questionnaire version, or undefined: for pages that answer 404 to an unknown URL. */
export function findQuestionnaire(id: string, version: number): Questionnaire | undefined {
  return library().questionnaires.find((candidate) => candidate.id === id && candidate.version === version)
}

export interface QuestionnaireSummary {
  id: string
  version: number
  kind: Questionnaire['kind']
  title: LocalizedText
  proposedFor: VendorCategory[]
  publishedAt: string
  sectionCount: number
  questionCount: number
  latest: boolean
}

/** Every version of every questionnaire, baselines first, newest version first within an id. */
export function listQuestionnaires(): QuestionnaireSummary[] {
  const { questionnaires, latest } = library()
  return questionnaires
    .map((questionnaire) => ({
      id: questionnaire.id,
      version: questionnaire.version,
      kind: questionnaire.kind,
      title: questionnaire.title,
      proposedFor: [...questionnaire.proposedFor],
      publishedAt: questionnaire.publishedAt,
      sectionCount: questionnaire.sections.length,
      questionCount: questionnaire.sections.reduce((sum, section) => sum + section.questions.length, 0),
      latest: latest.includes(questionnaire),
    }))
    .sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'baseline' ? -1 : 1) || a.id.localeCompare(b.id) || b.version - a.version)
}

export function latestQuestionnaire(id: string): Questionnaire {
  const questionnaire = library().latest.find((candidate) => candidate.id === id)
  if (!questionnaire) throw new Error(`unknown questionnaire ${id}`)
  return questionnaire
}

export function getClauseLibrary(): ClauseLibrary {
  return library().clauseLibrary
}

export function getClause(id: string): Clause | undefined {
  return library().clauseById.get(id)
}

/** Every vendor category has one template: the validation refuses content without it. */
export function getContractTemplate(category: VendorCategory): ContractTemplate {
  const template = library().templates.find((candidate) => candidate.category === category)
  if (!template) throw new Error(`no contract template for category ${category}`)
  return template
}

export function listContractTemplates(): ContractTemplate[] {
  return library().templates
}

/** Questions of the latest questionnaire versions whose answers bear on the clause. */
export function questionsBearingOn(clauseId: string): ClauseBearing[] {
  return library().bearings.get(clauseId) ?? []
}
