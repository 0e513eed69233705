// Drafts of questionnaire versions and their publication. A draft is stored only when it validates
// like the YAML content (meta-schema, then cross-references against the whole library); unmapped
// scored questions are the one thing a draft may still have. Publishing re-validates without that
// allowance, refuses the person who uploaded the draft (four-eyes), and inserts the immutable
// LibraryVersion whose unique key (id + version) is the commit point (docs/decisions/030).
import { Types } from 'mongoose'
import { LibraryDraftModel, type LibraryDraftDocument } from '~models/library-draft'
import { LibraryVersionModel } from '~models/library-version'
import { recordAudit } from '~/modules/audit/audit.server'
import type { SessionUser } from '~/modules/auth/session.server'
import '~/modules/forms/validation' // installs the error map that turns schema issues into i18n keys
import { questionnaireSchema, type Questionnaire } from './content-schema'
import { draftDifferences, type DraftDifferences } from './draft-diff'
import type { ImportProblem, Locator } from './formats/located'
import { library, setPublishedVersions } from './library.server'
import { CLAUSES_FILE, TEMPLATES_FILE, validateContent, type ContentFile, type ContentIssue } from './validate'

export type DraftSource = LibraryDraftDocument['source']

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
  const result = validateContent(files, draft ? { unmappedAllowedIn: new Set([name]) } : {})
  if (result.ok) return { ok: true as const }
  return { ok: false as const, issues: result.issues.map((issue) => ({ ...issue, inDraft: issue.file === name })) }
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

/** Checks the candidate and stores it as a draft; nothing is stored when anything is wrong. */
export async function importDraft(actor: SessionUser, candidate: DraftCandidate): Promise<DraftImportResult> {
  const checked = checkDraft(candidate)
  if (!checked.ok) return checked
  const { questionnaire, basedOn } = checked
  const draft = await LibraryDraftModel.create({
    questionnaireId: questionnaire.id,
    version: questionnaire.version,
    basedOn: basedOn?.version,
    source: candidate.source,
    fileName: candidate.fileName?.slice(0, 200),
    questionnaire,
    suggestions: candidate.suggestions ?? [],
    uploadedBy: { id: actor.id, name: actor.name },
  })
  const draftId = draft._id.toString()
  await recordAudit({
    actor: auditUser(actor),
    action: 'library.draft-import',
    subject: { kind: 'library-draft', id: draftId },
    details: { questionnaire: questionnaire.id, version: questionnaire.version, basedOn: basedOn?.version, source: candidate.source, fileName: candidate.fileName?.slice(0, 200) },
  })
  return { ok: true, draftId, differences: draftDifferences(basedOn, questionnaire) }
}

export interface DraftRecord {
  id: string
  questionnaireId: string
  version: number
  basedOn?: number
  source: DraftSource
  fileName?: string
  state: LibraryDraftDocument['state']
  questionnaire: Questionnaire
  suggestions: DraftSuggestion[]
  uploadedBy: { id: string; name?: string }
  publishedBy?: { id?: string; name?: string }
  createdAt: string
  revision: number
}

function toRecord(document: LibraryDraftDocument & { createdAt?: Date }): DraftRecord {
  return {
    id: document._id.toString(),
    questionnaireId: document.questionnaireId,
    version: document.version,
    basedOn: document.basedOn ?? undefined,
    source: document.source,
    fileName: document.fileName ?? undefined,
    state: document.state,
    questionnaire: document.questionnaire as Questionnaire,
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
  const document = await LibraryDraftModel.findById(draftId).lean()
  return document ? toRecord(document as LibraryDraftDocument & { createdAt?: Date }) : undefined
}

/** Drafts waiting for publication, newest first. */
export async function listOpenDrafts(): Promise<Omit<DraftRecord, 'questionnaire' | 'suggestions'>[]> {
  const documents = await LibraryDraftModel.find({ state: 'draft' }).sort({ _id: -1 }).limit(100).lean()
  return documents.map((document) => {
    const { questionnaire: _questionnaire, suggestions: _suggestions, ...rest } = toRecord(document as LibraryDraftDocument & { createdAt?: Date })
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
  const latest = library().latest.find((questionnaire) => questionnaire.id === draft.questionnaireId)
  if ((latest?.version ?? 0) + 1 !== draft.version) return 'stale'
  return undefined
}

export type PublishResult = { ok: true; version: number } | { ok: false; refusal: PublishRefusal; problems?: ImportProblem[] }

/** Publishes the draft as the next version, by someone other than its uploader. */
export async function publishDraft(actor: SessionUser, draftId: string): Promise<PublishResult> {
  const draft = await getDraft(draftId)
  const refusal = publishRefusal(draft, actor)
  if (refusal || !draft) return { ok: false, refusal: refusal ?? 'notFound' }
  const questionnaire: Questionnaire = { ...draft.questionnaire, publishedAt: new Date().toISOString().slice(0, 10) }
  // Publishing asks what the YAML asks: every scored question maps a clause.
  const checked = validateAgainstLibrary(questionnaire, { draft: false })
  if (!checked.ok) return { ok: false, refusal: 'invalid', problems: checked.issues.map((issue) => contentProblem(issue, issue.inDraft ? () => undefined : undefined)) }
  try {
    await LibraryVersionModel.create({
      questionnaireId: questionnaire.id,
      version: questionnaire.version,
      questionnaire,
      draftId: new Types.ObjectId(draft.id),
      uploadedBy: draft.uploadedBy,
      publishedBy: { id: actor.id, name: actor.name },
    })
  } catch (error) {
    if ((error as { code?: number }).code !== 11000) throw error
    // Someone published this version first (or this very draft, before a crash): reload and say so.
    const winner = await LibraryVersionModel.findOne({ questionnaireId: questionnaire.id, version: questionnaire.version }).lean()
    await refreshPublishedVersions()
    if (!winner || String(winner.draftId) !== draft.id) return { ok: false, refusal: 'stale' }
  }
  await LibraryDraftModel.updateOne(
    { _id: new Types.ObjectId(draft.id), state: 'draft', revision: draft.revision },
    { $set: { state: 'published', publishedBy: { id: actor.id, name: actor.name }, publishedAt: new Date() }, $inc: { revision: 1 } },
  )
  await refreshPublishedVersions()
  await recordAudit({
    actor: auditUser(actor),
    action: 'library.publish',
    subject: { kind: 'library-draft', id: draft.id },
    details: { questionnaire: questionnaire.id, version: questionnaire.version, uploadedBy: draft.uploadedBy.id },
  })
  return { ok: true, version: questionnaire.version }
}

/** Discards a draft (its uploader or another publisher); published versions are never discarded. */
export async function discardDraft(actor: SessionUser, draftId: string): Promise<boolean> {
  const draft = await getDraft(draftId)
  if (!draft || draft.state !== 'draft') return false
  const result = await LibraryDraftModel.updateOne({ _id: new Types.ObjectId(draft.id), state: 'draft', revision: draft.revision }, { $set: { state: 'discarded' }, $inc: { revision: 1 } })
  if (result.modifiedCount === 0) return false
  await recordAudit({ actor: auditUser(actor), action: 'library.draft-discard', subject: { kind: 'library-draft', id: draft.id }, details: { questionnaire: draft.questionnaireId, version: draft.version } })
  return true
}

/** Reads every version published in the app into the catalog: at boot, after a publication, before an assessment pins versions. */
export async function refreshPublishedVersions(): Promise<void> {
  const versions = await LibraryVersionModel.find({}, { questionnaire: 1 }).lean()
  setPublishedVersions(versions.map((version) => version.questionnaire as Questionnaire))
}
