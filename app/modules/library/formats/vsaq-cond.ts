// VSAQ's `cond` expressions: a small hand-written parser and the translation of a parsed
// condition into our visibility rule (`showWhen`: one earlier choice question whose answer
// includes one of some options). Pure.
//
// Grammar (usual precedence, `!` over `&&` over `||`):
//   or   := and ('||' and)*
//   and  := not ('&&' not)*
//   not  := '!' not | '(' or ')' | ref
//   ref  := name ('/yes' | '/no')?
// VSAQ's own evaluator folds `&&`/`||` left to right without precedence, so an expression mixing
// both without parentheses would mean different things to VSAQ and to a reader: it is refused.
// Also refused: VSAQ's visibility operator `^x`, `x/value`, string literals, `matches(…)` and
// `contains(…)` — nothing a choice answer can express.

export type Condition =
  | { kind: 'ref'; name: string; answer?: 'yes' | 'no' }
  | { kind: 'not'; operand: Condition }
  | { kind: 'and' | 'or'; operands: Condition[] }

export type ConditionError =
  | { code: 'condSyntax'; params: { at: number } } // at: 1-based character position
  | { code: 'condUnsupported'; params: { construct: string } }
  | { code: 'condMixed'; params: Record<string, never> }

export type ParsedCondition = { ok: true; condition: Condition } | { ok: false; error: ConditionError }

type Token = { type: 'name' | '!' | '&&' | '||' | '(' | ')'; text: string; at: number }

const NAME = /[A-Za-z0-9_.:-]/

function tokenize(source: string): Token[] | ConditionError {
  const tokens: Token[] = []
  let index = 0
  while (index < source.length) {
    const char = source[index]!
    const at = index + 1
    if (char === ' ' || char === '\t' || char === '\n' || char === '\r') {
      index++
    } else if (char === '&' || char === '|') {
      if (source[index + 1] !== char) return { code: 'condSyntax', params: { at } }
      tokens.push({ type: char === '&' ? '&&' : '||', text: char + char, at })
      index += 2
    } else if (char === '!' || char === '(' || char === ')') {
      tokens.push({ type: char, text: char, at })
      index++
    } else if (char === '^') {
      return { code: 'condUnsupported', params: { construct: '^' } }
    } else if (char === '"' || char === ',') {
      return { code: 'condUnsupported', params: { construct: char === '"' ? '"…"' : ',' } }
    } else if (NAME.test(char)) {
      let end = index
      while (end < source.length && (NAME.test(source[end]!) || source[end] === '/')) end++
      tokens.push({ type: 'name', text: source.slice(index, end), at })
      index = end
    } else {
      return { code: 'condSyntax', params: { at } }
    }
  }
  return tokens
}

/** Parses a `cond` string; an empty one is an error (VSAQ treats it as "always", which needs no cond). */
export function parseCondition(source: string): ParsedCondition {
  const tokens = tokenize(source)
  if (!Array.isArray(tokens)) return { ok: false, error: tokens }
  let position = 0
  const end = source.length + 1
  const peek = () => tokens[position]
  class Failure {
    constructor(readonly error: ConditionError) {}
  }
  const fail = (error: ConditionError): never => {
    throw new Failure(error)
  }
  const syntaxAt = (token: Token | undefined) => fail({ code: 'condSyntax', params: { at: token?.at ?? end } })

  function binary(type: '&&' | '||', operand: () => Condition): Condition {
    const operands = [operand()]
    while (peek()?.type === type) {
      position++
      operands.push(operand())
    }
    return operands.length === 1 ? operands[0]! : { kind: type === '&&' ? 'and' : 'or', operands }
  }
  const or = (): Condition => binary('||', and)
  const and = (): Condition => binary('&&', not)
  function not(): Condition {
    const token = peek()
    if (!token) return syntaxAt(token)
    if (token.type === '!') {
      position++
      return { kind: 'not', operand: not() }
    }
    if (token.type === '(') {
      position++
      const inner = or()
      if (peek()?.type !== ')') return syntaxAt(peek())
      position++
      return inner
    }
    if (token.type === 'name') {
      position++
      if (peek()?.type === '(') fail({ code: 'condUnsupported', params: { construct: `${token.text}(…)` } })
      return reference(token)
    }
    return syntaxAt(token)
  }
  function reference(token: Token): Condition {
    const [name, suffix, ...rest] = token.text.split('/')
    if (!name || rest.length > 0) return syntaxAt(token)
    if (suffix === undefined) return name === 'false' || name === 'true' ? fail({ code: 'condUnsupported', params: { construct: name } }) : { kind: 'ref', name }
    if (suffix === 'yes' || suffix === 'no') return { kind: 'ref', name, answer: suffix }
    return fail({ code: 'condUnsupported', params: { construct: `/${suffix}` } })
  }

  try {
    if (tokens.length === 0) return syntaxAt(undefined)
    if (mixesOperators(tokens)) return { ok: false, error: { code: 'condMixed', params: {} } }
    const condition = or()
    if (position < tokens.length) return syntaxAt(peek())
    return { ok: true, condition }
  } catch (error) {
    if (error instanceof Failure) return { ok: false, error: error.error }
    throw error
  }
}

/** `a && b || c` (either order) at one level of parentheses: VSAQ and a reader disagree on it. */
function mixesOperators(tokens: readonly Token[]): boolean {
  const levels: Set<string>[] = [new Set()]
  for (const token of tokens) {
    if (token.type === '(') levels.push(new Set())
    else if (token.type === ')') {
      if (levels.length > 1) levels.pop()
    } else if (token.type === '&&' || token.type === '||') {
      const level = levels[levels.length - 1]!
      level.add(token.type)
      if (level.size > 1) return true
    }
  }
  return false
}

/** What a VSAQ id stands for in a condition: an option of one of our questions. */
export interface ConditionTarget {
  questionId: string
  /** The option chosen when the VSAQ id holds (a yes/no item: yes, or no with `/no`); absent for a text answer. */
  optionFor?: (answer?: 'yes' | 'no') => string | undefined
  /** Every option of the question, for negation; absent for a multiple choice (no single complement). */
  singleChoiceOptions?: readonly string[]
}

export type ShowWhen = { question: string; anyOf: string[] }

export type VisibilityError =
  | { code: 'condUnknownId'; params: { id: string } }
  | { code: 'condTwoQuestions'; params: { first: string; second: string } }
  | { code: 'condAnd'; params: Record<string, never> }
  | { code: 'condNegation'; params: { id: string } }
  | { code: 'condUnsupported'; params: { construct: string } }
  | { code: 'condNotChoice'; params: { id: string } }

/**
 * The condition as a visibility rule: a reference, or a disjunction of references to options of
 * one question, or the negation of one single-choice option (its other options). A conjunction,
 * or references to two questions, cannot be expressed by one rule and is refused.
 */
export function toShowWhen(condition: Condition, resolve: (name: string) => ConditionTarget | undefined): { ok: true; showWhen: ShowWhen } | { ok: false; error: VisibilityError } {
  const options = new Map<string, Set<string>>() // question → options
  const collect = (part: Condition): VisibilityError | undefined => {
    if (part.kind === 'and') return { code: 'condAnd', params: {} }
    if (part.kind === 'or') {
      for (const operand of part.operands) {
        const error = collect(operand)
        if (error) return error
      }
      return undefined
    }
    const negated = part.kind === 'not'
    const ref = negated ? part.operand : part
    if (ref.kind !== 'ref') return { code: 'condUnsupported', params: { construct: '!(…)' } }
    const target = resolve(ref.name)
    if (!target) return { code: 'condUnknownId', params: { id: ref.name } }
    if (!target.optionFor) return { code: 'condNotChoice', params: { id: ref.name } }
    const option = target.optionFor(ref.answer)
    if (!option) return { code: 'condUnsupported', params: { construct: `${ref.name}/${ref.answer ?? ''}` } }
    let chosen = [option]
    if (negated) {
      if (!target.singleChoiceOptions) return { code: 'condNegation', params: { id: ref.name } }
      chosen = target.singleChoiceOptions.filter((other) => other !== option)
    }
    const first = options.keys().next().value
    if (first !== undefined && first !== target.questionId) return { code: 'condTwoQuestions', params: { first, second: target.questionId } }
    const set = options.get(target.questionId) ?? new Set<string>()
    for (const id of chosen) set.add(id)
    options.set(target.questionId, set)
    return undefined
  }
  const error = collect(condition)
  if (error) return { ok: false, error }
  const [question, anyOf] = [...options.entries()][0]!
  return { ok: true, showWhen: { question, anyOf: [...anyOf] } }
}

/** Every VSAQ id a condition names (for checking them all before translating). */
export function namesIn(condition: Condition): string[] {
  if (condition.kind === 'ref') return [condition.name]
  if (condition.kind === 'not') return namesIn(condition.operand)
  return condition.operands.flatMap(namesIn)
}
