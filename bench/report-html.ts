// The same report as an HTML page, for the benchmark's Chromium side: what a tool that prints
// HTML to PDF would render. Same sections, same content, an SVG gauge, print CSS for page breaks;
// headers and footers with "page X of Y" come from Chromium's own header/footer templates.
import { translatorFor } from '~/i18n/i18n.server'
import { formatDate, formatDateTime, formatScore } from '~/modules/reports/format'
import { CLAUSE_STATUSES, formatFingerprint, reportIdOf, topFindings, type ReportData } from '~/modules/reports/report-data'

const escape = (text: string) => text.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char]!)
const paragraphs = (text: string) => escape(text).replace(/\n/g, '<br>')

function gauge(score: number | null): string {
  const value = score ?? 0
  const angle = Math.PI * (1 - value / 100)
  const x = 100 + 80 * Math.cos(angle)
  const y = 100 - 80 * Math.sin(angle)
  return `<svg width="200" height="120" viewBox="0 0 200 120"><path d="M 20 100 A 80 80 0 0 1 180 100" stroke="#e2e8f0" stroke-width="16" fill="none"/><path d="M 20 100 A 80 80 0 0 1 ${x.toFixed(2)} ${y.toFixed(2)}" stroke="#0369a1" stroke-width="16" fill="none"/><text x="100" y="92" text-anchor="middle" font-size="30" font-weight="700" fill="#0369a1">${score === null ? '—' : formatScore(score)}</text></svg>`
}

export async function reportHtml(data: ReportData, fingerprint: string, generatedAt: Date): Promise<{ html: string; header: string; footer: string }> {
  const t = await translatorFor(data.locale, 'reports')
  const tz = data.institution.timeZone
  const vendor = data.vendor.name[data.locale]
  const rows = (cells: string[][]) => cells.map((row) => `<tr>${row.map((cell) => `<td>${cell}</td>`).join('')}</tr>`).join('')
  const html = `<!doctype html><html lang="${data.locale}"><head><meta charset="utf-8"><style>
  @page { size: A4; margin: 70pt 50pt 64pt 50pt }
  body { font-family: 'Noto Sans CJK SC', 'Noto Sans SC', sans-serif; font-size: 9.5pt; color: #1e293b; }
  h1 { font-size: 20pt } h2 { color: #0369a1; font-size: 15pt; border-bottom: 1pt solid #0369a1; page-break-after: avoid }
  table { width: 100%; border-collapse: collapse } thead { display: table-header-group }
  th { background: #f1f5f9; text-align: left; font-size: 8.5pt } td, th { padding: 4pt 5pt; border-bottom: 0.5pt solid #e2e8f0; vertical-align: top }
  tr { break-inside: auto } .section { page-break-before: always } .muted { color: #64748b; font-size: 8.5pt }
  .qa { display: grid; grid-template-columns: 62pt 1fr; border-bottom: 0.4pt solid #e2e8f0; padding: 4pt 0 } .id { color: #0369a1; font-weight: 700 }
  .fp { background: #e0f2fe; padding: 12pt; border-radius: 4pt; font-weight: 700 }
  </style></head><body>
  <p class="muted">${escape(data.institution.name)}</p><h1>${escape(t('pdf.title'))}</h1>
  <h2>${escape(data.vendor.name['zh-CN'])}<br>${escape(data.vendor.name.en)}</h2>
  <table>${rows([
    [t('pdf.cover.category'), escape(t(`pdf.category.${data.vendor.category}`))],
    [t('pdf.cover.tier'), escape(t(`pdf.tier.${data.vendor.tier.effective}`))],
    [t('pdf.cover.period'), escape(t('pdf.cover.periodValue', { sent: formatDate(data.assessment.sentAt, tz), due: formatDate(data.assessment.dueAt, tz) }))],
    [t('pdf.cover.submitted'), formatDate(data.assessment.submittedAt, tz)],
    [t('pdf.cover.questionnaires'), data.assessment.questionnaires.map((q) => escape(`${q.title} v${q.version}`)).join('<br>')],
    [t('pdf.cover.contract'), escape(data.assessment.contractReference ?? '')],
    [t('pdf.cover.preparedBy'), escape(data.assessment.preparedBy)],
    [t('pdf.cover.reportId'), reportIdOf(data.assessment.id, fingerprint)],
  ])}</table>
  <p class="fp">${escape(t('pdf.cover.fingerprint'))}<br>${formatFingerprint(fingerprint)}</p>
  <div class="section"><h2>${escape(t('pdf.summary.title'))}</h2>${gauge(data.score.controlScore)}
  <p>${escape(t('pdf.summary.residualRisk'))}: <b>${data.score.residualRisk ? escape(t(`pdf.residual.${data.score.residualRisk}`)) : '—'}</b></p>
  <table>${rows(CLAUSE_STATUSES.map((status) => [escape(t(`pdf.clauseStatus.${status}`)), String(data.score.counts[status])]))}</table>
  <h3>${escape(t('pdf.summary.topFindings'))}</h3><table>${rows(topFindings(data.findings).map((f) => [f.reference, escape(t(`pdf.severity.${f.severity}`)), escape(f.title)]))}</table>
  <h2>${escape(t('pdf.profile.title'))}</h2><table>${rows([
    [t('pdf.profile.piCategories'), data.vendor.dataProfile.piCategories.map((code) => escape(t(`pdf.pi.${code}`))).join('、')],
    [t('pdf.profile.sensitivity'), escape(t(`pdf.sensitivity.${data.vendor.dataProfile.sensitivity}`))],
    [t('pdf.profile.recordCount'), String(data.vendor.dataProfile.recordCount)],
    [t('pdf.profile.subProcessors'), data.vendor.dataProfile.subProcessors.map((sub) => escape(sub.name)).join('<br>')],
    [t('pdf.profile.tierReasons'), data.vendor.tier.reasons.map(escape).join('<br>')],
  ])}</table></div>
  <div class="section"><h2>${escape(t('pdf.clauses.title'))}</h2><table><thead><tr><th>${escape(t('pdf.clauses.clause'))}</th><th>${escape(t('pdf.clauses.result'))}</th><th>${escape(t('pdf.clauses.decidingAnswers'))}</th><th>${escape(t('pdf.clauses.override'))}</th></tr></thead><tbody>${rows(
    data.clauses.map((clause) => [
      `<b>${clause.id}</b><br>${escape(clause.title)}<br><span class="muted">${escape(t(`pdf.severity.${clause.severity}`))}</span>`,
      escape(t(`pdf.clauseStatus.${clause.status}`)),
      clause.decidingAnswers.map((answer) => `<b>${answer.questionId}</b> ${escape(answer.question)}<br>→ ${escape(answer.answer)}`).join('<br>'),
      clause.override ? `${escape(clause.override.justification)}<br><span class="muted">${escape(clause.override.byName ?? '')}</span>` : '—',
    ]),
  )}</tbody></table>
  <h2>${escape(t('pdf.findings.title'))}</h2><table><thead><tr><th>${escape(t('pdf.findings.reference'))}</th><th>${escape(t('pdf.findings.severity'))}</th><th>${escape(t('pdf.findings.finding'))}</th><th>${escape(t('pdf.findings.remediation'))}</th><th>${escape(t('pdf.findings.due'))}</th></tr></thead><tbody>${rows(
    data.findings.map((f) => [f.reference, escape(t(`pdf.severity.${f.severity}`)), `<b>${escape(f.title)}</b><br>${paragraphs(f.description)}`, paragraphs(f.remediation), `${escape(f.owner ?? '')}<br>${formatDate(f.dueAt, tz)}`]),
  )}</tbody></table></div>
  <div class="section"><h2>${escape(t('pdf.appendix.title'))}</h2>${data.sections
    .map(
      (section) =>
        `<h3>${escape(section.title)}</h3>${section.questions
          .map(
            (q) =>
              `<div class="qa"><span class="id">${q.id}</span><div><b>${escape(q.text)}</b><br>${escape(t('pdf.appendix.answer'))}: ${paragraphs(q.answer)}${q.comment ? `<br>${escape(t('pdf.appendix.comment'))}: ${paragraphs(q.comment)}` : ''}${q.evidence.length ? `<br>${escape(t('pdf.appendix.evidence'))}: ${q.evidence.map(escape).join(', ')}` : ''}</div></div>`,
          )
          .join('')}`,
    )
    .join('')}
  <h2>${escape(t('pdf.signOff.title'))}</h2><p>${data.signOff ? `${escape(data.signOff.byName)} · ${formatDateTime(data.signOff.at, tz)}` : escape(t('pdf.signOff.pending'))}</p></div>
  </body></html>`
  const small = 'font-family: sans-serif; font-size: 7.5pt; color: #64748b; width: 100%; margin: 0 50pt; display: flex; justify-content: space-between'
  const header = `<div style="${small}"><span>${escape(data.institution.name)}</span><span>${escape(vendor)}</span></div>`
  const footer = `<div style="${small}"><span>${escape(t('pdf.footer.generated', { at: formatDateTime(generatedAt, tz) }))}</span><span>${fingerprint.slice(0, 16)}…</span><span><span class="pageNumber"></span> / <span class="totalPages"></span></span></div>`
  return { html, header, footer }
}
