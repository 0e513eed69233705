// Workbooks staff download: one assessment's answers, clause results and findings; the vendor
// list; the findings list. Each reads the same data as its page, PDF or CSV (no second query or
// filter) and only lays it out with the shared writer.
import type ExcelJS from 'exceljs'
import { getEnv } from '~/env.server'
import { severityLabel } from '~/i18n/glossary'
import { translatorFor } from '~/i18n/i18n.server'
import type { Locale } from '~/i18n/locales'
import { listAllFindings } from '~/modules/findings/findings.server'
import type { FindingListQuery } from '~/modules/findings/schemas'
import { loadReportData } from '~/modules/reports/report-source.server'
import { vendorExportTable } from '~/modules/vendors/csv.server'
import type { VendorListQuery } from '~/modules/vendors/schemas'
import { addTableSheet, newWorkbook } from './write-workbook.server'
import { dayIn } from '~/modules/dates/dates'

export interface StaffWorkbook {
  workbook: ExcelJS.Workbook
  filename: string
  asciiName: string
}

/** A calendar day in the institution's time zone, as YYYY-MM-DD (sorts and filters in Excel). */
function dayOf(instant: string | undefined, timeZone: string): string {
  if (!instant) return ''
  return dayIn(instant, timeZone)
}

const today = () => new Date().toISOString().slice(0, 10)

export type AssessmentWorkbookResult = { status: 'ok'; file: StaffWorkbook } | { status: 'not_found' } | { status: 'not_reportable' }

/**
 * One assessment as three sheets (Answers, Clauses, Findings), from the same data as its PDF
 * report: what the workbook says always agrees with what the report says.
 */
export async function assessmentWorkbook(assessmentId: string, locale: Locale): Promise<AssessmentWorkbookResult> {
  const loaded = await loadReportData(assessmentId, locale)
  if (loaded.status !== 'ok') return { status: loaded.status }
  const { data } = loaded
  const t = await translatorFor(locale, 'spreadsheets')
  const reports = await translatorFor(locale, 'reports')
  const timeZone = data.institution.timeZone
  const workbook = newWorkbook()

  const decisions = new Map(data.decisions.map((decision) => [decision.questionId, decision]))
  const answers = addTableSheet(workbook, t('exports.sheets.answers'), [
    { key: 'section', header: t('exports.answers.section'), width: 24, wrap: true },
    { key: 'questionId', header: t('exports.answers.questionId'), width: 12 },
    { key: 'question', header: t('exports.answers.question'), width: 60, wrap: true },
    { key: 'answer', header: t('exports.answers.answer'), width: 36, wrap: true },
    { key: 'comment', header: t('exports.answers.comment'), width: 36, wrap: true },
    { key: 'evidence', header: t('exports.answers.evidence'), width: 30, wrap: true },
    { key: 'decision', header: t('exports.answers.decision'), width: 30, wrap: true },
  ])
  for (const section of data.sections) {
    for (const question of section.questions) {
      const decision = decisions.get(question.id)
      answers.addRow({
        section: section.title,
        questionId: question.id,
        question: question.text,
        answer: question.answer,
        comment: question.comment ?? '',
        evidence: question.evidence.join('\n'),
        decision: decision ? [t(`exports.decision.${decision.decision}`), decision.comment].filter(Boolean).join(': ') : '',
      })
    }
  }

  const clauses = addTableSheet(workbook, t('exports.sheets.clauses'), [
    { key: 'id', header: t('exports.clauses.id'), width: 14 },
    { key: 'title', header: t('exports.clauses.title'), width: 50, wrap: true },
    { key: 'result', header: t('exports.clauses.result'), width: 16 },
    { key: 'effect', header: t('exports.clauses.effect'), width: 12 },
    { key: 'knockOut', header: t('exports.clauses.knockOut'), width: 12 },
    { key: 'overridden', header: t('exports.clauses.overridden'), width: 40, wrap: true },
  ])
  for (const clause of data.clauses) {
    clauses.addRow({
      id: clause.id,
      title: clause.title,
      result: reports(`pdf.clauseStatus.${clause.status}`),
      effect: severityLabel(reports, clause.severity),
      knockOut: clause.knockOut ? t('exports.yes') : t('exports.no'),
      overridden: clause.override ? `${reports(`pdf.clauseStatus.${clause.override.from}`)} → ${reports(`pdf.clauseStatus.${clause.status}`)}: ${clause.override.justification}` : '',
    })
  }

  const findings = addTableSheet(workbook, t('exports.sheets.findings'), [
    { key: 'reference', header: t('exports.findings.reference'), width: 10 },
    { key: 'title', header: t('exports.findings.title'), width: 50, wrap: true },
    { key: 'severity', header: t('exports.findings.severity'), width: 12 },
    { key: 'status', header: t('exports.findings.status'), width: 16 },
    { key: 'dueAt', header: t('exports.findings.dueAt'), width: 14 },
    { key: 'owner', header: t('exports.findings.owner'), width: 20 },
    { key: 'clauses', header: t('exports.findings.clauses'), width: 20 },
  ])
  for (const finding of data.findings) {
    findings.addRow({
      reference: finding.reference,
      title: finding.title,
      severity: severityLabel(reports, finding.severity),
      status: reports(`pdf.findings.statusLabels.${finding.status}`, { defaultValue: finding.status }),
      dueAt: dayOf(finding.dueAt, timeZone),
      owner: finding.owner ?? '',
      clauses: finding.clauseIds.join(', '),
    })
  }

  const vendorName = data.vendor.name[locale] || data.vendor.name.en || data.vendor.name['zh-CN']
  const ascii = `assessment-${assessmentId}-${today()}.xlsx`
  return { status: 'ok', file: { workbook, filename: locale === 'en' ? ascii : `${vendorName}-评估答复-${today()}.xlsx`, asciiName: ascii } }
}

/** The vendor list with the page's filters and order: the CSV export's rows, in a workbook. */
export async function vendorsWorkbook(query: VendorListQuery, locale: Locale): Promise<StaffWorkbook> {
  const t = await translatorFor(locale, 'spreadsheets')
  const { columns, header, rows } = await vendorExportTable(query, locale)
  const workbook = newWorkbook()
  const sheet = addTableSheet(
    workbook,
    t('exports.sheets.vendors'),
    columns.map((column, index) => ({ key: column, header: header[index]!, width: Math.min(40, Math.max(12, header[index]!.length + 4)) })),
  )
  for (const row of rows) sheet.addRow(row)
  const ascii = `vendors-${today()}.xlsx`
  return { workbook, filename: locale === 'en' ? ascii : `合作机构-${today()}.xlsx`, asciiName: ascii }
}

/** The findings list with the page's filters and order, every page. */
export async function findingsWorkbook(query: FindingListQuery, locale: Locale): Promise<StaffWorkbook> {
  const [t, findingsT] = await Promise.all([translatorFor(locale, 'spreadsheets'), translatorFor(locale, 'findings')])
  const timeZone = getEnv().INSTITUTION_TIMEZONE
  const workbook = newWorkbook()
  const sheet = addTableSheet(workbook, t('exports.sheets.findings'), [
    { key: 'title', header: t('exports.findings.title'), width: 50, wrap: true },
    { key: 'vendor', header: t('exports.findings.vendor'), width: 30 },
    { key: 'severity', header: t('exports.findings.severity'), width: 12 },
    { key: 'status', header: t('exports.findings.status'), width: 16 },
    { key: 'dueAt', header: t('exports.findings.dueAt'), width: 14 },
    { key: 'owner', header: t('exports.findings.owner'), width: 20 },
  ])
  for (const finding of await listAllFindings(query, locale)) {
    sheet.addRow({
      title: finding.title,
      vendor: finding.vendorName,
      severity: severityLabel(findingsT, finding.severity),
      status: findingsT(`status.${finding.status}`),
      dueAt: dayOf(finding.dueAt || undefined, timeZone),
      owner: finding.ownerName || findingsT(`owner.${finding.owner}`),
    })
  }
  const ascii = `findings-${today()}.xlsx`
  return { workbook, filename: locale === 'en' ? ascii : `发现-${today()}.xlsx`, asciiName: ascii }
}
