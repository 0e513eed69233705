// Google's open VSAQ questionnaire format (github.com/google/vsaq) to draft questionnaire content.
// Pure: the caller decodes the bytes; checking the result against the meta-schema and the library
// is checkDraft's job, which finds each problem's item through `placeOf`.
//   blocks → sections (nested blocks flattened, each run of questions its own section);
//   line → short text, box → long text, yesno / check → yes/no single choice, radiogroup → single
//   choice, checkgroup → multiple choice, upload → a file question that always needs evidence;
//   info → guidance (the next question's help, or its text when the question has none);
//   tip → a suggestion for the reviewer (which answers should bear on a clause);
//   cond → the visibility rule (vsaq-cond.ts), or a problem naming the item.
// VSAQ is English only: each text is put in both languages for a translator to replace
// (docs/decisions/031).
import type { DraftSuggestion } from '../drafts.server'
import type { LocalizedText } from '../content-schema'
import { formatPath } from '../validate'
import type { ImportProblem } from './located'
import { namesIn, parseCondition, toShowWhen, type ConditionTarget } from './vsaq-cond'

export interface VsaqFile {
  name: string
  text: string
}

export interface VsaqTarget {
  id: string
  kind: 'baseline' | 'supplement'
  title?: LocalizedText
  description?: LocalizedText
  proposedFor?: string[]
}

export type VsaqRead =
  | { ok: true; content: Record<string, unknown>; suggestions: DraftSuggestion[]; placeOf: (path: readonly (string | number)[]) => ImportProblem['place'] }
  | { ok: false; problems: ImportProblem[] }

export const VSAQ_LIMITS = { maxItems: 5_000, maxDepth: 12 }

const QUESTION_TYPES = new Set(['line', 'box', 'yesno', 'check', 'radiogroup', 'checkgroup', 'upload'])
const KNOWN_TYPES = new Set([...QUESTION_TYPES, 'block', 'info', 'tip', 'spacer'])

type JsonItem = Record<string, unknown>

/** The leading `//` licence lines of the shipped files are not JSON. */
export function stripLicence(text: string): string {
  const lines = text.replace(/^\uFEFF/, '').split('\n')
  let first = 0
  while (first < lines.length && (lines[first]!.trim() === '' || lines[first]!.trim().startsWith('//'))) first++
  return lines.slice(first).join('\n')
}

/**
 * The shipped files also split long texts as `"…" +\n "…"` (VSAQ loads them as JavaScript): the
 * pieces are joined. Only a `+` between two strings is touched, so other JSON errors stay errors.
 */
export function joinConcatenatedStrings(text: string): string {
  let out = ''
  let inString = false
  for (let index = 0; index < text.length; index++) {
    const char = text[index]!
    if (inString && char === '\\') {
      out += char + (text[index + 1] ?? '')
      index++
    } else if (char === '"') {
      if (inString) {
        const join = /^"\s*\+\s*"/.exec(text.slice(index, index + 200))
        if (join) {
          index += join[0].length - 1 // stay inside the string
          continue
        }
      }
      inString = !inString
      out += char
    } else {
      out += char
    }
  }
  return out
}

const plain = (html: unknown) =>
  typeof html === 'string'
    ? html
        .replace(/<[^>]*>/g, '')
        .replace(/&nbsp;/g, ' ')
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&quot;/g, '"')
        .replace(/&#39;/g, "'")
        .replace(/&amp;/g, '&')
        .replace(/\s+/g, ' ')
        .trim()
    : ''
const english = (text: string): LocalizedText => ({ 'zh-CN': text, en: text })
const isObject = (value: unknown): value is JsonItem => typeof value === 'object' && value !== null && !Array.isArray(value)
const idOf = (item: JsonItem) => (typeof item.id === 'string' && item.id !== '' ? item.id : undefined)

/** Choices as VSAQ writes them: a list of one-key objects `{choiceId: label}`. */
function choicesOf(item: JsonItem): [string, string][] | undefined {
  if (!Array.isArray(item.choices)) return undefined
  const choices: [string, string][] = []
  for (const choice of item.choices) {
    if (!isObject(choice) || Object.keys(choice).length !== 1) return undefined
    const [[id, label]] = Object.entries(choice) as [[string, unknown]]
    if (id === '' || typeof label !== 'string') return undefined
    choices.push([id, label])
  }
  return choices
}

/** Reads a base file and any extension files into questionnaire content for the target id. */
export function readVsaq(files: VsaqFile[], target: VsaqTarget): VsaqRead {
  const problems: ImportProblem[] = []
  const fail = (label: string | undefined, code: string, params?: Record<string, string | number>): VsaqRead => ({
    ok: false,
    problems: [{ place: label ? { item: label } : undefined, code, params }],
  })

  // 1. Parse every file; one holds `questionnaire`, the others `extensions`.
  let base: { file: string; items: unknown[] } | undefined
  const extensions: { file: string; namespace?: string; items: unknown[] }[] = []
  for (const file of files) {
    let root: unknown
    try {
      root = JSON.parse(joinConcatenatedStrings(stripLicence(file.text)))
    } catch (error) {
      return fail(file.name, 'jsonSyntax', { detail: (error as Error).message.slice(0, 200) })
    }
    if (isObject(root) && Array.isArray(root.questionnaire)) {
      if (base) return fail(file.name, 'twoBases', { first: base.file })
      base = { file: file.name, items: root.questionnaire }
    } else if (isObject(root) && Array.isArray(root.extensions)) {
      const namespace = typeof root.namespace === 'string' && root.namespace !== '' ? root.namespace : undefined
      extensions.push({ file: file.name, namespace, items: root.extensions })
    } else {
      return fail(file.name, 'notVsaq')
    }
  }
  if (!base) return fail(files[0]?.name, 'noBase')

  // 2. Label every item (for messages) and check its shape before anything is moved.
  const labels = new WeakMap<JsonItem, string>()
  let count = 0
  const label = (item: JsonItem) => labels.get(item) ?? '?'
  const check = (items: unknown[], file: string, path: (string | number)[], depth: number): VsaqRead | undefined => {
    for (const [index, item] of items.entries()) {
      const at = [...path, index]
      if (++count > VSAQ_LIMITS.maxItems) return fail(file, 'tooManyItems', { limit: VSAQ_LIMITS.maxItems })
      if (!isObject(item)) return fail(`${file}: ${formatPath(at)}`, 'notAnItem')
      labels.set(item, idOf(item) ?? `${file}: ${formatPath(at)}`)
      if (typeof item.type !== 'string' || !KNOWN_TYPES.has(item.type)) return fail(label(item), 'unknownType', { type: String(item.type ?? '') })
      if (item.cond !== undefined && typeof item.cond !== 'string') return fail(label(item), 'condSyntax', { at: 1 })
      if (item.type === 'block') {
        if (!Array.isArray(item.items)) return fail(label(item), 'blockWithoutItems')
        if (depth >= VSAQ_LIMITS.maxDepth) return fail(label(item), 'tooDeep', { limit: VSAQ_LIMITS.maxDepth })
        const inner = check(item.items, file, [...at, 'items'], depth + 1)
        if (inner) return inner
      }
      if ((item.type === 'radiogroup' || item.type === 'checkgroup') && !choicesOf(item)?.length) return fail(label(item), 'badChoices')
    }
    return undefined
  }
  const baseProblem = check(base.items, base.file, ['questionnaire'], 0)
  if (baseProblem) return baseProblem
  for (const extension of extensions) {
    const problem = check(extension.items, extension.file, ['extensions'], 0)
    if (problem) return problem
  }

  // 3. Extensions: namespace their ids (and choice ids) as VSAQ does ("ns:id"), then insert each
  // after (or before) the item it names. Conditions are left as written, as VSAQ leaves them.
  const tree = structuredClone(base.items) as JsonItem[]
  relabel(base.items as JsonItem[], tree, labels)
  for (const extension of extensions) {
    for (const entry of extension.items as JsonItem[]) {
      if (extension.namespace) namespaceIds(entry, extension.namespace, labels)
      const after = typeof entry.insertAfter === 'string' ? entry.insertAfter : undefined
      const before = typeof entry.insertBefore === 'string' ? entry.insertBefore : undefined
      if (Boolean(after) === Boolean(before)) return fail(label(entry), 'insertPlace')
      const { insertAfter: _after, insertBefore: _before, ...item } = entry
      labels.set(item, label(entry))
      if (!insertInto(tree, item, (after ?? before)!, Boolean(after))) return fail(label(entry), 'insertTargetMissing', { id: (after ?? before)! })
    }
  }

  // 4. Every id (items and choices) is unique: conditions name them.
  const seen = new Set<string>()
  const ids = (items: JsonItem[]): VsaqRead | undefined => {
    for (const item of items) {
      const own = [idOf(item), ...(choicesOf(item) ?? []).map(([id]) => id)].filter((id): id is string => id !== undefined)
      for (const id of own) {
        if (seen.has(id)) return fail(label(item), 'duplicateId', { id })
        seen.add(id)
      }
      if (item.type === 'block') {
        const inner = ids(item.items as JsonItem[])
        if (inner) return inner
      }
    }
    return undefined
  }
  const duplicate = ids(tree)
  if (duplicate) return duplicate

  return build(tree, target, label, problems)
}

function relabel(original: JsonItem[], copy: JsonItem[], labels: WeakMap<JsonItem, string>) {
  original.forEach((item, index) => {
    const twin = copy[index]!
    labels.set(twin, labels.get(item) ?? '?')
    if (Array.isArray(item.items)) relabel(item.items as JsonItem[], twin.items as JsonItem[], labels)
  })
}

function namespaceIds(item: JsonItem, namespace: string, labels: WeakMap<JsonItem, string>) {
  if (idOf(item)) {
    item.id = `${namespace}:${String(item.id)}`
    labels.set(item, String(item.id))
  }
  if (Array.isArray(item.choices)) item.choices = (choicesOf(item) ?? []).map(([id, text]) => ({ [`${namespace}:${id}`]: text }))
  if (Array.isArray(item.items)) for (const inner of item.items as JsonItem[]) namespaceIds(inner, namespace, labels)
}

function insertInto(items: JsonItem[], item: JsonItem, targetId: string, after: boolean): boolean {
  for (const [index, candidate] of items.entries()) {
    if (candidate.id === targetId) {
      items.splice(after ? index + 1 : index, 0, item)
      return true
    }
    if (Array.isArray(candidate.items) && insertInto(candidate.items as JsonItem[], item, targetId, after)) return true
  }
  return false
}

const upperId = (text: string) => text.toUpperCase().replace(/[^A-Z0-9]+/g, '-').replace(/^-+|-+$/g, '')
const lowerId = (text: string, separator: '-' | '_') =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, separator)
    .replace(separator === '-' ? /^-+|-+$/g : /^_+|_+$/g, '')

interface BuiltQuestion extends Record<string, unknown> {
  id: string
}
/** A condition in force: the item's own, or a block's (`block` is the block that carries it). */
type Scope = { cond: string; label: string; block?: JsonItem }
interface PendingCondition {
  question: BuiltQuestion
  scopes: Scope[] // outermost first; the last one is the question's rule
  label: string
}

function build(tree: JsonItem[], target: VsaqTarget, label: (item: JsonItem) => string, problems: ImportProblem[]): VsaqRead {
  const prefix = upperId(target.id)
  type BuiltSection = { id: string; title: LocalizedText; description?: LocalizedText; questions: BuiltQuestion[] }
  const sections: BuiltSection[] = []
  const places = new Map<string, string>() // content path → item label
  const targets = new Map<string, ConditionTarget>() // VSAQ id → what it stands for
  const conditions: PendingCondition[] = []
  const tips: { item: JsonItem; cond?: string }[] = []
  const sectionIds = new Set<string>()
  let itemNumber = 0

  const newSection = (block: JsonItem | undefined, title: string) => {
    const base = (block && idOf(block) && lowerId(idOf(block)!, '-').replace(/^[^a-z]+/, '')) || `section-${sections.length + 1}`
    let id = base
    for (let n = 2; sectionIds.has(id); n++) id = `${base}-${n}`
    sectionIds.add(id)
    const section: BuiltSection = { id, title: english(title || target.id), questions: [] }
    if (block) places.set(formatPath(['sections', sections.length]), label(block))
    sections.push(section)
    return section
  }

  const blocksAround = new Map<string, Set<JsonItem>>() // question id → the blocks it is in
  const walk = (items: JsonItem[], block: JsonItem | undefined, title: string, inherited: Scope[], around: JsonItem[]) => {
    let section: ReturnType<typeof newSection> | undefined
    let guidance: string[] = []
    for (const item of items) {
      itemNumber++
      const type = String(item.type)
      const own: Scope[] = typeof item.cond === 'string' && item.cond.trim() !== '' ? [{ cond: item.cond, label: label(item), ...(item.type === 'block' ? { block: item } : {}) }] : []
      const scopes = [...inherited, ...own]
      if (type === 'block') {
        if (section && guidance.length) section.description = english(guidance.join(' '))
        section = undefined
        guidance = []
        walk(item.items as JsonItem[], item, plain(item.text), scopes, [...around, item])
      } else if (type === 'info') {
        guidance.push(plain(item.text))
      } else if (type === 'tip') {
        // A tip is about the answers its own condition names; the block's only hides it.
        tips.push({ item, cond: (own[0] ?? inherited[inherited.length - 1])?.cond })
      } else if (QUESTION_TYPES.has(type)) {
        section ??= newSection(block, title)
        const ownText = plain(item.text)
        const text = ownText || guidance.join(' ')
        const help = ownText && guidance.length ? guidance.join(' ') : undefined
        guidance = []
        if (!text) problems.push({ place: { item: label(item) }, code: 'missingText', params: { type } })
        const vsaqId = idOf(item)
        const question: BuiltQuestion = {
          id: `${prefix}-${(vsaqId && upperId(vsaqId)) || `ITEM-${itemNumber}`}`,
          kind: 'short_text',
          required: item.required === true,
          text: english(text || '?'),
          ...(help ? { help: english(help) } : {}),
        }
        describeAnswers(item, type, question, vsaqId, targets)
        places.set(formatPath(['sections', sections.indexOf(section), 'questions', section.questions.length]), label(item))
        section.questions.push(question)
        blocksAround.set(question.id, new Set(around))
        if (scopes.length > 0) conditions.push({ question, scopes, label: label(item) })
      }
    }
    if (section && guidance.length) section.description = english(guidance.join(' '))
  }
  walk(tree, undefined, target.title?.en ?? '', [], [])

  // Conditions, once every id is known (VSAQ allows naming a later item; the validator then says so).
  // One rule per question. A condition inside a conditional block is still one rule when it names
  // only questions of that block: they are visible only when the block's condition holds, and
  // visibility follows a chain of rules (scoring/visibility.ts), so the block's rule is implied.
  for (const { question, scopes, label: itemLabel } of conditions) {
    const rule = scopes[scopes.length - 1]!
    const where = rule.block ? rule.label : itemLabel
    const parsed = parseCondition(rule.cond)
    if (!parsed.ok) {
      problems.push({ place: { item: where }, code: parsed.error.code, params: { ...parsed.error.params, cond: rule.cond } })
      continue
    }
    const outer = scopes[scopes.length - 2]?.block
    if (outer) {
      const named = namesIn(parsed.condition).map((name) => targets.get(name)?.questionId)
      if (named.some((id) => id === undefined || !blocksAround.get(id)?.has(outer))) {
        if (named.every((id) => id !== undefined)) {
          problems.push({ place: { item: where }, code: 'condAndBlock', params: { block: scopes[scopes.length - 2]!.label } })
          continue
        }
      }
    }
    const visibility = toShowWhen(parsed.condition, (name) => targets.get(name))
    if (!visibility.ok) problems.push({ place: { item: where }, code: visibility.error.code, params: { ...visibility.error.params, cond: rule.cond } })
    else question.showWhen = visibility.showWhen
  }
  const suggestions: DraftSuggestion[] = []
  for (const { item, cond } of tips) {
    const text = [typeof item.severity === 'string' && item.severity ? `[${item.severity}]` : '', typeof item.name === 'string' ? `${plain(item.name)}:` : '', plain(item.text)].filter(Boolean).join(' ')
    const suggestion: DraftSuggestion = { optionIds: [], sourceId: idOf(item), text: text.slice(0, 2000) }
    if (cond) {
      const parsed = parseCondition(cond)
      if (!parsed.ok) {
        problems.push({ place: { item: label(item) }, code: parsed.error.code, params: { ...parsed.error.params, cond } })
        continue
      }
      const visibility = toShowWhen(parsed.condition, (name) => targets.get(name))
      if (!visibility.ok && visibility.error.code === 'condUnknownId') {
        problems.push({ place: { item: label(item) }, code: 'condUnknownId', params: { ...visibility.error.params, cond } })
        continue
      }
      // A tip on answers no single rule can name stays a suggestion without a question.
      if (visibility.ok) Object.assign(suggestion, { questionId: visibility.showWhen.question, optionIds: visibility.showWhen.anyOf })
    }
    suggestions.push(suggestion)
  }
  if (problems.length > 0) return { ok: false, problems: unique(problems) }
  if (sections.length === 0) return { ok: false, problems: [{ code: 'noQuestions' }] }

  const title = target.title ?? english(plain(tree.find((item) => item.type === 'block')?.text) || target.id)
  const content = {
    id: target.id,
    version: 1, // replaced by the next version when checked
    kind: target.kind,
    title,
    description: target.description ?? english(`Imported from VSAQ: ${title.en}`),
    publishedAt: new Date().toISOString().slice(0, 10),
    proposedFor: target.proposedFor ?? [],
    sections,
  }
  const placeOf = (path: readonly (string | number)[]): ImportProblem['place'] => {
    for (let length = path.length; length >= 0; length--) {
      const place = places.get(formatPath(path.slice(0, length)))
      if (place) return { item: place }
    }
    return undefined
  }
  return { ok: true, content, suggestions, placeOf }
}

/** A block's broken condition is found once per question in it; report it once. */
function unique(problems: ImportProblem[]): ImportProblem[] {
  const seen = new Set<string>()
  return problems.filter((problem) => {
    const key = JSON.stringify(problem)
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

const YES_NO = [
  { id: 'yes', label: { 'zh-CN': '是', en: 'Yes' } },
  { id: 'no', label: { 'zh-CN': '否', en: 'No' } },
]

/** The question's kind and options, and what its VSAQ ids stand for in conditions. */
function describeAnswers(item: JsonItem, type: string, question: BuiltQuestion, vsaqId: string | undefined, targets: Map<string, ConditionTarget>) {
  const notChoice: ConditionTarget = { questionId: question.id }
  if (type === 'line' || type === 'box' || type === 'upload') {
    question.kind = type === 'line' ? 'short_text' : type === 'box' ? 'long_text' : 'file'
    if (type === 'upload') question.evidence = { requiredWhen: 'always' }
    if (vsaqId) targets.set(vsaqId, notChoice)
    return
  }
  if (type === 'yesno' || type === 'check') {
    question.kind = 'single_choice'
    // A custom label is English only; the usual "Yes" / "No" keep their translation.
    const custom = (value: unknown, fallback: LocalizedText) => {
      const text = plain(value)
      return text && text.toLowerCase() !== fallback.en.toLowerCase() ? english(text) : fallback
    }
    question.options = [
      { id: 'yes', label: custom(item.yes, YES_NO[0]!.label), clauses: [] },
      { id: 'no', label: custom(item.no, YES_NO[1]!.label), clauses: [] },
    ]
    if (vsaqId) targets.set(vsaqId, { questionId: question.id, optionFor: (answer) => answer ?? 'yes', singleChoiceOptions: ['yes', 'no'] })
    return
  }
  // radiogroup / checkgroup: each choice has its own VSAQ id, which conditions name.
  const choices = choicesOf(item) ?? []
  const groupPrefix = vsaqId ? `${vsaqId}_` : undefined
  const optionIds = new Set<string>()
  const options = choices.map(([choiceId, text]) => {
    const short = groupPrefix && choiceId.startsWith(groupPrefix) ? lowerId(choiceId.slice(groupPrefix.length), '_') : ''
    let id = short && !optionIds.has(short) ? short : lowerId(choiceId, '_') || `option_${optionIds.size + 1}`
    for (let n = 2; optionIds.has(id); n++) id = `${lowerId(choiceId, '_')}_${n}`
    optionIds.add(id)
    return { choiceId, option: { id, label: english(plain(text) || choiceId), clauses: [] } }
  })
  question.kind = type === 'radiogroup' ? 'single_choice' : 'multi_choice'
  question.options = options.map((entry) => entry.option)
  const all = options.map((entry) => entry.option.id)
  for (const { choiceId, option } of options) {
    targets.set(choiceId, {
      questionId: question.id,
      optionFor: (answer) => (answer ? undefined : option.id),
      ...(type === 'radiogroup' ? { singleChoiceOptions: all } : {}),
    })
  }
  if (vsaqId) targets.set(vsaqId, notChoice)
}
