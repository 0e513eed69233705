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
  /** "id@version" of the versions published in the app (stored in the database) rather than shipped as YAML. */
  publishedInApp: ReadonlySet<string>
  clauseById: Map<string, Clause>
  /** Version of the clause library published in the app that replaced the YAML one, if any. */
  clauseLibraryInApp?: number
  /** Clause ids of clauses.yaml: a clause added in the app need not be covered by a questionnaire yet. */
  shippedClauseIds: ReadonlySet<string>
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
  return assemble(shown, deepFreeze(validated.content), []) // shared by every request: nobody may change it
}

/** The newest clause library and contract templates published in the app (they replace the YAML ones as a pair). */
export interface PublishedClauseLibrary {
  clauseLibrary: ClauseLibrary
  templates: ContractTemplate[]
}

function assemble(directory: string, shippedContent: LibraryContent, published: readonly Questionnaire[], clauses?: PublishedClauseLibrary): Library {
  // The YAML clause library is the default; a newer one published in the app replaces it (docs/decisions/032).
  const replaced = clauses && clauses.clauseLibrary.version > shippedContent.clauseLibrary.version
  const content: LibraryContent = replaced ? { ...shippedContent, clauseLibrary: clauses.clauseLibrary, templates: clauses.templates } : shippedContent
  const shipped = new Set(content.questionnaires.map((questionnaire) => versionKey(questionnaire)))
  // The YAML is the default; a version the files also ship wins over the database (docs/decisions/030).
  const added = published.filter((questionnaire) => !shipped.has(versionKey(questionnaire)))
  const questionnaires = [...content.questionnaires, ...added].sort((a, b) => a.id.localeCompare(b.id) || a.version - b.version)
  const latest = latestVersions(questionnaires)
  return {
    ...content,
    questionnaires,
    directory,
    latest,
    publishedInApp: new Set(added.map(versionKey)),
    clauseLibraryInApp: replaced ? clauses.clauseLibrary.version : undefined,
    shippedClauseIds: new Set(shippedContent.clauseLibrary.clauses.map((clause) => clause.id)),
    clauseById: new Map(content.clauseLibrary.clauses.map((clause) => [clause.id, clause])),
    bearings: clauseBearings(latest),
  }
}

export const versionKey = (ref: { id: string; version: number }) => `${ref.id}@${ref.version}`

let cached: Library | undefined
let shippedLibrary: Library | undefined

/** The library, loaded on first use and kept for the life of the process. */
export function library(): Library {
  if (!cached) {
    shippedLibrary = loadLibrary()
    cached = shippedLibrary
  }
  return cached
}

/** Loads (or reloads) the library now: at boot, so broken content stops the server; in tests, from a fixture directory. Versions published in the app are added afterwards (setPublishedVersions). */
export function reloadLibrary(directory?: string): Library {
  shippedLibrary = loadLibrary(directory)
  cached = shippedLibrary
  return cached
}

/** The shipped content joined by the versions published in the app (read from the database by published-versions.server.ts). */
export function setPublishedVersions(published: readonly Questionnaire[], clauses?: PublishedClauseLibrary): Library {
  const shipped = shippedLibrary ?? library()
  cached = assemble(
    shipped.directory,
    shipped,
    published.map((questionnaire) => deepFreeze(structuredClone(questionnaire))),
    clauses ? deepFreeze(structuredClone(clauses)) : undefined,
  )
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
