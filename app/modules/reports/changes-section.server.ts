// The report's "Changes since the last assessment": the previous signed-off assessment's date,
// score and residual risk beside this one's, the answers that differ and the clauses whose result
// changed. The comparison itself is the review's (app/modules/review/diff.ts via
// build-report-data.ts); this only draws it.
import { riskLabel } from '~/i18n/glossary'
import { COLORS, type CellPart } from './canvas.server'
import { formatDate, formatScore } from './format'
import { heading, intro, keyValueTable, plain, statusTextColor, subheading, type Context } from './report-parts.server'
import type { ClauseStatus, ReportSinceLast } from './report-data'

const signed = (delta: number) => (delta > 0 ? `+${formatScore(delta)}` : delta < 0 ? `−${formatScore(-delta)}` : '±0')

function scoreLine({ t }: Context, score: ReportSinceLast['score']): CellPart[] {
  const side = (value: number | null) => (value === null ? t('pdf.summary.notScored') : formatScore(value))
  const parts = [plain(`${side(score.before)} → ${side(score.after)}`, { font: 'bold' })]
  if (score.delta !== null) {
    const color = score.delta > 0 ? COLORS.good : score.delta < 0 ? COLORS.bad : COLORS.muted
    parts.push(plain(t('pdf.changes.scoreDelta', { delta: signed(score.delta) }), { size: 9, color }))
  }
  return parts
}

function riskLine({ t }: Context, risk: ReportSinceLast['residualRisk']): CellPart[] {
  const side = (value: string | null) => (value ? riskLabel(t, value) : t('pdf.summary.notScored'))
  const parts = [plain(`${side(risk.before)} → ${side(risk.after)}`, { font: 'bold' })]
  if (risk.movement) {
    const color = risk.movement === 'better' ? COLORS.good : risk.movement === 'worse' ? COLORS.bad : COLORS.muted
    parts.push(plain(t(`pdf.changes.riskMovement.${risk.movement}`), { size: 9, color }))
  }
  return parts
}

function statusCell({ t }: Context, status: ClauseStatus | null): CellPart[] {
  if (status === null) return [plain(t('pdf.changes.notInContract'), { size: 8.5, color: COLORS.faint })]
  return [plain(t(`pdf.clauseStatus.${status}`), { font: 'bold', size: 9, color: statusTextColor(status) })]
}

export function drawChangesSinceLast(context: Context) {
  const { canvas, data, t } = context
  const tz = data.institution.timeZone
  heading(context, t('pdf.changes.title'))
  const since = data.sinceLast
  if (!since) {
    canvas.paragraph({ text: t('pdf.changes.first'), color: COLORS.muted }, { gapAfter: 12 })
    return
  }
  const date = formatDate(since.previousCompletedAt, tz)
  intro(context, t('pdf.changes.intro', { date }))
  keyValueTable(context, [
    [t('pdf.changes.compared'), t('pdf.changes.comparedValue', { date })],
    [t('pdf.summary.controlScore'), scoreLine(context, since.score)],
    [t('pdf.summary.residualRisk'), riskLine(context, since.residualRisk)],
    [t('pdf.changes.answerCount'), t('pdf.changes.answerCountValue', { changed: since.answers.length, unchanged: since.unchangedAnswers })],
    [t('pdf.changes.clauseCount'), t('pdf.changes.clauseCountValue', { count: since.clauses.length })],
  ])
  canvas.y += 10

  subheading(context, t('pdf.changes.answers'))
  if (!since.answers.length) canvas.paragraph({ text: t('pdf.changes.noAnswers'), color: COLORS.muted }, { gapAfter: 10 })
  else {
    // The new answer stands out in bold, unless it is a long text (bold paragraphs read badly).
    const side = (text: string, emphasise: boolean): CellPart[] => [
      text ? plain(text, { size: 8.5, ...(emphasise && text.length <= 120 ? { font: 'bold' as const } : {}) }) : plain(t('pdf.changes.notAnswered'), { size: 8.5, color: COLORS.faint }),
    ]
    canvas.table(
      [
        { header: t('pdf.changes.question'), width: 44 },
        { header: t('pdf.changes.before', { date }), width: 28 },
        { header: t('pdf.changes.after'), width: 28 },
      ],
      since.answers.map((answer) => [
        [plain(answer.questionId, { font: 'bold', size: 8 }), plain(answer.question, { size: 8.5 })],
        side(answer.before, false),
        side(answer.after, true),
      ]),
      { minRowLines: 1 },
    )
    canvas.y += 10
  }

  subheading(context, t('pdf.changes.clauses'))
  if (!since.clauses.length) {
    canvas.paragraph({ text: t('pdf.changes.noClauses'), color: COLORS.muted }, { gapAfter: 12 })
    return
  }
  canvas.table(
    [
      { header: t('pdf.clauses.clause'), width: 56 },
      { header: t('pdf.changes.before', { date }), width: 22 },
      { header: t('pdf.changes.after'), width: 22 },
    ],
    since.clauses.map((clause) => [
      [plain(clause.clauseId, { font: 'bold', size: 8, color: COLORS.accent }), plain(clause.title, { size: 8.5 })],
      statusCell(context, clause.before),
      statusCell(context, clause.after),
    ]),
    { minRowLines: 1 },
  )
  canvas.y += 16
}
