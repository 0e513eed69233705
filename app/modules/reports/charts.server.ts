import { COLORS, type Canvas } from './canvas.server'
import { formatScore } from './format'
import type { ClauseStatus } from './report-data'

// Small vector charts for the executive summary, drawn with pdfkit paths (no images).

export const SCORE_BANDS: { from: number; color: string; soft: string }[] = [
  { from: 0, color: '#b91c1c', soft: '#fee2e2' },
  { from: 50, color: '#b45309', soft: '#fef3c7' },
  { from: 70, color: '#0369a1', soft: '#e0f2fe' },
  { from: 85, color: '#047857', soft: '#d1fae5' },
]

export function scoreColor(score: number | null): string {
  if (score === null) return COLORS.faint
  return [...SCORE_BANDS].reverse().find((band) => score >= band.from)!.color
}

export const RISK_COLORS: Record<string, string> = {
  low: '#047857',
  medium: '#b45309',
  high: '#c2410c',
  critical: '#991b1b',
}

export const STATUS_COLORS: Record<ClauseStatus, string> = {
  met: '#059669',
  partial: '#d97706',
  failed: '#dc2626',
  not_assessed: '#94a3b8',
  not_applicable: '#cbd5e1',
}

function pointOnArc(cx: number, cy: number, radius: number, score: number) {
  const angle = Math.PI * (1 - score / 100)
  return { x: cx + radius * Math.cos(angle), y: cy - radius * Math.sin(angle) }
}

function arc(canvas: Canvas, cx: number, cy: number, radius: number, from: number, to: number, color: string, width: number) {
  if (to <= from) return
  const start = pointOnArc(cx, cy, radius, from)
  const end = pointOnArc(cx, cy, radius, to)
  canvas.doc
    .save()
    .path(`M ${start.x.toFixed(2)} ${start.y.toFixed(2)} A ${radius} ${radius} 0 0 1 ${end.x.toFixed(2)} ${end.y.toFixed(2)}`)
    .lineWidth(width)
    .lineCap('butt')
    .strokeColor(color)
    .stroke()
    .restore()
}

/** A half-circle gauge from 0 to 100: coloured bands behind, the score's arc in front. */
export function drawGauge(canvas: Canvas, { cx, cy, radius, score, label, caption }: { cx: number; cy: number; radius: number; score: number | null; label: string; caption: string }) {
  SCORE_BANDS.forEach((band, index) => {
    const to = SCORE_BANDS[index + 1]?.from ?? 100
    arc(canvas, cx, cy, radius, band.from, to, band.soft, 16)
  })
  if (score !== null) arc(canvas, cx, cy, radius, 0, Math.max(0.5, Math.min(100, score)), scoreColor(score), 16)
  // Tick labels at both ends.
  const tick = canvas.style({ size: 7, color: COLORS.muted })
  canvas.drawText('0', cx - radius - canvas.measure('0', tick) / 2, cy + 10, tick)
  canvas.drawText('100', cx + radius - canvas.measure('100', tick) / 2, cy + 10, tick)
  const big = canvas.style({ font: 'bold', size: 28, color: scoreColor(score) })
  const value = score === null ? '—' : formatScore(score)
  canvas.drawText(value, cx - canvas.measure(value, big) / 2, cy - 47, big)
  const small = canvas.style({ size: 7.5, color: COLORS.muted })
  canvas.drawText(caption, cx - canvas.measure(caption, small) / 2, cy - 4, small)
  const title = canvas.style({ font: 'bold', size: 9, color: COLORS.ink })
  canvas.drawText(label, cx - canvas.measure(label, title) / 2, cy + 22, title)
}

/** A rounded label with a coloured background. Returns its width. */
export function drawBadge(canvas: Canvas, text: string, x: number, y: number, color: string, size = 9): number {
  const style = canvas.style({ font: 'bold', size, color: '#ffffff' })
  const width = canvas.measure(text, style) + size * 1.6
  const height = canvas.lineHeight(style) + 2
  canvas.doc.save().roundedRect(x, y, width, height, height / 2).fill(color).restore()
  canvas.drawText(text, x + size * 0.8, y + 1, style)
  return width
}

/** One stacked horizontal bar of clause results, with a legend underneath. Returns its height. */
export function drawStatusBar(
  canvas: Canvas,
  { x, y, width, counts, labels }: { x: number; y: number; width: number; counts: Record<ClauseStatus, number>; labels: Record<ClauseStatus, string> },
): number {
  const statuses = Object.keys(STATUS_COLORS) as ClauseStatus[]
  const total = statuses.reduce((sum, status) => sum + counts[status], 0)
  const barHeight = 12
  canvas.doc.save().roundedRect(x, y, width, barHeight, 3).fill(COLORS.hairline).restore()
  if (total > 0) {
    canvas.doc.save().roundedRect(x, y, width, barHeight, 3).clip()
    let cursor = x
    for (const status of statuses) {
      const share = (counts[status] / total) * width
      if (share > 0) canvas.doc.rect(cursor, y, share, barHeight).fill(STATUS_COLORS[status])
      cursor += share
    }
    canvas.doc.restore()
  }
  // Legend: two columns of swatch, label and count.
  const style = canvas.style({ size: 8.5 })
  const countStyle = canvas.style({ font: 'bold', size: 8.5, color: COLORS.ink })
  const rowHeight = canvas.lineHeight(style)
  const columnWidth = width / 2
  statuses.forEach((status, index) => {
    const lx = x + (index % 2) * columnWidth
    const ly = y + barHeight + 8 + Math.floor(index / 2) * rowHeight
    canvas.doc.save().rect(lx, ly + rowHeight / 2 - 4, 8, 8).fill(STATUS_COLORS[status]).restore()
    canvas.drawText(labels[status], lx + 12, ly, style)
    const count = String(counts[status])
    canvas.drawText(count, lx + columnWidth - 12 - canvas.measure(count, countStyle), ly, countStyle)
  })
  return barHeight + 8 + Math.ceil(statuses.length / 2) * rowHeight
}
