// The incident report PDF (cover facts, clause deadline, affected data, tasks, timeline) in either
// language, with the assessment reports' engine (app/modules/reports/canvas.server.ts) and their
// fingerprint: SHA-256 of the canonical JSON of what the report says, printed on it and recorded
// in the reports collection, so /reports/verify recognises it the same way.
import { createHash } from 'node:crypto'
import type { TFunction } from 'i18next'
import { Types } from 'mongoose'
import { getEnv } from '~/env.server'
import { translatorFor } from '~/i18n/i18n.server'
import type { Locale } from '~/i18n/locales'
import { recordAudit } from '~/modules/audit/audit.server'
import { A4, Canvas, COLORS, createDocument, MARGIN, type CellPart, type DrawnLine } from '~/modules/reports/canvas.server'
import { formatDateTime, formatNumber } from '~/modules/reports/format'
import { verifyUrl } from '~/modules/reports/issue.server'
import { canonicalJson, formatFingerprint } from '~/modules/reports/report-data'
import { recordReportIssue } from '~/modules/reports/report-store.server'
import { toIncidentView, type IncidentView } from './incidents.server'
import { findIncident } from './incident-store.server'

export const INCIDENT_REPORT_SCHEMA_VERSION = 1

/** Everything the PDF says, and nothing else: the fingerprint is taken over this. */
export interface IncidentReportData {
  schemaVersion: number
  kind: 'incident'
  locale: Locale
  institution: { name: string; timeZone: string }
  incident: Omit<IncidentView, 'version' | 'attachments' | 'tasks' | 'timeline'> & {
    attachments: { filename: string; size: number }[]
    tasks: { kind: string; ownerName: string; dueAt: string; doneAt: string | null; overdue: boolean }[]
    timeline: { at: string; event: string; by: string; note: string }[]
  }
}

export function incidentReportData(incident: IncidentView, locale: Locale, now: Date): IncidentReportData {
  const { version: _version, attachments, tasks, timeline, ...rest } = incident
  return {
    schemaVersion: INCIDENT_REPORT_SCHEMA_VERSION,
    kind: 'incident',
    locale,
    institution: { name: getEnv().INSTITUTION_NAME, timeZone: getEnv().INSTITUTION_TIMEZONE },
    incident: {
      ...rest,
      attachments: attachments.map((file) => ({ filename: file.filename, size: file.size })),
      // Overdue depends on the day it is printed: part of what the report says.
      tasks: tasks.map((task) => ({ kind: task.kind, ownerName: task.ownerName, dueAt: task.dueAt, doneAt: task.doneAt, overdue: !task.doneAt && new Date(task.dueAt).getTime() < now.getTime() })),
      timeline: timeline.map((entry) => ({ at: entry.at, event: entry.event, by: entry.by, note: entry.note })),
    },
  }
}

export function incidentReportFingerprint(data: IncidentReportData): string {
  return createHash('sha256').update(canonicalJson(data), 'utf8').digest('hex')
}

const plain = (text: string, extra: Partial<CellPart> = {}): CellPart => ({ text, ...extra })

export async function renderIncidentReport(data: IncidentReportData, options: { fingerprint: string; generatedAt: Date; verifyUrl: string }): Promise<{ pdf: Buffer; pages: number; lines: DrawnLine[] }> {
  const t = (await translatorFor(data.locale, 'incidents')) as TFunction
  const tv = (await translatorFor(data.locale, 'vendors')) as TFunction
  const incident = data.incident
  const zone = data.institution.timeZone
  const when = (iso: string | null) => formatDateTime(iso, zone)
  const vendorName = incident.vendorName[data.locale] || incident.vendorName.en || incident.vendorName['zh-CN']
  const doc = createDocument(
    { Title: `${t('pdf.title')} — ${incident.reference}`, Author: data.institution.name, Subject: incident.reference, Keywords: options.fingerprint, Creator: 'Clausewise', Producer: 'Clausewise', CreationDate: options.generatedAt },
    data.locale,
  )
  const canvas = new Canvas(doc)
  const heading = (text: string) => {
    const style = canvas.style({ font: 'bold', size: 13, color: COLORS.accent })
    canvas.ensure(canvas.lineHeight(style) + 60)
    canvas.paragraph({ text, ...style }, { gapAfter: 2 })
    canvas.rule(COLORS.accent, 1)
    canvas.y += 6
  }
  const keyValues = (rows: [string, string | CellPart[]][]) =>
    canvas.table(
      [
        { header: '', width: 32 },
        { header: '', width: 68 },
      ],
      rows.map(([key, value]) => [[plain(key, { font: 'bold', size: 9, color: COLORS.muted })], typeof value === 'string' ? [plain(value)] : value]),
      { header: false, stripe: true, minRowLines: 1 },
    )
  const list = (items: string[]) => (items.length ? items.join(data.locale === 'en' ? ', ' : '、') : t('detail.none'))
  const severityParams = (params: Record<string, unknown>) => {
    const out: Record<string, unknown> = { ...params }
    for (const key of ['severity', 'from', 'to']) if (typeof out[key] === 'string') out[key] = t(`severity.${out[key]}`)
    if (typeof out.band === 'string') out.band = t(`band.${out.band}`)
    if (typeof out.categories === 'string') out.categories = list(out.categories.split(', ').map((category) => String(tv(`piCategory.${category}`))))
    return out
  }

  doc.save().rect(0, 0, A4.width, 6).fill(COLORS.accent).restore()
  canvas.y = 80
  canvas.paragraph({ text: data.institution.name, size: 11, color: COLORS.muted }, { gapAfter: 2 })
  canvas.paragraph({ text: t('pdf.title'), font: 'bold', size: 20, color: COLORS.ink }, { gapAfter: 6 })
  canvas.paragraph({ text: `${incident.reference} · ${incident.title}`, font: 'bold', size: 13, color: COLORS.accent }, { gapAfter: 10 })
  keyValues([
    [t('pdf.vendor'), [plain(incident.vendorName['zh-CN']), plain(incident.vendorName.en)]],
    [t('pdf.status'), t(`status.${incident.status}`)],
    [t('pdf.severity'), `${t(`severity.${incident.severity.effective}`)}${incident.severity.override ? ` (${t('detail.overridden', { severity: t(`severity.${incident.severity.override.severity}`), name: incident.severity.override.byName })}: ${incident.severity.override.justification})` : ''}`],
    [t('pdf.source'), `${t(`source.${incident.source}`)} · ${incident.reporterName}`],
    [t('pdf.reportedAt'), when(incident.createdAt)],
  ])
  canvas.y += 10

  heading(t('pdf.clock'))
  const clock = incident.notification
  const late = clock.lateMinutes
  const lateText = data.locale === 'en' ? `${Math.floor(late / 60)} h ${late % 60} min` : `${Math.floor(late / 60)}小时${late % 60}分钟`
  keyValues([
    [t('pdf.rule'), clock.clauseId ? t('detail.deadlineRule', { hours: clock.hours, clause: clock.clauseId, contract: clock.contractReference ?? '—' }) : t('detail.deadlineDefault', { hours: clock.hours })],
    [t('pdf.occurred'), when(incident.occurredAt)],
    [t('pdf.detected'), when(incident.detectedAt)],
    [t('pdf.deadline'), when(clock.deadline)],
    [t('pdf.notified'), when(incident.notifiedAt)],
    [t('pdf.result'), [plain(clock.state === 'met' ? t('detail.met') : t('detail.missed', { duration: lateText }), { font: 'bold', color: clock.state === 'met' ? COLORS.good : COLORS.bad })]],
  ])
  canvas.y += 10

  heading(t('pdf.facts'))
  canvas.paragraph({ text: incident.description, size: 9.5 }, { gapAfter: 6 })
  keyValues([
    [t('pdf.cause'), t(`cause.${incident.cause}`)],
    [t('pdf.containment'), incident.containment || t('detail.none')],
  ])
  canvas.y += 10

  heading(t('pdf.affected'))
  keyValues([
    [t('pdf.categories'), list(incident.piCategories.map((category) => String(tv(`piCategory.${category}`))))],
    [t('pdf.records'), formatNumber(incident.recordCount, data.locale)],
    [t('pdf.customers'), formatNumber(incident.customerCount, data.locale)],
    [t('pdf.crossBorder'), incident.crossBorder ? t('detail.yes') : t('detail.no')],
    [t('pdf.reasons'), incident.severity.reasons.map((reason) => plain(`• ${t(`reasons.${reason.code}`, severityParams(reason.params))}`))],
  ])
  canvas.y += 10

  heading(t('pdf.tasks'))
  canvas.table(
    [
      { header: t('pdf.task'), width: 34 },
      { header: t('pdf.owner'), width: 24 },
      { header: t('pdf.due'), width: 20 },
      { header: t('pdf.state'), width: 22 },
    ],
    incident.tasks.map((task) => [
      [plain(t(`task.kind.${task.kind}`), { font: 'bold' })],
      [plain(task.ownerName || t('task.noOwner'))],
      [plain(when(task.dueAt))],
      [plain(task.doneAt ? t('pdf.done', { date: when(task.doneAt) }) : task.overdue ? t('pdf.overdue') : t('pdf.open'), { color: task.doneAt ? COLORS.good : task.overdue ? COLORS.bad : COLORS.text })],
    ]),
  )
  canvas.y += 10

  heading(t('pdf.timeline'))
  canvas.table(
    [
      { header: t('pdf.at'), width: 22 },
      { header: t('pdf.event'), width: 48 },
      { header: t('pdf.by'), width: 30 },
    ],
    incident.timeline.map((entry) => [[plain(when(entry.at))], [plain(t(`timeline.${entry.event}`, { defaultValue: entry.event })), ...(entry.note ? [plain(entry.note, { size: 8.5, color: COLORS.muted })] : [])], [plain(entry.by)]]),
  )
  canvas.y += 14

  // The fingerprint, as on assessment reports.
  canvas.ensure(70)
  canvas.paragraph({ text: t('pdf.fingerprint'), font: 'bold', size: 8.5, color: COLORS.accent }, { gapAfter: 1 })
  canvas.paragraph({ text: formatFingerprint(options.fingerprint), font: 'bold', size: 10, color: COLORS.ink }, { gapAfter: 2 })
  canvas.paragraph({ text: t('pdf.fingerprintHint', { url: options.verifyUrl }), size: 8, color: COLORS.muted }, { gapAfter: 4 })
  canvas.paragraph({ text: t('pdf.confidential'), size: 8, color: COLORS.muted })

  const range = doc.bufferedPageRange()
  const small = canvas.style({ size: 7.5, color: COLORS.muted })
  const footerY = A4.height - MARGIN.bottom + 20
  const left = `${data.institution.name} · ${t('pdf.header')} · ${vendorName}`
  for (let index = range.start; index < range.start + range.count; index += 1) {
    canvas.switchToPage(index)
    canvas.drawText(canvas.wrap(left, canvas.width, small)[0] ?? '', canvas.left, 34, small, 'header')
    const generated = t('pdf.footer.generated', { at: `${formatDateTime(options.generatedAt, zone)} (${zone})` })
    const fingerprint = t('pdf.footer.fingerprint', { short: `${options.fingerprint.slice(0, 16)}…` })
    const page = t('pdf.footer.page', { page: index - range.start + 1, pages: range.count })
    canvas.drawText(generated, canvas.left, footerY, small, 'footer')
    canvas.drawText(fingerprint, canvas.left + (canvas.width - canvas.measure(fingerprint, small)) / 2 + 20, footerY, small, 'footer')
    canvas.drawText(page, canvas.left + canvas.width - canvas.measure(page, small), footerY, small, 'footer')
  }
  canvas.flushText()
  const pages = canvas.page + 1
  doc.end()
  const chunks: Buffer[] = []
  // A PDFKit document is a Node Readable at run time; its types do not say so.
  for await (const chunk of doc as unknown as AsyncIterable<Buffer>) chunks.push(chunk)
  return { pdf: Buffer.concat(chunks), pages, lines: canvas.lines }
}

export type IssuedIncidentReport = { ok: true; pdf: Buffer; pages: number; fingerprint: string; filename: { ascii: string; unicode: string } } | { ok: false }

/** Builds, fingerprints, records (one upsert per distinct content) and renders the report. */
export async function issueIncidentReport(input: { incidentId: string; locale: Locale; actor: { id: string; name: string }; now?: Date }): Promise<IssuedIncidentReport> {
  const now = input.now ?? new Date()
  if (!Types.ObjectId.isValid(input.incidentId)) return { ok: false }
  const document = await findIncident(input.incidentId)
  if (!document) return { ok: false }
  const data = incidentReportData(toIncidentView(document, now), input.locale, now)
  const fingerprint = incidentReportFingerprint(data)
  const rendered = await renderIncidentReport(data, { fingerprint, generatedAt: now, verifyUrl: verifyUrl() })
  const by = { id: input.actor.id, name: input.actor.name }
  await recordReportIssue(
    {
      fingerprint,
      reportId: `${data.incident.reference}-${fingerprint.slice(0, 8).toUpperCase()}`,
      kind: 'incident',
      incidentId: document._id,
      vendorId: document.vendorId,
      locale: input.locale,
      summary: { vendorName: data.incident.vendorName, assessmentStatus: data.incident.status, findings: data.incident.notification.findingId ? 1 : 0, pages: rendered.pages },
      generatedAt: now,
      generatedBy: by,
    },
    { at: now, by },
  )
  await recordAudit({ actor: { kind: 'user', id: input.actor.id, label: input.actor.name }, action: 'incident.report_download', subject: { kind: 'incident', id: input.incidentId }, details: { fingerprint, locale: input.locale, pages: rendered.pages } })
  const label = input.locale === 'zh-CN' ? '安全事件报告' : 'incident-report'
  return {
    ok: true,
    pdf: rendered.pdf,
    pages: rendered.pages,
    fingerprint,
    filename: { ascii: `clausewise-incident_${data.incident.reference}_${input.locale}.pdf`, unicode: `${data.incident.reference}_${label}.pdf` },
  }
}
