// Building blocks shared by the report's sections (render.server.ts and the sections kept in
// their own modules): the drawing context, headings, intros, plain cell parts.
import type { TFunction } from 'i18next'
import type { Canvas, CellPart } from './canvas.server'
import { COLORS } from './canvas.server'
import type { ClauseStatus, ReportData } from './report-data'

export interface RenderOptions {
  fingerprint: string // SHA-256 of the data (fingerprint.server.ts)
  generatedAt: Date
  verifyUrl: string // where a reader checks the fingerprint
}

export interface Context {
  canvas: Canvas
  data: ReportData
  t: TFunction
  options: RenderOptions
}

export function heading({ canvas }: Context, text: string, { keepWith = 80 } = {}) {
  const style = canvas.style({ font: 'bold', size: 15, color: COLORS.accent })
  const height = canvas.lineHeight(style)
  canvas.ensure(height + 10 + keepWith)
  canvas.drawText(text, canvas.left, canvas.y, style)
  canvas.y += height + 3
  canvas.rule(COLORS.accent, 1)
  canvas.y += 8
}

export function subheading({ canvas }: Context, text: string, { keepWith = 40 } = {}) {
  const style = canvas.style({ font: 'bold', size: 11, color: COLORS.ink })
  canvas.ensure(canvas.lineHeight(style) + keepWith)
  canvas.paragraph({ text, ...style }, { gapAfter: 3, keepFirst: 1 })
}

export function intro({ canvas }: Context, text: string) {
  canvas.paragraph({ text, size: 9, color: COLORS.muted }, { gapAfter: 8 })
}

export const plain = (text: string, extra: Partial<CellPart> = {}): CellPart => ({ text, ...extra })

export function statusTextColor(status: ClauseStatus): string {
  return status === 'met' ? COLORS.good : status === 'partial' ? COLORS.warn : status === 'failed' ? COLORS.bad : COLORS.muted
}

export function keyValueTable({ canvas }: Context, rows: [string, CellPart[] | string][]) {
  canvas.table(
    [
      { header: '', width: 32 },
      { header: '', width: 68 },
    ],
    rows.map(([key, value]) => [[plain(key, { font: 'bold', size: 9, color: COLORS.muted })], typeof value === 'string' ? [plain(value)] : value]),
    { header: false, stripe: true, minRowLines: 1 },
  )
}
