import type { TFunction } from 'i18next'
import { translatorFor } from '~/i18n/i18n.server'
import type { Locale } from '~/i18n/locales'
import { A4, Canvas, COLORS, createDocument, MARGIN, type CellPart, type DrawnLine } from './canvas.server'
import { drawChangesSinceLast } from './changes-section.server'
import { heading, intro, keyValueTable, plain, statusTextColor, subheading, type Context, type RenderOptions } from './report-parts.server'
import { drawBadge, drawGauge, drawStatusBar, RISK_COLORS } from './charts.server'
import { formatDate, formatDateTime, formatNumber } from './format'
import QRCode from 'qrcode'
import { CLAUSE_STATUSES, formatFingerprint, formatShortCode, reportIdOf, topFindings, type ClauseStatus, type ReportData } from './report-data'
import { riskLabel, severityLabel, tierLabel } from '~/i18n/glossary'

// Renders a ReportData as a PDF with pdfkit: cover, executive summary, data-sharing profile,
// clause-by-clause table, findings, questions-and-answers appendix, sign-off; a header and a
// footer (page X of Y, generation time, fingerprint) on every page.

export type { RenderOptions } from './report-parts.server'

export interface ComposedReport {
  doc: PDFKit.PDFDocument // laid out and ended: read it as a stream
  pages: number
  lines: DrawnLine[] // every line of text drawn, with its page and box
}

export async function composeReport(data: ReportData, options: RenderOptions): Promise<ComposedReport> {
  const t = memoize(data.locale, await translatorFor(data.locale, 'reports'))
  const vendorName = data.vendor.name[data.locale] || data.vendor.name.en || data.vendor.name['zh-CN']
  const doc = createDocument(
    {
      Title: `${t('pdf.title')} — ${vendorName}`,
      Author: data.institution.name,
      Subject: reportIdOf(data.assessment.id, options.fingerprint),
      Keywords: options.fingerprint,
      Creator: 'Clausewise',
      Producer: 'Clausewise',
      CreationDate: options.generatedAt,
    },
    data.locale,
  )
  const canvas = new Canvas(doc)
  const context: Context = { canvas, data, t, options }

  drawCover(context)
  canvas.addPage()
  drawSummary(context)
  drawProfile(context)
  startSection(canvas)
  drawClauses(context)
  drawFindings(context)
  startSection(canvas)
  drawChangesSinceLast(context)
  startSection(canvas)
  drawReviewHistory(context)
  drawAppendix(context)
  drawSignOff(context)
  drawHeadersAndFooters(context, vendorName)

  canvas.flushText()
  const pages = canvas.page + 1
  doc.end()
  return { doc, pages, lines: canvas.lines }
}

/** The whole PDF in memory (tests, batch ZIPs, the benchmark). */
export async function renderReport(data: ReportData, options: RenderOptions): Promise<{ pdf: Buffer; pages: number; lines: DrawnLine[] }> {
  const { doc, pages, lines } = await composeReport(data, options)
  const chunks: Buffer[] = []
  // A PDFKit document is a Node Readable at run time; its types do not say so.
  for await (const chunk of doc as unknown as AsyncIterable<Buffer>) chunks.push(chunk)
  return { pdf: Buffer.concat(chunks), pages, lines }
}

// ——— helpers ———

/** Major sections start on a new page unless most of the current one is still free. */
function startSection(canvas: Canvas) {
  if (canvas.remaining < (canvas.bottom - MARGIN.top) * 0.6) canvas.addPage()
  else canvas.y += 12
}

/**
 * The same labels are asked for hundreds of times per report (one per table row), and i18next
 * takes a noticeable fraction of a millisecond per call: look each up once per process.
 */
const translations = new Map<Locale, Map<string, string>>()
function memoize(locale: Locale, translate: TFunction): TFunction {
  let cache = translations.get(locale)
  if (!cache) {
    cache = new Map()
    translations.set(locale, cache)
  }
  if (cache.size > 5000) cache.clear() // interpolated values vary (names, dates): keep it bounded
  return ((key: string, options?: Record<string, unknown>) => {
    const cacheKey = options ? `${key}\u0000${JSON.stringify(options)}` : key
    let text = cache!.get(cacheKey)
    if (text === undefined) {
      // i18next's TFunction overloads cannot be called with a key only known at run time.
      text = String(translate(key, options as never))
      cache!.set(cacheKey, text)
    }
    return text
  // The cache stands in for i18next's TFunction, whose overloaded type no plain function satisfies.
  }) as unknown as TFunction
}

function label(t: TFunction, key: string, code: string | undefined | null): string {
  if (!code) return t('pdf.notSet')
  return t(`pdf.${key}.${code}`, { defaultValue: code })
}

// ——— cover ———

function drawCover(context: Context) {
  const { canvas, data, t, options } = context
  const { doc } = canvas
  const tz = data.institution.timeZone
  doc.save().rect(0, 0, A4.width, 6).fill(COLORS.accent).restore()

  canvas.y = 96
  canvas.paragraph({ text: data.institution.name, size: 11, color: COLORS.muted }, { gapAfter: 2 })
  canvas.paragraph({ text: t('pdf.title'), font: 'bold', size: 20, color: COLORS.ink }, { gapAfter: 18 })

  const primary = data.vendor.name[data.locale] || data.vendor.name.en
  const secondary = data.locale === 'en' ? data.vendor.name['zh-CN'] : data.vendor.name.en
  canvas.paragraph({ text: primary, font: 'bold', size: 17, color: COLORS.accent }, { gapAfter: 1 })
  if (secondary && secondary !== primary) canvas.paragraph({ text: secondary, size: 12, color: COLORS.text }, { gapAfter: 8 })

  const completed = data.assessment.status === 'completed'
  let x = canvas.left
  x += drawBadge(canvas, completed ? t('pdf.final') : t('pdf.draft'), x, canvas.y, completed ? COLORS.good : COLORS.warn) + 6
  drawBadge(canvas, tierLabel(t, data.vendor.tier.effective), x, canvas.y, COLORS.accent)
  canvas.y += 30

  const assessment = data.assessment
  const rows: [string, CellPart[] | string][] = [
    [t('pdf.cover.vendor'), [plain(data.vendor.name['zh-CN']), plain(data.vendor.name.en)]],
  ]
  if (data.vendor.creditCode) rows.push([t('pdf.cover.creditCode'), data.vendor.creditCode])
  rows.push([t('pdf.cover.category'), label(t, 'category', data.vendor.category)])
  if (data.vendor.services) rows.push([t('pdf.cover.services'), data.vendor.services])
  rows.push(
    [t('pdf.cover.tier'), tierLabel(t, data.vendor.tier.effective)],
    [t('pdf.cover.period'), t('pdf.cover.periodValue', { sent: formatDate(assessment.sentAt, tz), due: formatDate(assessment.dueAt, tz) })],
    [
      t('pdf.cover.submitted'),
      assessment.submittedAt
        ? assessment.submittedBy
          ? t('pdf.cover.submittedBy', { date: formatDate(assessment.submittedAt, tz), name: assessment.submittedBy })
          : formatDate(assessment.submittedAt, tz)
        : '—',
    ],
    [t('pdf.cover.signedOff'), assessment.signedOffAt ? formatDate(assessment.signedOffAt, tz) : t('pdf.draft')],
    [
      t('pdf.cover.questionnaires'),
      assessment.questionnaires.map((questionnaire) => plain(t('pdf.cover.questionnaireVersion', { title: questionnaire.title, version: questionnaire.version }))),
    ],
    [t('pdf.cover.contract'), assessment.contractReference || t('pdf.notSet')],
    [t('pdf.cover.preparedBy'), assessment.preparedBy],
    [t('pdf.cover.status'), label(t, 'assessmentStatus', assessment.status)],
    [t('pdf.cover.reportId'), reportIdOf(assessment.id, options.fingerprint)],
  )
  keyValueTable(context, rows)

  // The fingerprint box sits at the foot of the cover (or below the table if that is longer), with
  // a QR code that opens the public verification page for this very fingerprint.
  const qrSize = 72
  const hintStyle = canvas.style({ size: 8, color: COLORS.muted })
  const boxWidth = canvas.width
  const hint = canvas.wrap(t('pdf.cover.fingerprintHint', { url: options.verifyUrl, short: formatShortCode(options.fingerprint) }), boxWidth - 24 - qrSize - 12, hintStyle)
  const valueStyle = canvas.style({ font: 'bold', size: 10.5, color: COLORS.ink })
  const labelStyle = canvas.style({ font: 'bold', size: 8.5, color: COLORS.accent })
  const value = canvas.wrap(formatFingerprint(options.fingerprint), boxWidth - 24 - qrSize - 12, valueStyle)
  const textHeight = 14 + canvas.lineHeight(labelStyle) + 2 + value.length * canvas.lineHeight(valueStyle) + 4 + hint.length * canvas.lineHeight(hintStyle) + 12
  const boxHeight = Math.max(textHeight, qrSize + 20)
  const confidentialStyle = canvas.style({ size: 8, color: COLORS.muted })
  const boxTop = Math.max(canvas.y + 16, canvas.bottom - boxHeight - canvas.lineHeight(confidentialStyle) - 10)
  if (boxTop + boxHeight > canvas.bottom) canvas.addPage()
  const top = Math.max(boxTop, canvas.y)
  doc.save().roundedRect(canvas.left, top, boxWidth, boxHeight, 4).fill(COLORS.accentSoft).restore()
  drawQrCode(doc, `${options.verifyUrl}?code=${options.fingerprint}`, canvas.left + boxWidth - qrSize - 10, top + (boxHeight - qrSize) / 2, qrSize)
  let y = top + 12
  canvas.drawText(t('pdf.cover.fingerprint'), canvas.left + 12, y, labelStyle)
  y += canvas.lineHeight(labelStyle) + 2
  for (const line of value) {
    canvas.drawText(line, canvas.left + 12, y, valueStyle)
    y += canvas.lineHeight(valueStyle)
  }
  y += 4
  for (const line of hint) {
    canvas.drawText(line, canvas.left + 12, y, hintStyle)
    y += canvas.lineHeight(hintStyle)
  }
  canvas.y = top + boxHeight + 8
  canvas.paragraph({ text: t('pdf.confidential'), ...confidentialStyle }, { gapAfter: 0 })
}

// ——— executive summary ———

function drawSummary(context: Context) {
  const { canvas, data, t } = context
  heading(context, t('pdf.summary.title'), { keepWith: 200 })
  const top = canvas.y
  const score = data.score
  drawGauge(canvas, {
    cx: canvas.left + 95,
    cy: top + 92,
    radius: 72,
    score: score.controlScore,
    label: t('pdf.summary.controlScore'),
    caption: score.controlScore === null ? t('pdf.summary.notScored') : t('pdf.summary.outOf'),
  })

  // Right of the gauge: residual risk, inherent tier, clause results.
  const x = canvas.left + 215
  const width = canvas.left + canvas.width - x
  const small = canvas.style({ font: 'bold', size: 8.5, color: COLORS.muted })
  let y = top + 4
  canvas.drawText(t('pdf.summary.residualRisk'), x, y, small)
  y += canvas.lineHeight(small) + 2
  const riskText = score.residualRisk ? riskLabel(t, score.residualRisk) : t('pdf.summary.notScored')
  drawBadge(canvas, riskText, x, y, score.residualRisk ? RISK_COLORS[score.residualRisk]! : COLORS.neutral, 11)
  canvas.drawText(t('pdf.summary.inherentTier'), x + width / 2, top + 4, small)
  drawBadge(canvas, tierLabel(t, data.vendor.tier.effective), x + width / 2, y, COLORS.accent, 11)
  y += 30
  canvas.drawText(t('pdf.summary.clauseResults'), x, y, small)
  y += canvas.lineHeight(small) + 3
  const labels = Object.fromEntries(CLAUSE_STATUSES.map((status) => [status, t(`pdf.clauseStatus.${status}`)])) as Record<ClauseStatus, string>
  y += drawStatusBar(canvas, { x, y, width, counts: score.counts, labels })
  canvas.y = Math.max(y, top + 130) + 10

  if (score.capped || score.knockOuts.length) {
    const list = score.knockOuts.map((clause) => `${clause.clauseId} ${clause.title}`).join(data.locale === 'en' ? '; ' : '；')
    canvas.paragraph([
      { text: t('pdf.summary.capped'), font: 'bold', size: 9.5, color: COLORS.bad },
      ...(list ? [{ text: t('pdf.summary.knockOuts', { list }), size: 9, color: COLORS.bad }] : []),
    ])
  }
  const total = CLAUSE_STATUSES.reduce((sum, status) => sum + score.counts[status], 0)
  canvas.paragraph({ text: t('pdf.summary.clauseCount', { count: total }), size: 9, color: COLORS.muted }, { gapAfter: 10 })

  subheading(context, t('pdf.summary.topFindings'))
  const top5 = topFindings(data.findings)
  if (!top5.length) {
    canvas.paragraph({ text: t('pdf.summary.noFindings'), color: COLORS.muted }, { gapAfter: 12 })
    return
  }
  canvas.table(
    [
      { header: t('pdf.findings.reference'), width: 9 },
      { header: t('pdf.findings.severity'), width: 13 },
      { header: t('pdf.findings.finding'), width: 62 },
      { header: t('pdf.findings.due'), width: 16 },
    ],
    top5.map((finding) => [
      [plain(finding.reference, { font: 'bold' })],
      [plain(severityLabel(t, finding.severity), { font: 'bold', color: severityColor(finding.severity) })],
      [plain(finding.title)],
      [plain(formatDate(finding.dueAt, data.institution.timeZone))],
    ]),
  )
  if (data.findings.length > top5.length) {
    canvas.y += 4
    canvas.paragraph({ text: t('pdf.summary.findingCount', { count: data.findings.length }), size: 8.5, color: COLORS.muted })
  }
  canvas.y += 14
}

function severityColor(severity: string): string {
  return severity === 'critical' ? '#991b1b' : severity === 'high' ? COLORS.bad : severity === 'medium' ? COLORS.warn : COLORS.muted
}

// ——— data-sharing profile ———

function drawProfile(context: Context) {
  const { canvas, data, t } = context
  const profile = data.vendor.dataProfile
  const yesNo = (value: boolean) => (value ? t('pdf.yes') : t('pdf.no'))
  heading(context, t('pdf.profile.title'), { keepWith: 160 })
  intro(context, t('pdf.profile.intro'))
  const list = (codes: string[], key: string) => (codes.length ? codes.map((code) => label(t, key, code)).join(data.locale === 'en' ? ', ' : '、') : t('pdf.none'))
  const rows: [string, CellPart[] | string][] = [
    [t('pdf.profile.piCategories'), list(profile.piCategories, 'pi')],
    [t('pdf.profile.sensitivity'), label(t, 'sensitivity', profile.sensitivity)],
    [t('pdf.profile.recordCount'), formatNumber(profile.recordCount, data.locale)],
    [
      t('pdf.profile.crossBorder'),
      profile.crossBorder && profile.crossBorderDestinations.length
        ? t('pdf.profile.crossBorderTo', { list: profile.crossBorderDestinations.join(', ') })
        : yesNo(profile.crossBorder),
    ],
    [t('pdf.profile.transferMethods'), list(profile.transferMethods, 'transfer')],
    [t('pdf.profile.legalBasis'), label(t, 'legalBasis', profile.legalBasis)],
    [t('pdf.profile.consent'), yesNo(profile.consentOnRecord)],
    [t('pdf.profile.criticality'), label(t, 'criticality', profile.serviceCriticality)],
    [
      t('pdf.profile.subProcessors'),
      profile.subProcessors.length
        ? profile.subProcessors.map((sub) => plain([sub.name, sub.country ? `(${sub.country})` : '', sub.service ? `— ${sub.service}` : ''].filter(Boolean).join(' ')))
        : yesNo(profile.usesSubProcessors),
    ],
  ]
  const tier = data.vendor.tier
  const reasons: CellPart[] = tier.reasons.map((reason) => plain(`• ${reason}`))
  if (tier.override) {
    reasons.push(plain(t('pdf.profile.computedTier', { tier: tierLabel(t, tier.computed) }), { gapBefore: 3, color: COLORS.muted }))
    reasons.push(
      plain(t('pdf.profile.tierOverride', { tier: tierLabel(t, tier.override.tier), name: tier.override.byName ?? '—', justification: tier.override.justification }), {
        color: COLORS.warn,
      }),
    )
  }
  rows.push([t('pdf.profile.tierReasons'), reasons.length ? reasons : t('pdf.none')])
  keyValueTable(context, rows)

  canvas.y += 10
}

// ——— clauses ———

function drawClauses(context: Context) {
  const { canvas, data, t } = context
  const tz = data.institution.timeZone
  heading(context, t('pdf.clauses.title'))
  intro(context, t('pdf.clauses.intro'))
  if (!data.clauses.length) {
    canvas.paragraph({ text: t('pdf.clauses.none'), color: COLORS.muted }, { gapAfter: 12 })
    return
  }
  canvas.table(
    [
      { header: t('pdf.clauses.clause'), width: 29 },
      { header: t('pdf.clauses.result'), width: 13 },
      { header: t('pdf.clauses.decidingAnswers'), width: 36 },
      { header: t('pdf.clauses.override'), width: 22 },
    ],
    data.clauses.map((clause) => {
      const clauseCell: CellPart[] = [
        plain(clause.id, { font: 'bold', color: COLORS.accent }),
        plain(clause.title, { font: 'bold', size: 9 }),
        plain(t('pdf.clauses.severity', { severity: severityLabel(t, clause.severity) }) + (clause.knockOut ? ` · ${t('pdf.clauses.knockOut')}` : ''), {
          size: 8,
          color: clause.knockOut ? COLORS.bad : COLORS.muted,
        }),
      ]
      const resultCell: CellPart[] = [plain(t(`pdf.clauseStatus.${clause.status}`), { font: 'bold', color: statusTextColor(clause.status) })]
      const answers: CellPart[] = clause.decidingAnswers.length
        ? clause.decidingAnswers.flatMap((answer, index) => [
            plain(answer.question, { size: 8.5, color: COLORS.muted, gapBefore: index ? 4 : 0, label: { text: answer.questionId, font: 'bold', color: COLORS.text } }),
            plain(`→ ${answer.answer}`, { size: 8.5 }),
          ])
        : [plain(t('pdf.clauses.noAnswers'), { size: 8.5, color: COLORS.faint })]
      const override: CellPart[] = clause.override
        ? [
            plain(t('pdf.clauses.overriddenFrom', { from: t(`pdf.clauseStatus.${clause.override.from}`) }), { font: 'bold', size: 8.5, color: COLORS.warn }),
            plain(clause.override.justification, { size: 8.5 }),
            plain(t('pdf.clauses.by', { name: clause.override.byName ?? '—', date: formatDate(clause.override.at, tz) }), { size: 8, color: COLORS.muted }),
          ]
        : [plain('—', { color: COLORS.faint })]
      return [clauseCell, resultCell, answers, override]
    }),
  )
  canvas.y += 16
}

// ——— findings ———

function drawFindings(context: Context) {
  const { canvas, data, t } = context
  const tz = data.institution.timeZone
  heading(context, t('pdf.findings.title'))
  intro(context, t('pdf.findings.intro'))
  if (!data.findings.length) {
    canvas.paragraph({ text: t('pdf.findings.none'), color: COLORS.muted }, { gapAfter: 12 })
    return
  }
  canvas.table(
    [
      { header: t('pdf.findings.reference'), width: 7 },
      { header: t('pdf.findings.severity'), width: 10 },
      { header: t('pdf.findings.finding'), width: 45 },
      { header: t('pdf.findings.remediation'), width: 23 },
      { header: `${t('pdf.findings.owner')} / ${t('pdf.findings.due')}`, width: 15 },
    ],
    data.findings.map((finding) => [
      [plain(finding.reference, { font: 'bold' })],
      [
        plain(severityLabel(t, finding.severity), { font: 'bold', color: severityColor(finding.severity) }),
        plain(t(`pdf.findings.statusLabels.${finding.status}`, { defaultValue: finding.status }), { size: 8, color: COLORS.muted }),
      ],
      [
        plain(finding.title, { font: 'bold', size: 9 }),
        plain(finding.description, { size: 8.5, gapBefore: 2 }),
        ...(finding.clauseIds.length ? [plain(t('pdf.findings.clauses', { list: finding.clauseIds.join(', ') }), { size: 8, color: COLORS.muted, gapBefore: 2 })] : []),
      ],
      [plain(finding.remediation || '—', { size: 8.5 })],
      [plain(finding.owner || '—', { size: 8.5 }), plain(formatDate(finding.dueAt, tz), { size: 8.5, color: COLORS.muted })],
    ]),
  )
  canvas.y += 16
}

// ——— review history: clarification rounds and the reviewer's decisions ———

function drawReviewHistory(context: Context) {
  const { canvas, data, t } = context
  const tz = data.institution.timeZone
  heading(context, t('pdf.review.title'))
  intro(context, t('pdf.review.intro'))
  if (!data.clarifications.length) canvas.paragraph({ text: t('pdf.review.noClarifications'), color: COLORS.muted }, { gapAfter: 8 })
  for (const round of data.clarifications) {
    subheading(context, t('pdf.review.round', { round: round.round, date: formatDateTime(round.requestedAt, tz), name: round.byName }))
    const meta = [round.respondBy ? t('pdf.review.respondBy', { date: formatDate(round.respondBy, tz) }) : '', round.message ? t('pdf.review.message', { message: round.message }) : '']
      .filter(Boolean)
      .join(' · ')
    if (meta) canvas.paragraph({ text: meta, size: 8.5, color: COLORS.muted }, { gapAfter: 4 })
    canvas.table(
      [
        { header: t('pdf.review.question'), width: 34 },
        { header: t('pdf.review.request'), width: 30 },
        { header: t('pdf.review.reply'), width: 36 },
      ],
      round.questions.map((question) => [
        [plain(question.questionId, { font: 'bold', size: 8 }), plain(question.question, { size: 8.5 })],
        [plain(question.comment, { size: 8.5 })],
        question.reply
          ? [
              plain(question.reply, { size: 8.5, font: 'bold' }),
              ...(question.replyComment ? [plain(question.replyComment, { size: 8.5 })] : []),
              plain(t('pdf.review.repliedAt', { date: formatDateTime(question.repliedAt, tz) }), { size: 8, color: COLORS.muted }),
            ]
          : [plain(t('pdf.review.noReply'), { size: 8.5, color: COLORS.muted })],
      ]),
    )
    canvas.y += 8
  }
  if (data.decisions.length) {
    subheading(context, t('pdf.review.decisions'))
    canvas.table(
      [
        { header: t('pdf.review.question'), width: 40 },
        { header: t('pdf.review.comment'), width: 40 },
        { header: t('pdf.review.by'), width: 20 },
      ],
      data.decisions.map((decision) => [
        [plain(decision.questionId, { font: 'bold', size: 8 }), plain(decision.question, { size: 8.5 })],
        [plain(decision.comment, { size: 8.5 })],
        [plain(decision.byName, { size: 8.5 }), plain(formatDateTime(decision.at, tz), { size: 8, color: COLORS.muted })],
      ]),
    )
  }
  canvas.y += 16
}

// ——— appendix ———

function drawAppendix(context: Context) {
  const { canvas, data, t } = context
  heading(context, t('pdf.appendix.title'))
  intro(context, t('pdf.appendix.intro'))
  if (!data.sections.length) {
    canvas.paragraph({ text: t('pdf.appendix.empty'), color: COLORS.muted })
    return
  }
  const idWidth = 62
  const labelStyle = { font: 'bold' as const, color: COLORS.muted }
  for (const section of data.sections) {
    canvas.y += 4
    subheading(context, `${section.title}`, { keepWith: 60 })
    canvas.paragraph({ text: section.questionnaire, size: 8, color: COLORS.faint }, { gapAfter: 4 })
    for (const question of section.questions) {
      const answerLabel = { text: t('pdf.labelled', { label: t('pdf.appendix.answer') }), ...labelStyle }
      const parts: CellPart[] = [plain(question.text, { font: 'bold', size: 9.5, color: COLORS.ink })]
      if (question.answer) parts.push(plain(question.answer, { size: 9, gapBefore: 2, label: answerLabel }))
      // A question answered by uploading files has its files as the answer.
      else if (!question.evidence.length) parts.push(plain(t('pdf.appendix.unanswered'), { size: 9, color: COLORS.faint, gapBefore: 2, label: answerLabel }))
      if (question.comment) parts.push(plain(question.comment, { size: 9, color: COLORS.text, gapBefore: 2, label: { text: t('pdf.labelled', { label: t('pdf.appendix.comment') }), ...labelStyle } }))
      if (question.evidence.length) {
        parts.push(plain(question.evidence.join(data.locale === 'en' ? ', ' : '、'), { size: 8.5, color: COLORS.text, gapBefore: 2, label: { text: t('pdf.labelled', { label: t('pdf.appendix.evidence') }), ...labelStyle } }))
      }
      const lines = canvas.layoutParts(parts, canvas.width - idWidth)
      const questionLines = Math.max(0, lines.findIndex((line) => line.label)) // the question text's lines
      const idStyle = canvas.style({ font: 'bold', size: 9, color: COLORS.accent })
      // Keep the question together with the first line of its answer.
      canvas.ensure(lines.slice(0, questionLines + 1).reduce((sum, line) => sum + line.height, 0) + 4)
      canvas.y += 4
      canvas.drawText(question.id, canvas.left, canvas.y, idStyle)
      canvas.flow(lines, canvas.left + idWidth, {
        keepFirst: questionLines + 1,
        onPageBreak: () => canvas.drawText(`${question.id} …`, canvas.left, canvas.y, { ...idStyle, color: COLORS.faint }),
      })
      canvas.y += 3
      canvas.doc
        .save()
        .moveTo(canvas.left + idWidth, canvas.y)
        .lineTo(canvas.left + canvas.width, canvas.y)
        .lineWidth(0.4)
        .strokeColor(COLORS.hairline)
        .stroke()
        .restore()
    }
  }
  canvas.y += 16
}

// ——— sign-off ———

function drawSignOff(context: Context) {
  const { canvas, data, t } = context
  heading(context, t('pdf.signOff.title'), { keepWith: 120 })
  const signOff = data.signOff
  if (!signOff) {
    canvas.paragraph({ text: t('pdf.signOff.pending'), font: 'bold', color: COLORS.warn })
    return
  }
  canvas.paragraph({ text: t('pdf.signOff.statement'), size: 9, color: COLORS.muted }, { gapAfter: 8 })
  keyValueTable(context, [
    [t('pdf.signOff.signedBy'), signOff.byName],
    [t('pdf.signOff.date'), formatDateTime(signOff.at, data.institution.timeZone)],
    ...(signOff.comment ? ([[t('pdf.signOff.comment'), signOff.comment]] as [string, string][]) : []),
  ])
}

// ——— header and footer on every page ———

function drawHeadersAndFooters({ canvas, data, t, options }: Context, vendorName: string) {
  const { doc } = canvas
  const range = doc.bufferedPageRange()
  const small = canvas.style({ size: 7.5, color: COLORS.muted })
  const draftStyle = canvas.style({ font: 'bold', size: 7.5, color: COLORS.warn })
  const completed = data.assessment.status === 'completed'
  const left = `${data.institution.name} · ${t('pdf.header.report')}`
  const right = completed ? vendorName : `${vendorName} · ${t('pdf.draft')}`
  const generated = t('pdf.footer.generated', { at: `${formatDateTime(options.generatedAt, data.institution.timeZone)} (${data.institution.timeZone})` })
  const fingerprint = t('pdf.footer.fingerprint', { short: formatShortCode(options.fingerprint), url: options.verifyUrl.replace(/^https?:\/\//, '') })
  const headerY = 34
  const footerY = A4.height - MARGIN.bottom + 20
  for (let index = range.start; index < range.start + range.count; index += 1) {
    canvas.switchToPage(index)
    const rightWidth = canvas.measure(right, completed ? small : draftStyle)
    const leftLines = canvas.wrap(left, canvas.width - rightWidth - 16, small)
    canvas.drawText(leftLines[0] ?? '', canvas.left, headerY, small, 'header')
    canvas.drawText(right, canvas.left + canvas.width - rightWidth, headerY, completed ? small : draftStyle, 'header')
    const ruleY = headerY + canvas.lineHeight(small) + 3
    doc.save().moveTo(canvas.left, ruleY).lineTo(canvas.left + canvas.width, ruleY).lineWidth(0.5).strokeColor(COLORS.rule).stroke().restore()

    doc.save().moveTo(canvas.left, footerY - 5).lineTo(canvas.left + canvas.width, footerY - 5).lineWidth(0.5).strokeColor(COLORS.rule).stroke().restore()
    const page = t('pdf.footer.page', { page: index - range.start + 1, pages: range.count })
    canvas.drawText(generated, canvas.left, footerY, small, 'footer')
    // The short code and where to check it, on a line of their own (the URL makes it long).
    canvas.drawText(fingerprint, canvas.left, footerY + canvas.lineHeight(small) + 1, small, 'footer')
    canvas.drawText(page, canvas.left + canvas.width - canvas.measure(page, small), footerY, small, 'footer')
  }
}

/** A QR code drawn as vector squares on a white quiet zone (no image, so it prints sharp at any size). */
function drawQrCode(doc: PDFKit.PDFDocument, text: string, x: number, y: number, size: number) {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' })
  const quiet = 2
  const cell = size / (modules.size + quiet * 2)
  doc.save().rect(x, y, size, size).fill('#ffffff')
  for (let row = 0; row < modules.size; row++) {
    for (let column = 0; column < modules.size; column++) {
      if (modules.get(row, column)) doc.rect(x + (column + quiet) * cell, y + (row + quiet) * cell, cell, cell)
    }
  }
  doc.fill('#000000').restore()
}
