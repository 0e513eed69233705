import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import * as fontkit from 'fontkit'
import { isWide } from './line-break'

// Noto Sans SC (SIL Open Font License 1.1), installed from the npm registry as
// @expo-google-fonts/noto-sans-sc. It carries Latin as well as Chinese glyphs, so one family
// serves both languages. Loaded from node_modules at run time (never bundled) and parsed once
// per process; pdfkit embeds only the glyphs each report uses.
const FONT_PACKAGE = '@expo-google-fonts/noto-sans-sc'
const FILES = {
  regular: `${FONT_PACKAGE}/400Regular/NotoSansSC_400Regular.ttf`,
  bold: `${FONT_PACKAGE}/700Bold/NotoSansSC_700Bold.ttf`,
} as const

export type ReportFontName = keyof typeof FILES

interface LoadedFont {
  font: fontkit.Font
  unitsPerEm: number // fontkit re-reads it from the font's tables on every access
  glyphs: Map<number, Glyph> // code point → glyph, shared by every report
  narrowQuotes: Map<number, Glyph> // proportional forms of ‘ ’ “ ” for Latin text
}

export interface Glyph {
  id: number
  advanceWidth: number
  codePoints: number[]
  _decode(): unknown
}

interface FontWithCmap extends fontkit.Font {
  glyphForCodePoint(codePoint: number): Glyph
  layout(text: string, features?: string[]): { glyphs: Glyph[] }
}

// A Chinese font draws curly quotes full-width, which looks wrong in English ("customers’ data").
// Next to Latin text they take the font's proportional form (OpenType 'pwid'); next to Chinese
// they stay full-width. Opening quotes look at the character after them, closing ones at the
// one before, which the line breaker always keeps in the same piece of text.
const OPENING_QUOTES = new Set([0x2018, 0x201c])
const CLOSING_QUOTES = new Set([0x2019, 0x201d])

const require = createRequire(import.meta.url)
const loaded = new Map<ReportFontName, LoadedFont>()

export function fontPath(name: ReportFontName): string {
  return require.resolve(FILES[name])
}

function load(name: ReportFontName): LoadedFont {
  let entry = loaded.get(name)
  if (!entry) {
    const font = fontkit.create(readFileSync(fontPath(name)))
    entry = { font, unitsPerEm: font.unitsPerEm, glyphs: new Map(), narrowQuotes: new Map() }
    loaded.set(name, entry)
  }
  return entry
}

/** The parsed font, kept for the life of the process. */
export function reportFont(name: ReportFontName): fontkit.Font {
  return load(name).font
}

function glyphFor(entry: LoadedFont, codePoint: number): Glyph {
  let glyph = entry.glyphs.get(codePoint)
  if (!glyph) {
    glyph = (entry.font as FontWithCmap).glyphForCodePoint(codePoint)
    // fontkit decodes a glyph's outline each time a report's font subset includes it, only to
    // learn whether it is composite; the outline never changes, so decode it once per process.
    const decode = glyph._decode.bind(glyph)
    let decoded: unknown
    let done = false
    glyph._decode = () => {
      if (!done) {
        decoded = decode()
        done = true
      }
      return decoded
    }
    entry.glyphs.set(codePoint, glyph)
  }
  return glyph
}

function narrowQuote(entry: LoadedFont, codePoint: number): Glyph {
  let glyph = entry.narrowQuotes.get(codePoint)
  if (!glyph) {
    glyph = (entry.font as FontWithCmap).layout(String.fromCodePoint(codePoint), ['pwid']).glyphs[0] ?? glyphFor(entry, codePoint)
    entry.narrowQuotes.set(codePoint, glyph)
  }
  return glyph
}

/** Calls `visit` with each character's glyph (no shaping, see unshapedRun). */
function eachGlyph(name: ReportFontName, text: string, visit: (glyph: Glyph) => void) {
  const entry = load(name)
  let previous: number | undefined
  for (let index = 0; index < text.length; index += 1) {
    let codePoint = text.charCodeAt(index)
    if (codePoint >= 0xd800 && codePoint <= 0xdbff && index + 1 < text.length) {
      codePoint = text.codePointAt(index)!
      index += 1
    }
    if (codePoint >= 0x2018 && codePoint <= 0x201d && (OPENING_QUOTES.has(codePoint) || CLOSING_QUOTES.has(codePoint))) {
      const neighbour = OPENING_QUOTES.has(codePoint) ? text.codePointAt(index + 1) : previous
      visit(neighbour === undefined || !isWide(neighbour) ? narrowQuote(entry, codePoint) : glyphFor(entry, codePoint))
    } else {
      visit(glyphFor(entry, codePoint))
    }
    previous = codePoint
  }
}

export function glyphsOf(name: ReportFontName, text: string): Glyph[] {
  const glyphs: Glyph[] = []
  eachGlyph(name, text, (glyph) => glyphs.push(glyph))
  return glyphs
}

/** Width of a string in em units (1 = the font size): the sum of its characters' advances. */
export function emWidth(name: ReportFontName, text: string): number {
  let width = 0
  eachGlyph(name, text, (glyph) => (width += glyph.advanceWidth))
  return width / load(name).unitsPerEm
}

/**
 * A glyph run without OpenType shaping: one glyph per character at its advance width. Chinese
 * and Latin text need no contextual shaping, and skipping it makes drawing several times faster
 * and makes the width the line breaker measures exactly the width pdfkit draws. `scale` is
 * pdfkit's units per font unit.
 */
export function unshapedRun(name: ReportFontName, text: string, scale: number) {
  const glyphs: Glyph[] = []
  const positions: { xAdvance: number; yAdvance: number; xOffset: number; yOffset: number; advanceWidth: number }[] = []
  let advanceWidth = 0
  for (const glyph of glyphsOf(name, text)) {
    const advance = glyph.advanceWidth * scale
    glyphs.push(glyph)
    positions.push({ xAdvance: advance, yAdvance: 0, xOffset: 0, yOffset: 0, advanceWidth: advance })
    advanceWidth += advance
  }
  return { glyphs, positions, advanceWidth }
}
