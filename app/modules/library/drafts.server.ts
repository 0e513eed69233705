// Drafts of questionnaire versions and their publication. A draft is stored only when it validates
// like the YAML content (meta-schema, then cross-references against the whole library); unmapped
// scored questions are the one thing a draft may still have. Publishing re-validates without that
// allowance, refuses the person who uploaded the draft (four-eyes), and inserts the immutable
// LibraryVersion whose unique key (id + version) is the commit point (docs/decisions/030).
import { Types } from 'mongoose'
import { recordAudit, type AuditEntry } from '~/modules/audit/audit.server'
import type { SessionUser } from '~/modules/auth/session.server'
import '~/modules/forms/validation' // installs the error map that turns schema issues into i18n keys
import { clauseLibrarySchema, contractTemplatesSchema, questionnaireSchema, type Questionnaire } from './content-schema'
import { clauseDifferences, type ClauseDifferences } from './clause-draft-diff'
import { draftDifferences, type DraftDifferences } from './draft-diff'
import type { ImportProblem, Locator } from './formats/located'
import { library, setPublishedVersions, type Library, type PublishedClauseLibrary } from './library.server'
import { findLibraryContentVersion, findNewestLibraryContent, insertLibraryContentVersion } from './library-content-version-store.server'
import { discardLibraryDraft, findLibraryDraft, insertLibraryDraft, listOpenLibraryDrafts, markLibraryDraftPublished, type DraftKind, type DraftSource, type DraftState, type LibraryDraftRecord, type ListedDraft } from './library-draft-store.server'
import { findLibraryVersion, insertLibraryVersion, listPublishedQuestionnaires } from './library-version-store.server'
import { CLAUSES_FILE, formatPath, TEMPLATES_FILE, validateContent, type ContentFile, type ContentIssue } from './validate'

export type { DraftKind, DraftSource }
/** The questionnaireId stored on clause-library drafts (the draft list shows it as their name). */
export const CLAUSE_LIBRARY_DRAFT_ID = 'clause-library'

export interface DraftSuggestion {
  questionId?: string
  optionIds: string[]
  sourceId?: string
  text: string
}

/** Content read from an imported file, not yet checked. */
export interface DraftCandidate {
  source: DraftSource
  fileName?: string
  content: Record<string, unknown>
  locator?: Locator
  /** Problems the format's reader can place better than the validator (e.g. a VSAQ item id). */
  placeOf?: (path: readonly (string | number)[]) => ImportProblem['place']
  suggestions?: DraftSuggestion[]
  /** The import was started from this questionnaire's page: a workbook of another one is refused. */
  expected?: { id: string; version: number }
}

export type DraftImportResult = { ok: true; draftId: string; differences: DraftDifferences } | { ok: false; problems: ImportProblem[] }

const noLine = () => undefined
const fileOf = (ref: { id: string; version: number }) => `${ref.id}-v${ref.version}.yaml`

/**
 * Cross-references of one questionnaire against the library as it is now (other versions, clauses,
 * templates). The library was validated when loaded, so only `questionnaire` goes through the
 * meta-schema again, and not even that when the caller has just parsed it (`parsed`).
 */
export function validateAgainstLibrary(questionnaire: Questionnaire, { draft, parsed = false }: { draft: boolean; parsed?: boolean }) {
  const current = library()
  const name = fileOf(questionnaire)
  const files: ContentFile[] = [
    { file: `${CLAUSES_FILE}.yaml`, data: current.clauseLibrary, lineOf: noLine, parsed: true },
    { file: `${TEMPLATES_FILE}.yaml`, data: { templates: current.templates }, lineOf: noLine, parsed: true },
    ...current.questionnaires
      .filter((other) => !(other.id === questionnaire.id && other.version === questionnaire.version))
      .map((other) => ({ file: fileOf(other), data: other, lineOf: noLine, parsed: true })),
    { file: name, data: questionnaire, lineOf: noLine, parsed },
  ]
  const result = validateContent(files, { uncoveredAllowed: addedInApp(current), ...(draft ? { unmappedAllowedIn: new Set([name]) } : {}) })
  if (result.ok) return { ok: true as const }
  return { ok: false as const, issues: result.issues.map((issue) => ({ ...issue, inDraft: issue.file === name })) }
}

/** Clauses added in the app: no questionnaire need cover them yet (the one mapping them is a later draft, which needs them to exist). */
function addedInApp(current: Library, clauses: readonly { id: string }[] = current.clauseLibrary.clauses): Set<string> {
  return new Set(clauses.filter((clause) => !current.shippedClauseIds.has(clause.id)).map((clause) => clause.id))
}

function placeFor(candidate: DraftCandidate, path: readonly (string | number)[]): ImportProblem['place'] {
  return candidate.placeOf?.(path) ?? candidate.locator?.find(path)
}

/**
 * A cross-reference problem as the importer shows it: code and parameters for the user's
 * language, placed in the imported file when it is about the draft (`placeOf`), otherwise
 * naming the library file it is about.
 */
function contentProblem(issue: ContentIssue, placeOf?: (path: readonly (string | number)[]) => ImportProblem['place']): ImportProblem {
  return {
    place: placeOf?.(issue.path),
    code: `content.${issue.code}`,
    params: placeOf ? issue.params : { ...issue.params, file: issue.file },
    refs: Object.fromEntries(Object.entries(issue.refs).map(([name, ref]) => [name, placeOf?.(ref.path) ?? ref.text])),
  }
}

/** The candidate as a valid draft questionnaire (version = the next one), or every problem found. */
export function checkDraft(candidate: DraftCandidate, today = new Date()): { ok: true; questionnaire: Questionnaire; basedOn?: Questionnaire } | { ok: false; problems: ImportProblem[] } {
  const parsed = questionnaireSchema.safeParse(candidate.content)
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((issue) => {
        const path = issue.path as (string | number)[]
        const at = issue.code === 'unrecognized_keys' && issue.keys[0] ? [...path, issue.keys[0]] : path
        return { place: placeFor(candidate, at), code: 'schema', params: { detail: issue.message } }
      }),
    }
  }
  const imported = parsed.data
  const versions = library().questionnaires.filter((questionnaire) => questionnaire.id === imported.id)
  const latest = versions.reduce<Questionnaire | undefined>((newest, questionnaire) => (!newest || questionnaire.version > newest.version ? questionnaire : newest), undefined)
  if (candidate.expected && candidate.expected.id !== imported.id) {
    return { ok: false, problems: [{ place: placeFor(candidate, ['id']), code: 'otherQuestionnaire', params: { found: imported.id, expected: candidate.expected.id } }] }
  }
  let basedOn: Questionnaire | undefined
  if (candidate.source === 'workbook' && latest) {
    // An edit of an older version would silently drop what the newer ones changed.
    basedOn = versions.find((questionnaire) => questionnaire.version === imported.version)
    if (!basedOn || imported.version !== latest.version) {
      return { ok: false, problems: [{ place: placeFor(candidate, ['version']), code: 'notLatestVersion', params: { id: imported.id, found: imported.version, latest: latest.version } }] }
    }
  }
  const questionnaire: Questionnaire = { ...imported, version: (latest?.version ?? 0) + 1, publishedAt: today.toISOString().slice(0, 10) }
  const checked = validateAgainstLibrary(questionnaire, { draft: true, parsed: true })
  if (!checked.ok) return { ok: false, problems: checked.issues.map((issue) => contentProblem(issue, issue.inDraft ? (path) => placeFor(candidate, path) : undefined)) }
  return { ok: true, questionnaire, basedOn: basedOn ?? latest }
}

const auditUser = (user: SessionUser) => ({ kind: 'user' as const, id: user.id, label: user.email })

/** Stores a checked draft as uploaded by the actor and records the import; the new draft's id. */
async function storeDraft(actor: SessionUser, draft: Omit<Parameters<typeof insertLibraryDraft>[0], 'uploadedBy'>, details: AuditEntry['details']): Promise<string> {
  const draftObjectId = await insertLibraryDraft({ ...draft, uploadedBy: { id: actor.id, name: actor.name } })
  const draftId = draftObjectId.toString()
  await recordAudit({ actor: auditUser(actor), action: 'library.draft-import', subject: { kind: 'library-draft', id: draftId }, details })
  return draftId
}

/** Checks the candidate and stores it as a draft; nothing is stored when anything is wrong. */
export async function importDraft(actor: SessionUser, candidate: DraftCandidate): Promise<DraftImportResult> {
  const checked = checkDraft(candidate)
  if (!checked.ok) return checked
  const { questionnaire, basedOn } = checked
  const draftId = await storeDraft(
    actor,
    {
      questionnaireId: questionnaire.id,
      version: questionnaire.version,
      basedOn: basedOn?.version,
      source: candidate.source,
      fileName: candidate.fileName?.slice(0, 200),
      questionnaire,
      suggestions: candidate.suggestions ?? [],
    },
    { questionnaire: questionnaire.id, version: questionnaire.version, basedOn: basedOn?.version, source: candidate.source, fileName: candidate.fileName?.slice(0, 200) },
  )
  return { ok: true, draftId, differences: draftDifferences(basedOn, questionnaire) }
}

export interface DraftRecord {
  id: string
  kind: DraftKind
  questionnaireId: string
  version: number
  basedOn?: number
  source: DraftSource
  fileName?: string
  state: DraftState
  questionnaire: Questionnaire // kind questionnaire only (an empty shell otherwise)
  clauseContent?: PublishedClauseLibrary // kind clause-library only
  suggestions: DraftSuggestion[]
  uploadedBy: { id: string; name?: string }
  publishedBy?: { id?: string; name?: string }
  createdAt: string
  revision: number
}

function toRecord(document: ListedDraft & Partial<Pick<LibraryDraftRecord, 'questionnaire' | 'clauseLibrary'>>): DraftRecord {
  return {
    id: document._id.toString(),
    kind: document.kind ?? 'questionnaire',
    questionnaireId: document.questionnaireId,
    version: document.version,
    basedOn: document.basedOn ?? undefined,
    source: document.source,
    fileName: document.fileName ?? undefined,
    state: document.state,
    questionnaire: (document.questionnaire ?? { sections: [] }) as Questionnaire,
    clauseContent: document.clauseLibrary,
    suggestions: (document.suggestions ?? []).map((suggestion) => ({
      questionId: suggestion.questionId ?? undefined,
      optionIds: [...(suggestion.optionIds ?? [])],
      sourceId: suggestion.sourceId ?? undefined,
      text: suggestion.text,
    })),
    uploadedBy: { id: document.uploadedBy?.id ?? '', name: document.uploadedBy?.name ?? undefined },
    publishedBy: document.publishedBy?.id ? { id: document.publishedBy.id, name: document.publishedBy.name ?? undefined } : undefined,
    createdAt: (document.createdAt ?? new Date()).toISOString(),
    revision: document.revision ?? 0,
  }
}

export async function getDraft(draftId: string): Promise<DraftRecord | undefined> {
  if (!Types.ObjectId.isValid(draftId)) return undefined
  const document = await findLibraryDraft(draftId)
  return document ? toRecord(document) : undefined
}

/** Drafts waiting for publication, newest first. */
export async function listOpenDrafts(): Promise<Omit<DraftRecord, 'questionnaire' | 'suggestions' | 'clauseContent'>[]> {
  const documents = await listOpenLibraryDrafts(100)
  return documents.map((document) => {
    const { questionnaire: _questionnaire, suggestions: _suggestions, clauseContent: _clauseContent, ...rest } = toRecord(document)
    return rest
  })
}

/** The draft compared with the version it came from. */
export function differencesOf(draft: DraftRecord): DraftDifferences {
  const basedOn = draft.basedOn ? library().questionnaires.find((questionnaire) => questionnaire.id === draft.questionnaireId && questionnaire.version === draft.basedOn) : undefined
  return draftDifferences(basedOn, draft.questionnaire)
}

export type PublishRefusal = 'notFound' | 'notDraft' | 'ownDraft' | 'stale' | 'invalid'

/** Why this person may not publish this draft now, or undefined when they may. */
export function publishRefusal(draft: DraftRecord | undefined, actor: Pick<SessionUser, 'id'>): PublishRefusal | undefined {
  if (!draft) return 'notFound'
  if (draft.state !== 'draft') return 'notDraft'
  if (draft.uploadedBy.id === actor.id) return 'ownDraft'
  const current = draft.kind === 'clause-library' ? library().clauseLibrary.version : (library().latest.find((questionnaire) => questionnaire.id === draft.questionnaireId)?.version ?? 0)
  if (current + 1 !== draft.version) return 'stale'
  return undefined
}

export type PublishResult = { ok: true; version: number } | { ok: false; refusal: PublishRefusal; problems?: ImportProblem[] }

/** Publishes the draft as the next version, by someone other than its uploader. */
export async function publishDraft(actor: SessionUser, draftId: string): Promise<PublishResult> {
  const draft = await getDraft(draftId)
  const refusal = publishRefusal(draft, actor)
  if (refusal || !draft) return { ok: false, refusal: refusal ?? 'notFound' }
  if (draft.kind === 'clause-library') return publishClauseDraft(actor, draft)
  const questionnaire: Questionnaire = { ...draft.questionnaire, publishedAt: new Date().toISOString().slice(0, 10) }
  // Publishing asks what the YAML asks: every scored question maps a clause.
  const checked = validateAgainstLibrary(questionnaire, { draft: false })
  if (!checked.ok) return { ok: false, refusal: 'invalid', problems: checked.issues.map((issue) => contentProblem(issue, issue.inDraft ? () => undefined : undefined)) }
  const published = await insertLibraryVersion({
    questionnaireId: questionnaire.id,
    version: questionnaire.version,
    questionnaire,
    draftId: new Types.ObjectId(draft.id),
    uploadedBy: draft.uploadedBy,
    publishedBy: { id: actor.id, name: actor.name },
  })
  if (!published) {
    // Someone published this version first (or this very draft, before a crash): reload and say so.
    const winner = await findLibraryVersion(questionnaire.id, questionnaire.version)
    await refreshPublishedVersions()
    if (!winner || String(winner.draftId) !== draft.id) return { ok: false, refusal: 'stale' }
  }
  await markPublished(draft, actor, { questionnaire: questionnaire.id, version: questionnaire.version })
  return { ok: true, version: questionnaire.version }
}

/** After the immutable version is stored (the commit point): the draft shows as published, the library reloads, the audit records it. */
async function markPublished(draft: DraftRecord, actor: SessionUser, details: Record<string, string | number>) {
  await markLibraryDraftPublished(draft, { id: actor.id, name: actor.name }, new Date())
  await refreshPublishedVersions()
  await recordAudit({ actor: auditUser(actor), action: 'library.publish', subject: { kind: 'library-draft', id: draft.id }, details: { ...details, uploadedBy: draft.uploadedBy.id } })
}

/** Discards a draft (its uploader or another publisher); published versions are never discarded. */
export async function discardDraft(actor: SessionUser, draftId: string): Promise<boolean> {
  const draft = await getDraft(draftId)
  if (!draft || draft.state !== 'draft') return false
  if (!(await discardLibraryDraft(draft))) return false
  await recordAudit({ actor: auditUser(actor), action: 'library.draft-discard', subject: { kind: 'library-draft', id: draft.id }, details: { questionnaire: draft.questionnaireId, version: draft.version } })
  return true
}

/** Reads every version published in the app into the catalog: at boot, after a publication, before an assessment pins versions. */
export async function refreshPublishedVersions(): Promise<void> {
  const versions = await listPublishedQuestionnaires()
  // Only the newest clause library serves; earlier ones stay stored, unchanged, for the record.
  const clauses = await findNewestLibraryContent('clause-library')
  setPublishedVersions(
    versions.map((version) => version.questionnaire),
    clauses?.content,
  )
}

// ---- Clause-library drafts: the Clauses and Templates sheets as the next clause library ----

export interface ClauseDraftCandidate {
  fileName?: string
  clauses: Record<string, unknown>[]
  templates: Record<string, unknown>[]
  locator?: Locator
}

export type ClauseDraftImportResult = { ok: true; draftId: string; differences: ClauseDifferences } | { ok: false; problems: ImportProblem[] }

function schemaProblems(issues: readonly { path: PropertyKey[]; message: string; code: string; keys?: string[] }[], prefix: (string | number)[], locator?: Locator): ImportProblem[] {
  return issues.map((issue) => {
    const path = [...prefix, ...(issue.path as (string | number)[])]
    const at = issue.code === 'unrecognized_keys' && issue.keys?.[0] ? [...path, issue.keys[0]] : path
    return { place: locator?.find(at), code: 'schema', params: { detail: issue.message } }
  })
}

/**
 * The candidate as the next clause library (and templates), checked as the YAML is: meta-schema,
 * unique clause ids, templates naming existing clauses, and every clause that any questionnaire
 * version (shipped or published, since assessments pin them all) refers to still existing.
 */
export function checkClauseDraft(candidate: ClauseDraftCandidate): { ok: true; content: PublishedClauseLibrary } | { ok: false; problems: ImportProblem[] } {
  const current = library()
  const version = current.clauseLibrary.version + 1
  const clauseParsed = clauseLibrarySchema.safeParse({ version, clauses: candidate.clauses })
  const templatesParsed = contractTemplatesSchema.safeParse({ templates: candidate.templates })
  const problems = [
    ...(clauseParsed.success ? [] : schemaProblems(clauseParsed.error.issues, ['clauseLibrary'], candidate.locator)),
    ...(templatesParsed.success ? [] : schemaProblems(templatesParsed.error.issues, [], candidate.locator)),
  ]
  if (!clauseParsed.success || !templatesParsed.success) return { ok: false, problems }
  const content: PublishedClauseLibrary = { clauseLibrary: clauseParsed.data, templates: templatesParsed.data.templates }
  const clausesName = `${CLAUSES_FILE}.yaml`
  const templatesName = `${TEMPLATES_FILE}.yaml`
  const files: ContentFile[] = [
    { file: clausesName, data: content.clauseLibrary, lineOf: noLine, parsed: true },
    { file: templatesName, data: { templates: content.templates }, lineOf: noLine, parsed: true },
    ...current.questionnaires.map((questionnaire) => ({ file: fileOf(questionnaire), data: questionnaire, lineOf: noLine, parsed: true })),
  ]
  const result = validateContent(files, { uncoveredAllowed: addedInApp(current, content.clauseLibrary.clauses) })
  if (result.ok) return { ok: true, content }
  const place = (path: readonly (string | number)[]) => candidate.locator?.find(path)
  return {
    ok: false,
    problems: result.issues.map((issue) => {
      if (issue.file === clausesName) return contentProblem(issue, (path) => place(['clauseLibrary', ...path]))
      if (issue.file === templatesName) return contentProblem(issue, place)
      // A questionnaire still maps a clause the workbook no longer has: name both.
      if (issue.code === 'unknownClause') {
        return { place: { sheet: 'Clauses', row: 1, column: 'A' }, code: 'clauseStillReferenced', params: { clause: String(issue.params.clause), file: issue.file, path: formatPath(issue.path) } }
      }
      return contentProblem(issue)
    }),
  }
}

/** Checks the candidate and stores it as a clause-library draft; nothing is stored when anything is wrong. */
export async function importClauseDraft(actor: SessionUser, candidate: ClauseDraftCandidate): Promise<ClauseDraftImportResult> {
  const checked = checkClauseDraft(candidate)
  if (!checked.ok) return checked
  const current = library()
  const draftId = await storeDraft(
    actor,
    {
      kind: 'clause-library',
      questionnaireId: CLAUSE_LIBRARY_DRAFT_ID,
      version: checked.content.clauseLibrary.version,
      basedOn: current.clauseLibrary.version,
      source: 'workbook',
      fileName: candidate.fileName?.slice(0, 200),
      clauseLibrary: checked.content,
    },
    { clauseLibrary: checked.content.clauseLibrary.version, basedOn: current.clauseLibrary.version, source: 'workbook', fileName: candidate.fileName?.slice(0, 200) },
  )
  return { ok: true, draftId, differences: clauseDifferences(current, checked.content) }
}

/** A clause-library draft compared with the library serving now (the one it was based on, unless it is stale). */
export function clauseDifferencesOf(draft: DraftRecord): ClauseDifferences | undefined {
  return draft.clauseContent ? clauseDifferences(library(), draft.clauseContent) : undefined
}

async function publishClauseDraft(actor: SessionUser, draft: DraftRecord): Promise<PublishResult> {
  if (!draft.clauseContent) return { ok: false, refusal: 'notFound' }
  // The questionnaires may have changed since the import: check the references again.
  const checked = checkClauseDraft({ clauses: draft.clauseContent.clauseLibrary.clauses, templates: draft.clauseContent.templates })
  if (!checked.ok) return { ok: false, refusal: 'invalid', problems: checked.problems }
  const content = { clauseLibrary: { ...checked.content.clauseLibrary, version: draft.version }, templates: checked.content.templates }
  const published = await insertLibraryContentVersion({ kind: 'clause-library', version: draft.version, content, draftId: new Types.ObjectId(draft.id), uploadedBy: draft.uploadedBy, publishedBy: { id: actor.id, name: actor.name } })
  if (!published) {
    const winner = await findLibraryContentVersion('clause-library', draft.version)
    await refreshPublishedVersions()
    if (!winner || String(winner.draftId) !== draft.id) return { ok: false, refusal: 'stale' }
  }
  await markPublished(draft, actor, { clauseLibrary: draft.version })
  return { ok: true, version: draft.version }
}


