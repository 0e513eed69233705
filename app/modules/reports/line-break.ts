// Line breaking for report text in Chinese and English. Pure: the caller measures.
// Latin words break at spaces; Chinese may break between any two characters, except that closing
// punctuation never starts a line and opening punctuation never ends one. A word wider than the
// line (a long URL, a hash) is broken between characters.

export type Measure = (text: string) => number

// CJK ideographs, kana, Hangul, CJK symbols and punctuation, full-width forms (by UTF-16 unit:
// these ranges are all in the Basic Multilingual Plane; a surrogate pair counts as Latin).
function isWideUnit(code: number): boolean {
  return (
    (code >= 0x2e80 && code <= 0x303f) ||
    (code >= 0x3040 && code <= 0x9fff) ||
    (code >= 0x1100 && code <= 0x11ff) ||
    (code >= 0xa960 && code <= 0xa97f) ||
    (code >= 0xac00 && code <= 0xd7ff) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xfe30 && code <= 0xfe4f) ||
    (code >= 0xff00 && code <= 0xffef)
  )
}
const WIDE = { test: (char: string) => isWideUnit(char.charCodeAt(0)) }
const setOf = (chars: string) => new Set(Array.from(chars, (char) => char.charCodeAt(0)))
// Must not begin a line (attached to what precedes them).
const NO_START_SET = setOf('，。、；：？！）」』】》〉〕”’…·,.;:!?)]}%')
const NO_START = { test: (char: string) => NO_START_SET.has(char.charCodeAt(0)) }
// Must not end a line (attached to what follows them).
const NO_END_SET = setOf('（「『【《〈〔“‘([{')
const NO_END = { test: (char: string) => NO_END_SET.has(char.charCodeAt(0)) }

/** Whether a code point is a wide (CJK) character. */
export function isWide(codePoint: number): boolean {
  return codePoint <= 0xffff && isWideUnit(codePoint)
}

/** Splits a paragraph into unbreakable pieces; a piece may carry trailing spaces. */
export function tokenize(paragraph: string): string[] {
  const tokens: string[] = []
  let current = ''
  let opening = ''
  const push = () => {
    if (current) tokens.push(current)
    current = ''
  }
  for (const char of paragraph) {
    if (NO_START.test(char) && opening) {
      current = opening + current + char // "（，": keep the order, however odd
      opening = ''
      continue
    }
    if (NO_START.test(char) && (current || tokens.length)) {
      // Closing punctuation sticks to the piece before it.
      if (current) current += char
      else tokens[tokens.length - 1] += char
      continue
    }
    if (NO_END.test(char)) {
      if (current && !/\s$/.test(current) && !WIDE.test(current.at(-1) ?? '')) {
        current += char // e.g. "f(x" inside a Latin word
      } else {
        push()
        opening += char
      }
      continue
    }
    if (char === ' ' || char === '\t') {
      current = opening + current + ' '
      opening = ''
      push()
      continue
    }
    if (WIDE.test(char)) {
      push()
      current = opening + char
      opening = ''
      push()
      continue
    }
    // A Latin letter or digit: join the current word unless the current piece is a wide character.
    if (current && WIDE.test(current.at(-1) ?? '')) push()
    current = opening + current + char
    opening = ''
  }
  current = opening + current
  push()
  // Spaces that follow a space-terminated piece belong to it.
  return tokens.reduce<string[]>((merged, token) => {
    if (/^\s+$/.test(token) && merged.length) merged[merged.length - 1] += token
    else merged.push(token)
    return merged
  }, [])
}

/** Greedy line filling; `firstWidth` lets the first line leave room for a label. */
export function breakLines(text: string, width: number, measure: Measure, firstWidth = width): string[] {
  const lines: string[] = []
  const paragraphs = text.replace(/\r\n?/g, '\n').split('\n')
  // Trailing blank lines add nothing to a report.
  while (paragraphs.length > 1 && paragraphs.at(-1)!.trim() === '') paragraphs.pop()
  if (paragraphs.length === 1 && paragraphs[0]!.trim() === '') return []
  for (const paragraph of paragraphs) {
    let line = ''
    let lineWidth = 0
    const limit = () => (lines.length === 0 ? firstWidth : width)
    const flush = () => {
      lines.push(line.trimEnd())
      line = ''
      lineWidth = 0
    }
    for (const token of tokenize(paragraph)) {
      const visible = token.trimEnd()
      const visibleWidth = measure(visible)
      const tokenWidth = visible.length === token.length ? visibleWidth : visibleWidth + measure(token.slice(visible.length))
      if (lineWidth + visibleWidth <= limit() + 0.01) {
        line += token
        lineWidth += tokenWidth
        continue
      }
      if (line.trim()) flush()
      else line = ''
      if (visibleWidth <= limit() + 0.01) {
        line = token
        lineWidth = tokenWidth
        continue
      }
      // Wider than a whole line: break between characters.
      for (const char of token) {
        const charWidth = measure(char)
        if (lineWidth + charWidth > limit() + 0.01 && line.trim() && !NO_START.test(char)) flush()
        if (!line && char === ' ') continue
        line += char
        lineWidth += charWidth
      }
    }
    lines.push(line.trimEnd())
  }
  return lines
}
