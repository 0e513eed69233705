import PDFDocument from 'pdfkit'
import { emWidth, glyphsOf, reportFont, unshapedRun } from './fonts.server'
import { breakLines, type Measure } from './line-break'

// The page flow of a report: margins, a cursor, page breaks at line granularity, wrapped
// tables whose header repeats and whose rows split across pages line by line. Text is broken
// into lines here (not by pdfkit), so every line's page and box is known: they are recorded in
// `lines` and the tests check that none overlap and all stay inside the page.

export const A4 = { width: 595.28, height: 841.89 }
export const MARGIN = { top: 70, bottom: 64, left: 50, right: 50 }

export type FontName = 'regular' | 'bold'

export interface TextStyle {
  font?: FontName
  size?: number
  color?: string
}

export interface DrawnLine {
  page: number // 0-based
  x: number
  y: number
  width: number
  height: number
  text: string
  region: 'body' | 'header' | 'footer'
}

export interface Line {
  text: string
  style: Required<TextStyle>
  height: number // including `gap`
  gap: number // space above the text
  x: number // offset from the cell's or paragraph's left edge
  label?: { text: string; style: Required<TextStyle> } // drawn at the left edge, on the same line
}

export interface CellPart extends TextStyle {
  text: string
  gapBefore?: number
  label?: { text: string } & TextStyle // drawn before the first line, which is shortened to fit it
}

export interface Column {
  header: string
  width: number // share of the table's width; shares are normalised
  align?: 'left' | 'right'
}

export const COLORS = {
  ink: '#0f172a',
  text: '#1e293b',
  muted: '#64748b',
  faint: '#94a3b8',
  rule: '#cbd5e1',
  hairline: '#e2e8f0',
  stripe: '#f8fafc',
  headerFill: '#f1f5f9',
  accent: '#0369a1',
  accentSoft: '#e0f2fe',
  good: '#047857',
  warn: '#b45309',
  bad: '#b91c1c',
  neutral: '#64748b',
}

const DEFAULT_STYLE: Required<TextStyle> = { font: 'regular', size: 9.5, color: COLORS.text }
const CELL_PAD = { x: 5, y: 4 }
/** Rows up to this tall (points) are never split across pages. */
const KEEP_WHOLE_ROW = 140

export class Canvas {
  readonly doc: PDFKit.PDFDocument
  page = 0
  y = MARGIN.top
  readonly lines: DrawnLine[] = []
  private readonly lineFactor = new Map<FontName, number>()
  private currentFont: FontName | null = null
  private readonly embedded: Record<FontName, EmbeddedFont>
  // Subset glyph index of each glyph id, per font, for this document.
  private readonly subsetIds: Record<FontName, Map<number, number>> = { regular: new Map(), bold: new Map() }
  // Text lines are written as one text object per run of lines (see emitText); any other drawing
  // first closes the run, so what is painted keeps its order.
  private pendingText = ''
  private pendingFont = ''
  private pendingColor = ''
  private readonly writeContent: (data: string) => void

  constructor(doc: PDFKit.PDFDocument) {
    this.doc = doc
    const fontOf = (name: FontName) => {
      doc.font(name)
      // pdfkit internals, listed and justified in docs/decisions/042-pdf-engine.md.
      return (doc as unknown as PdfkitInternals)._font
    }
    this.embedded = { regular: fontOf('regular'), bold: fontOf('bold') }
    this.currentFont = 'bold'
    // pdfkit internals (decision 042): raw content for glyph runs pdfkit cannot draw itself.
    const internals = doc as unknown as { addContent: (data: string) => PDFKit.PDFDocument }
    const addContent = internals.addContent.bind(doc)
    this.writeContent = (data) => void addContent(data)
    internals.addContent = (data: string) => {
      this.flushText()
      return addContent(data)
    }
  }

  /** Closes the current run of text lines. Call before changing page and before ending the document. */
  flushText() {
    if (!this.pendingText) return
    const text = this.pendingText
    this.pendingText = ''
    this.pendingFont = ''
    this.pendingColor = ''
    // pdfkit flips the page's y axis; undo that for the text object, as its text() does. The
    // colour is set inside q…Q, so it never leaks into pdfkit's own drawing state.
    this.writeContent(`q 1 0 0 -1 0 ${num(A4.height)} cm BT\n${text}ET Q`)
  }

  get left() {
    return MARGIN.left
  }
  get width() {
    return A4.width - MARGIN.left - MARGIN.right
  }
  get bottom() {
    return A4.height - MARGIN.bottom
  }
  get remaining() {
    return this.bottom - this.y
  }

  addPage() {
    this.flushText()
    this.doc.addPage({ size: 'A4', margin: 0 })
    this.page += 1
    this.y = MARGIN.top
  }

  /** Goes back to a buffered page (for headers and footers). */
  switchToPage(index: number) {
    this.flushText()
    this.doc.switchToPage(index)
    this.page = index
  }

  /** Starts a new page unless `height` still fits on this one. Returns whether it did. */
  ensure(height: number): boolean {
    if (this.y + height <= this.bottom + 0.01) return false
    this.addPage()
    return true
  }

  style(style: TextStyle = {}): Required<TextStyle> {
    return { font: style.font ?? DEFAULT_STYLE.font, size: style.size ?? DEFAULT_STYLE.size, color: style.color ?? DEFAULT_STYLE.color }
  }

  private useFont(font: FontName) {
    if (this.currentFont !== font) {
      this.doc.font(font)
      this.currentFont = font
    }
  }

  /** Width of a string in points, computed exactly as pdfkit will draw it (see unshapedRun). */
  measure(text: string, style: Required<TextStyle>): number {
    return emWidth(style.font, text) * style.size
  }

  lineHeight(style: Required<TextStyle>): number {
    let factor = this.lineFactor.get(style.font)
    if (factor === undefined) {
      this.useFont(style.font)
      this.doc.fontSize(100)
      factor = this.doc.currentLineHeight(true) / 100
      this.lineFactor.set(style.font, factor)
    }
    return style.size * factor
  }

  /** Breaks text into lines no wider than `width`. */
  wrap(text: string, width: number, style: Required<TextStyle>, firstLineWidth = width): string[] {
    const measure: Measure = (piece) => this.measure(piece, style)
    return breakLines(text, width, measure, firstLineWidth)
  }

  /** Draws one line of text with its top at y, and records its box. */
  drawText(text: string, x: number, y: number, style: Required<TextStyle>, region: DrawnLine['region'] = 'body') {
    if (!text) return
    this.emitText(text, x, y, style)
    this.lines.push({ page: this.page, x, y, width: this.measure(text, style), height: this.lineHeight(style), text, region })
  }

  /**
   * Writes a line of text straight into the page's content, as pdfkit's text() would for
   * unshaped left-aligned text, without its per-call option handling and re-measuring (which
   * took a third of a report's time). Uses pdfkit's embedded-font internals: the font's subset
   * records the glyphs, widths and Unicode mapping for the embedded subset and ToUnicode map.
   */
  private emitText(text: string, x: number, y: number, style: Required<TextStyle>) {
    const font = this.embedded[style.font]
    const subsetIds = this.subsetIds[style.font]
    let hex = ''
    for (const glyph of glyphsOf(style.font, text)) {
      let gid = subsetIds.get(glyph.id)
      if (gid === undefined) {
        gid = font.subset.includeGlyph(glyph.id)
        subsetIds.set(glyph.id, gid)
        font.widths[gid] ??= glyph.advanceWidth * font.scale
        font.unicode[gid] ??= glyph.codePoints
      }
      hex += gid < 0x10 ? `000${gid.toString(16)}` : gid < 0x100 ? `00${gid.toString(16)}` : gid < 0x1000 ? `0${gid.toString(16)}` : gid.toString(16)
    }
    // pdfkit internals (decision 042).
    const page = (this.doc as unknown as PdfkitInternals).page
    page.fonts[font.id] ??= font.ref()
    const baseline = A4.height - y - (font.ascender / 1000) * style.size
    const fontOperator = `/${font.id} ${num(style.size)} Tf`
    const color = rgb(style.color)
    let operators = ''
    if (fontOperator !== this.pendingFont) operators += `${fontOperator} `
    if (color !== this.pendingColor) operators += `${color} rg `
    this.pendingFont = fontOperator
    this.pendingColor = color
    this.pendingText += `${operators}1 0 0 1 ${num(x)} ${num(baseline)} Tm <${hex}> Tj\n`
  }

  /** Lays out a sequence of styled parts into lines for a box of the given width. */
  layoutParts(parts: CellPart[], width: number): Line[] {
    const lines: Line[] = []
    for (const part of parts) {
      const style = this.style(part)
      const height = this.lineHeight(style)
      const label = part.label ? { text: part.label.text, style: this.style({ ...part, ...part.label }) } : undefined
      const labelWidth = label ? this.measure(label.text, label.style) + 4 : 0
      this.wrap(part.text, width, style, width - labelWidth).forEach((text, index) => {
        const gap = index === 0 ? (part.gapBefore ?? 0) : 0
        lines.push({ text, style, height: height + gap, gap, x: index === 0 ? labelWidth : 0, label: index === 0 ? label : undefined })
      })
    }
    return lines
  }

  /** Draws a laid-out line with its box's top at y (its gap above included). */
  drawLine(line: Line, x: number, y: number) {
    if (line.label) this.drawText(line.label.text, x, y + line.gap, line.label.style)
    this.drawText(line.text, x + line.x, y + line.gap, line.style)
  }

  /**
   * Draws laid-out lines at x from the cursor, moving to a new page whenever the next line does
   * not fit. The first `keepFirst` lines move to the next page together when they do not fit here.
   */
  flow(lines: Line[], x: number, { keepFirst = 1, onPageBreak }: { keepFirst?: number; onPageBreak?: () => void } = {}) {
    const firstHeight = heightOf(lines.slice(0, keepFirst))
    if (this.ensure(firstHeight)) onPageBreak?.()
    for (const line of lines) {
      if (this.ensure(line.height)) onPageBreak?.()
      this.drawLine(line, x, this.y)
      this.y += line.height
    }
  }

  paragraph(parts: CellPart[] | CellPart, { x = this.left, width = this.width, gapAfter = 4, keepFirst = 1 } = {}) {
    const lines = this.layoutParts(Array.isArray(parts) ? parts : [parts], width)
    this.flow(lines, x, { keepFirst })
    this.y += gapAfter
  }

  rule(color = COLORS.hairline, width = 0.6) {
    this.doc.save().moveTo(this.left, this.y).lineTo(this.left + this.width, this.y).lineWidth(width).strokeColor(color).stroke().restore()
  }

  /**
   * A table with wrapped cells. The header row is repeated on every page the table reaches; a
   * row that does not fit moves to the next page, and a row taller than a page is split line by
   * line, each cell continuing where it stopped.
   */
  table(columns: Column[], rows: CellPart[][][], { header = true, stripe = true, minRowLines = 3, headerFill = COLORS.headerFill } = {}) {
    const total = columns.reduce((sum, column) => sum + column.width, 0)
    const widths = columns.map((column) => (column.width / total) * this.width)
    const xs = widths.map((_, index) => this.left + widths.slice(0, index).reduce((sum, width) => sum + width, 0))
    const headerStyle = this.style({ font: 'bold', size: 8.5, color: COLORS.ink })
    const headerLines = columns.map((column, index) =>
      this.layoutParts([{ text: column.header, ...headerStyle }], widths[index]! - CELL_PAD.x * 2),
    )
    const headerHeight = header ? Math.max(...headerLines.map(heightOf)) + CELL_PAD.y * 2 : 0

    const drawHeader = () => {
      if (!header) return
      this.doc.save().rect(this.left, this.y, this.width, headerHeight).fill(headerFill).restore()
      headerLines.forEach((lines, index) => {
        let y = this.y + CELL_PAD.y
        for (const line of lines) {
          this.drawLine(line, xs[index]! + CELL_PAD.x, y)
          y += line.height
        }
      })
      this.y += headerHeight
      this.hline(COLORS.rule, 0.8)
    }

    // A header alone at the foot of a page is useless: start the table where a few lines fit under it.
    this.ensure(headerHeight + this.lineHeight(this.style()) * minRowLines + CELL_PAD.y * 2)
    drawHeader()

    rows.forEach((row, rowIndex) => {
      let pending = row.map((cell, index) => this.layoutParts(cell, widths[index]! - CELL_PAD.x * 2))
      const fullHeight = Math.max(...pending.map(heightOf)) + CELL_PAD.y * 2
      const pageRoom = this.bottom - MARGIN.top - headerHeight
      const minSlice = Math.min(fullHeight, this.lineHeight(this.style()) * minRowLines + CELL_PAD.y * 2)
      // A short row that does not fit moves to the next page whole; a tall one is split line by
      // line (moving it would leave half-empty pages), unless not even a few lines fit here.
      const short = fullHeight <= Math.min(pageRoom, KEEP_WHOLE_ROW)
      if ((fullHeight > this.remaining && short) || minSlice > this.remaining) {
        this.addPage()
        drawHeader()
      }
      while (pending.some((lines) => lines.length > 0)) {
        const room = this.remaining - CELL_PAD.y * 2
        const slices = pending.map((lines) => takeLines(lines, room))
        const sliceHeight = Math.max(...slices.map((slice) => heightOf(slice.taken))) + CELL_PAD.y * 2
        if (stripe && rowIndex % 2 === 1) this.doc.save().rect(this.left, this.y, this.width, sliceHeight).fill(COLORS.stripe).restore()
        slices.forEach((slice, index) => {
          let y = this.y + CELL_PAD.y
          const column = columns[index]!
          for (const line of slice.taken) {
            const x = column.align === 'right' ? xs[index]! + widths[index]! - CELL_PAD.x - this.measure(line.text, line.style) - line.x : xs[index]! + CELL_PAD.x
            this.drawLine(line, x, y)
            y += line.height
          }
        })
        this.y += sliceHeight
        this.hline()
        pending = slices.map((slice) => slice.rest)
        if (pending.some((lines) => lines.length > 0)) {
          this.addPage()
          drawHeader()
        }
      }
    })
  }

  private hline(color = COLORS.hairline, width = 0.5) {
    this.doc.save().moveTo(this.left, this.y).lineTo(this.left + this.width, this.y).lineWidth(width).strokeColor(color).stroke().restore()
  }
}

interface EmbeddedFont {
  id: string
  scale: number
  ascender: number
  widths: number[]
  unicode: number[][]
  subset: { includeGlyph(id: number): number }
  ref(): unknown
}

interface PdfkitInternals {
  _font: EmbeddedFont
  page: { fonts: Record<string, unknown> }
}

const rgbCache = new Map<string, string>()
/** "#0369a1" → "0.012 0.412 0.631", for the rg operator. */
function rgb(hex: string): string {
  let value = rgbCache.get(hex)
  if (!value) {
    const channel = (offset: number) => (Math.round((parseInt(hex.slice(offset, offset + 2), 16) / 255) * 1000) / 1000).toString()
    value = `${channel(1)} ${channel(3)} ${channel(5)}`
    rgbCache.set(hex, value)
  }
  return value
}

const num = (value: number) => (Math.round(value * 100) / 100).toString()

function heightOf(lines: Line[]): number {
  return lines.reduce((sum, line) => sum + line.height, 0)
}

/** As many lines as fit in `room`. */
function takeLines(lines: Line[], room: number): { taken: Line[]; rest: Line[] } {
  let used = 0
  let count = 0
  while (count < lines.length && used + lines[count]!.height <= room + 0.01) {
    used += lines[count]!.height
    count += 1
  }
  return { taken: lines.slice(0, count), rest: lines.slice(count) }
}

/** An A4 document with the report fonts registered, laid out by Canvas (no pdfkit margins). */
export function createDocument(info: PDFKit.DocumentInfo, lang: string): PDFKit.PDFDocument {
  const doc = new PDFDocument({
    // The report font as the default, so pdfkit does not parse its built-in Helvetica metrics for
    // every document.
    // pdfkit takes an opened fontkit font at run time (parsed once per process); its types name only paths and Buffers.
    font: reportFont('regular') as never,
    size: 'A4',
    margin: 0,
    bufferPages: true,
    autoFirstPage: true,
    compress: true,
    lang,
    info,
    displayTitle: true,
    pdfVersion: '1.7',
  })
  for (const name of ['regular', 'bold'] as const) {
    // As above: an opened fontkit font, which pdfkit's types do not name.
    doc.registerFont(name, reportFont(name) as never)
    doc.font(name)
    // pdfkit's embedded font (private API): draw with the same unshaped runs the layout measured.
    const embedded = (doc as unknown as { _font: { scale: number; layoutRun: (text: string) => unknown } })._font
    embedded.layoutRun = (text: string) => unshapedRun(name, text, embedded.scale)
  }
  return doc
}
