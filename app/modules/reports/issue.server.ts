// Issuing a report: build its data, fingerprint it, record the fingerprint, render the PDF.
import { Readable } from 'node:stream'
import { Types } from 'mongoose'
import { appUrl } from '~/env.server'
import type { Locale } from '~/i18n/locales'
import { recordAudit } from '~/modules/audit/audit.server'
import { reportFingerprint } from './fingerprint.server'
import { composeReport, renderReport } from './render.server'
import { normalizeFingerprint, parseReportCode, reportIdOf, SHORT_CODE_LENGTH, type ReportData } from './report-data'
import { loadReportData } from './report-source.server'
import { findReport, recordReportIssue, type ReportRecord } from './report-store.server'
import { dayIn } from '~/modules/dates/dates'

export interface ReportActor {
  id: string
  name: string
}

export type IssueFailure = { status: 'not_found' } | { status: 'not_reportable'; assessmentStatus: string }

interface Prepared {
  status: 'ok'
  data: ReportData
  vendorId: string
  fingerprint: string
  reportId: string
  filename: { ascii: string; unicode: string }
}

/** The report's data and fingerprint. */
async function prepare({ assessmentId, locale, now }: { assessmentId: string; locale: Locale; now: Date }): Promise<Prepared | IssueFailure> {
  const loaded = await loadReportData(assessmentId, locale)
  if (loaded.status !== 'ok') return loaded
  const { data } = loaded
  const fingerprint = reportFingerprint(data)
  const reportId = reportIdOf(data.assessment.id, fingerprint)
  return { status: 'ok', data, vendorId: loaded.vendorId, fingerprint, reportId, filename: filenameOf(data, now) }
}

/** For the download route: the PDF as a stream, laid out before the first byte is sent. */
export async function issueReportStream(input: { assessmentId: string; locale: Locale; actor: ReportActor; now?: Date }) {
  const now = input.now ?? new Date()
  const issued = await prepare({ ...input, now })
  if (issued.status !== 'ok') return issued
  // Laid out completely before anything is recorded or sent: a failure leaves no trace.
  const composed = await composeReport(issued.data, { fingerprint: issued.fingerprint, generatedAt: now, verifyUrl: verifyUrl() })
  await recordIssue({ ...issued, pages: composed.pages, actor: input.actor, now })
  await recordAudit({
    actor: { kind: 'user', id: input.actor.id, label: input.actor.name },
    action: 'report.download',
    subject: { kind: 'assessment', id: issued.data.assessment.id },
    details: { fingerprint: issued.fingerprint, locale: input.locale, pages: composed.pages },
  })
  // A PDFKit document is a Node Readable at run time; its types do not say so.
  const body = Readable.toWeb(composed.doc as unknown as Readable) as ReadableStream<Uint8Array>
  return { ...issued, doc: composed.doc, body, pages: composed.pages }
}

/** For batches: the whole PDF in memory. */
export async function issueReportBuffer(input: { assessmentId: string; locale: Locale; actor: ReportActor; now?: Date }) {
  const now = input.now ?? new Date()
  const issued = await prepare({ ...input, now })
  if (issued.status !== 'ok') return issued
  const rendered = await renderReport(issued.data, { fingerprint: issued.fingerprint, generatedAt: now, verifyUrl: verifyUrl() })
  await recordIssue({ ...issued, pages: rendered.pages, actor: input.actor, now })
  return { ...issued, pdf: rendered.pdf, pages: rendered.pages }
}

/** The public verification page printed on every report (no account needed). */
export function verifyUrl(): string {
  return `${appUrl()}/verify`
}

/** One atomic upsert: the first issue creates the record, later ones only count and stamp. */
async function recordIssue({ data, fingerprint, reportId, vendorId, pages, actor, now }: Prepared & { pages: number; actor: ReportActor; now: Date }) {
  const by = { id: actor.id, name: actor.name }
  await recordReportIssue(
    {
      fingerprint,
      reportId,
      shortCode: fingerprint.slice(0, SHORT_CODE_LENGTH),
      assessmentId: new Types.ObjectId(data.assessment.id),
      vendorId: Types.ObjectId.isValid(vendorId) ? new Types.ObjectId(vendorId) : undefined,
      locale: data.locale,
      summary: {
        vendorName: data.vendor.name,
        assessmentStatus: data.assessment.status,
        controlScore: data.score.controlScore ?? undefined,
        residualRisk: data.score.residualRisk ?? undefined,
        findings: data.findings.length,
        pages,
        signedOffAt: data.signOff ? new Date(data.signOff.at) : undefined,
      },
      generatedAt: now,
      generatedBy: by,
    },
    { at: now, by },
  )
}

export interface VerifiedReport {
  fingerprint: string
  reportId: string
  /** What the report is about: an assessment's page, or an incident's. */
  subjectPath: string
  assessmentId: string
  locale: Locale
  vendorName: { 'zh-CN': string; en: string }
  assessmentStatus: string
  controlScore: number | null
  residualRisk: string | null
  findings: number
  signedOffAt: string | null
  firstIssuedAt: string
  firstIssuedBy: string
  lastIssuedAt: string
  lastIssuedBy: string
  downloads: number
}

type PrintedSummary = Pick<VerifiedReport, 'vendorName' | 'assessmentStatus' | 'controlScore' | 'residualRisk' | 'findings' | 'signedOffAt'>

/** The summary a report prints, as both checks show it; an old record without one shows blanks. */
function printedSummary(summary: ReportRecord['summary'] | undefined): PrintedSummary {
  return {
    vendorName: { 'zh-CN': summary?.vendorName?.['zh-CN'] ?? '', en: summary?.vendorName?.en ?? '' },
    assessmentStatus: summary?.assessmentStatus ?? '',
    controlScore: summary?.controlScore ?? null,
    residualRisk: summary?.residualRisk ?? null,
    findings: summary?.findings ?? 0,
    signedOffAt: summary?.signedOffAt?.toISOString() ?? null,
  }
}

export type VerifyResult = { status: 'malformed' } | { status: 'unknown'; fingerprint: string } | { status: 'genuine'; report: VerifiedReport }

/** Looks a fingerprint up; only a normalised 64-hex string ever reaches the query. */
export async function verifyFingerprint(input: string): Promise<VerifyResult> {
  const fingerprint = normalizeFingerprint(input)
  if (!fingerprint) return { status: 'malformed' }
  const record = await findReport({ fingerprint })
  if (!record) return { status: 'unknown', fingerprint }
  return {
    status: 'genuine',
    report: {
      fingerprint,
      reportId: record.reportId,
      subjectPath: record.incidentId ? `/incidents/${String(record.incidentId)}` : `/assessments/${String(record.assessmentId)}`,
      assessmentId: record.assessmentId ? String(record.assessmentId) : '',
      locale: record.locale,
      ...printedSummary(record.summary),
      firstIssuedAt: record.generatedAt.toISOString(),
      firstIssuedBy: record.generatedBy?.name ?? '',
      lastIssuedAt: record.lastGeneratedAt.toISOString(),
      lastIssuedBy: record.lastGeneratedBy?.name ?? '',
      downloads: record.downloads ?? 1,
    },
  }
}

/** What the public page shows: only what the report itself prints, nothing about who downloaded it. */
export interface PublicVerifiedReport {
  reportId: string
  locale: Locale
  vendorName: { 'zh-CN': string; en: string }
  assessmentStatus: string
  controlScore: number | null
  residualRisk: string | null
  findings: number
  signedOffAt: string | null
  issuedAt: string
  fingerprint: string
}

export type PublicVerifyResult = { status: 'malformed' } | { status: 'unknown' } | { status: 'genuine'; report: PublicVerifiedReport }

/**
 * The public check of a printed code (short or full): one exact lookup on a unique index, so a
 * code reveals the one report it names and nothing about any other.
 */
export async function verifyReportCode(input: string): Promise<PublicVerifyResult> {
  const code = parseReportCode(input)
  if (!code) return { status: 'malformed' }
  const record = await findReport(code.kind === 'full' ? { fingerprint: code.fingerprint } : { shortCode: code.shortCode })
  if (!record) return { status: 'unknown' }
  return {
    status: 'genuine',
    report: {
      reportId: record.reportId,
      locale: record.locale,
      ...printedSummary(record.summary),
      issuedAt: record.generatedAt.toISOString(),
      fingerprint: record.fingerprint,
    },
  }
}

/** "clausewise-report_shanghai-yunfu-technology_2025-03-12_en.pdf", and a UTF-8 form with the name in the report's language. */
export function filenameOf(data: ReportData, now: Date): { ascii: string; unicode: string } {
  const date = dayIn(now, data.institution.timeZone) // the institution's calendar day, as on every page
  const slug =
    data.vendor.name.en
      .normalize('NFKD')
      .replace(/[^\w\s-]/g, '')
      .trim()
      .toLowerCase()
      .replace(/[\s_]+/g, '-')
      .replace(/-+/g, '-')
      .slice(0, 60) || data.assessment.id
  const localName = (data.vendor.name[data.locale] || data.vendor.name.en).replace(/[\\/:*?"<>|\u0000-\u001f]/g, '').slice(0, 80)
  const label = data.locale === 'zh-CN' ? '评估报告' : 'assessment-report'
  return { ascii: `clausewise-report_${slug}_${date}_${data.locale}.pdf`, unicode: `${localName}_${label}_${date}.pdf` }
}

export function contentDisposition(filename: { ascii: string; unicode: string }): string {
  return `attachment; filename="${filename.ascii}"; filename*=UTF-8''${encodeURIComponent(filename.unicode)}`
}
