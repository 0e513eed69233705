// The incident register over a real embedded database: the contract's clock at the exact boundary
// in the institution's time zone, the finding a missed deadline opens (once), the reassessment
// trigger, the vendor's incident links (cross-vendor, revoked, tampered, expired, rate-limited),
// attachments through the evidence checks, and the PDF read back as text.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { extractText, getDocumentProxy } from 'unpdf'
import { FindingModel } from '~models/finding'
import { IncidentModel } from '~models/incident'
import { IncidentLinkModel } from '~models/incident-link'
import { ReportModel } from '~models/report'
import { VendorModel } from '~models/vendor'
import { AuditEventModel } from '~models/audit-event'
import { newAccessToken } from '~/modules/assessments/tokens.server'
import { applyConsequences } from '~/modules/incidents/consequences.server'
import { getIncident, listLinkReports } from '~/modules/incidents/incidents.server'
import { checkIncidentLink, clientLimiter, issueIncidentLink, linkLimiter, revokeIncidentLink } from '~/modules/incidents/links.server'
import { issueIncidentReport } from '~/modules/incidents/report.server'
import { reportIncident, transitionIncident, overrideIncidentSeverity, updateIncidentTask } from '~/modules/incidents/writes.server'
import { verifyFingerprint } from '~/modules/reports/issue.server'
import type { SessionUser } from '~/modules/auth/session.server'
import { reportFields, staffUser, vendorWithContract } from './incidents-support'

process.env.INSTITUTION_TIMEZONE = 'Asia/Shanghai'
const NOW = new Date('2026-03-05T12:00:00+08:00')
const tokenOf = (url: string) => url.split('/i/')[1]!

let compliance: SessionUser
let procurement: SessionUser
let viewer: SessionUser

beforeAll(async () => {
  // The app's own clock reads the test's "now" (the issuing of a reassessment checks its due date against it).
  vi.useFakeTimers({ toFake: ['Date'] })
  vi.setSystemTime(NOW)
  compliance = await staffUser('compliance', 'li@bank.test', 'Li Compliance')
  procurement = await staffUser('procurement', 'wang@bank.test', 'Wang Procurement', 'zh-CN')
  viewer = await staffUser('viewer', 'zhao@bank.test', 'Zhao Viewer')
})

afterAll(() => {
  vi.useRealTimers()
})

describe('the contract clock', () => {
  it('is met when the institution is told at the deadline exactly, Beijing time', async () => {
    const { vendorId } = await vendorWithContract({ name: 'Boundary Met', clauseIds: ['INC-NOTIFY-01', 'PRIV-01'] })
    const result = await reportIncident({ raw: { ...reportFields({ detectedAt: '2026-03-01T23:30', notifiedAt: '2026-03-02T23:30' }), vendorId }, reporter: { kind: 'staff', user: procurement }, now: NOW })
    expect(result.ok).toBe(true)
    const incident = await getIncident(result.ok ? result.incidentId : '')
    expect(incident!.notification).toMatchObject({ state: 'met', clauseId: 'INC-NOTIFY-01', hours: 24, lateMinutes: 0, findingId: null, deadline: '2026-03-02T15:30:00.000Z' })
    expect(await FindingModel.countDocuments({ vendorId })).toBe(0)
  })

  it('is missed one minute later, and opens one finding against the clause however often it is applied', async () => {
    const { vendorId } = await vendorWithContract({ name: 'Boundary Missed', clauseIds: ['INC-NOTIFY-01'] })
    const result = await reportIncident({ raw: { ...reportFields({ detectedAt: '2026-03-01T23:30', notifiedAt: '2026-03-02T23:31' }), vendorId }, reporter: { kind: 'staff', user: procurement }, now: NOW })
    if (!result.ok) throw new Error(JSON.stringify(result))
    const incident = await getIncident(result.incidentId)
    expect(incident!.notification).toMatchObject({ state: 'missed', lateMinutes: 1 })
    expect(incident!.notification.findingId).toBeTruthy()
    await applyConsequences(result.incidentId, NOW)
    await Promise.all([applyConsequences(result.incidentId, NOW), applyConsequences(result.incidentId, NOW)])
    const findings = await FindingModel.find({ vendorId }).lean()
    expect(findings).toHaveLength(1)
    expect(findings[0]).toMatchObject({ key: `incident:${result.incidentId}`, source: { kind: 'incident', clauseId: 'INC-NOTIFY-01', clauseIds: ['INC-NOTIFY-01'] }, status: 'open' })
    expect(findings[0]!.title!.en).toContain('Breach notification deadline missed')
    expect(findings[0]!.title!['zh-CN']).toContain('未在时限内通知')
  })

  it('uses the 24-hour default when the contract has no breach clause, and still records the finding', async () => {
    const { vendorId } = await vendorWithContract({ name: 'No Clause', clauseIds: ['PRIV-01'] })
    const result = await reportIncident({ raw: { ...reportFields({ detectedAt: '2026-03-01T10:00', notifiedAt: '2026-03-03T10:00' }), vendorId }, reporter: { kind: 'staff', user: procurement }, now: NOW })
    if (!result.ok) throw new Error('not recorded')
    const incident = await getIncident(result.incidentId)
    expect(incident!.notification).toMatchObject({ state: 'missed', clauseId: null, hours: 24, lateMinutes: 24 * 60 })
    expect(await FindingModel.countDocuments({ vendorId, 'source.kind': 'incident', 'source.clauseIds': { $size: 0 } })).toBe(1)
  })

  it('records an incident trigger; critical starts the reassessment now', async () => {
    const { vendorId } = await vendorWithContract({ name: 'Critical Leak', clauseIds: ['INC-NOTIFY-01'] })
    const result = await reportIncident({
      raw: { ...reportFields({ piCategories: ['biometric'], recordCount: '250000', customerCount: '250000' }), vendorId },
      reporter: { kind: 'staff', user: compliance },
      now: NOW,
    })
    if (!result.ok) throw new Error('not recorded')
    const incident = await IncidentModel.findById(result.incidentId).lean()
    expect(incident!.effectiveSeverity).toBe('critical')
    const vendor = await VendorModel.findById(vendorId).lean()
    expect(vendor!.reassessment!.triggers.map((trigger) => [trigger.reason, trigger.key])).toEqual([['incident', `incident:${result.incidentId}`]])
    expect(vendor!.reassessment!.issuedForDueAt).toBeTruthy() // issued at once
    await applyConsequences(result.incidentId, NOW)
    expect((await VendorModel.findById(vendorId).lean())!.reassessment!.triggers).toHaveLength(1)
  })

  it('refuses times in the future and detection before occurrence, with field messages', async () => {
    const { vendorId } = await vendorWithContract({ name: 'Bad Times', clauseIds: [] })
    const future = await reportIncident({ raw: { ...reportFields({ notifiedAt: '2026-03-06T10:00' }), vendorId }, reporter: { kind: 'staff', user: procurement }, now: NOW })
    expect(future).toMatchObject({ ok: false, status: 400, fieldErrors: { notifiedAt: ['incidents:errors.future'] } })
    const order = await reportIncident({ raw: { ...reportFields({ occurredAt: '2026-03-01T11:00' }), vendorId }, reporter: { kind: 'staff', user: procurement }, now: NOW })
    expect(order).toMatchObject({ ok: false, status: 400, fieldErrors: { detectedAt: ['incidents:errors.detectedBeforeOccurred'] } })
    const forbidden = await reportIncident({ raw: { ...reportFields(), vendorId }, reporter: { kind: 'staff', user: viewer }, now: NOW })
    expect(forbidden).toMatchObject({ ok: false, status: 403 })
  })
})

describe('status, severity and tasks', () => {
  it('moves reported → triaged → contained → closed only with every task done; overrides need a justification', async () => {
    const { vendorId } = await vendorWithContract({ name: 'Lifecycle', clauseIds: ['INC-NOTIFY-01'] })
    const created = await reportIncident({ raw: { ...reportFields(), vendorId }, reporter: { kind: 'staff', user: procurement }, now: NOW })
    if (!created.ok) throw new Error('not recorded')
    const id = created.incidentId
    const version = async () => (await IncidentModel.findById(id, { version: 1 }).lean())!.version
    expect(await transitionIncident(id, { intent: 'transition', to: 'contained', version: await version() }, compliance)).toMatchObject({ ok: false, fieldErrors: { to: ['incidents:errors.transition'] } })
    expect(await transitionIncident(id, { intent: 'transition', to: 'triaged', version: await version() }, procurement)).toMatchObject({ ok: false, status: 403 })
    expect(await transitionIncident(id, { intent: 'transition', to: 'triaged', version: await version() }, compliance)).toMatchObject({ ok: true })
    expect(await transitionIncident(id, { intent: 'transition', to: 'contained', version: (await version()) - 1 }, compliance)).toMatchObject({ ok: false, status: 409 })
    expect(await transitionIncident(id, { intent: 'transition', to: 'contained', version: await version() }, compliance)).toMatchObject({ ok: true })
    expect(await transitionIncident(id, { intent: 'transition', to: 'closed', version: await version() }, compliance)).toMatchObject({ ok: false, fieldErrors: { to: ['incidents:errors.openTasks'] } })

    expect(await overrideIncidentSeverity(id, { intent: 'severity', severity: 'high', justification: 'too short', version: await version() }, compliance)).toMatchObject({ ok: false, fieldErrors: { justification: [expect.stringContaining('tooShort')] } })
    expect(await overrideIncidentSeverity(id, { intent: 'severity', severity: 'high', justification: 'Regulator asked us to treat this as high.', version: await version() }, compliance)).toMatchObject({ ok: true })
    expect((await IncidentModel.findById(id).lean())!.effectiveSeverity).toBe('high')

    for (const kind of ['notify_regulator', 'notify_individuals', 'remediation', 'root_cause_report']) {
      const result = await updateIncidentTask(id, { intent: 'task', kind, ownerId: compliance.id, dueAt: '2026-03-10T18:00', done: 'on', version: await version() }, compliance)
      expect(result.ok).toBe(true)
    }
    expect(await transitionIncident(id, { intent: 'transition', to: 'closed', version: await version() }, compliance)).toMatchObject({ ok: true })
    const closed = await IncidentModel.findById(id).lean()
    expect(closed!.status).toBe('closed')
    expect(closed!.timeline.map((entry) => entry.event)).toEqual(['reported', 'trigger', 'status', 'status', 'severity', 'task', 'task', 'task', 'task', 'status'])
    const audit = await AuditEventModel.find({ 'subject.kind': 'incident', 'subject.id': id }).lean()
    expect(audit.map((entry) => entry.action).sort()).toEqual(['incident.report', 'incident.severity', 'incident.status', 'incident.status', 'incident.status', 'incident.task', 'incident.task', 'incident.task', 'incident.task'].sort())
  })
})

describe('vendor incident links', () => {
  it('maps a token to its own vendor only; tampered, revoked, reissued and expired links are refused', async () => {
    const a = await vendorWithContract({ name: 'Link Vendor A', clauseIds: ['INC-NOTIFY-01'] })
    const b = await vendorWithContract({ name: 'Link Vendor B', clauseIds: ['INC-NOTIFY-01'] })
    const issuedA = await issueIncidentLink(a.vendorId, a.contactId, procurement)
    const issuedB = await issueIncidentLink(b.vendorId, b.contactId, procurement)
    if (!issuedA.ok || !issuedB.ok) throw new Error('not issued')
    const token = tokenOf(issuedA.url!)
    // Only the hash is stored.
    expect(await IncidentLinkModel.countDocuments({ tokenHash: token })).toBe(0)
    const checked = await checkIncidentLink(token, 'client-1', NOW)
    if (!checked.ok) throw new Error(checked.problem)
    expect(String(checked.access.vendorId)).toBe(a.vendorId)

    // The vendor cannot choose another vendor through the form: the link decides.
    const reported = await reportIncident({ raw: { ...reportFields(), vendorId: b.vendorId }, reporter: { kind: 'vendor', access: checked.access }, now: NOW })
    if (!reported.ok) throw new Error(JSON.stringify(reported))
    expect(String((await IncidentModel.findById(reported.incidentId).lean())!.vendorId)).toBe(a.vendorId)
    expect((await IncidentModel.findById(reported.incidentId).lean())!.source).toBe('vendor_link')
    expect((await listLinkReports(checked.access)).map((entry) => entry.reference)).toEqual([reported.reference])
    const checkedB = await checkIncidentLink(tokenOf(issuedB.url!), 'client-1', NOW)
    if (!checkedB.ok) throw new Error('B refused')
    expect(await listLinkReports(checkedB.access)).toEqual([])

    // Tampered: one character changed, or not a token at all.
    const tampered = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A')
    expect(await checkIncidentLink(tampered, 'client-1', NOW)).toEqual({ ok: false, problem: 'invalid' })
    expect(await checkIncidentLink('../../etc/passwd', 'client-1', NOW)).toEqual({ ok: false, problem: 'invalid' })
    expect(await checkIncidentLink(newAccessToken().token, 'client-1', NOW)).toEqual({ ok: false, problem: 'invalid' })

    // Another vendor's page cannot revoke A's link; A's can.
    expect(await revokeIncidentLink(b.vendorId, issuedA.linkId, procurement)).toEqual({ ok: false, status: 404 })
    expect((await checkIncidentLink(token, 'client-1', NOW)).ok).toBe(true)
    expect(await revokeIncidentLink(a.vendorId, issuedA.linkId, procurement)).toMatchObject({ ok: true })
    expect(await checkIncidentLink(token, 'client-1', NOW)).toEqual({ ok: false, problem: 'revoked' })
    // A write that checked the link before it was revoked is refused at the moment of writing.
    const late = await reportIncident({ raw: reportFields(), reporter: { kind: 'vendor', access: checked.access }, now: NOW })
    expect(late).toMatchObject({ ok: false, status: 403 })

    // Re-issuing replaces the contact's live link.
    const first = await issueIncidentLink(b.vendorId, b.contactId, procurement)
    expect(await checkIncidentLink(tokenOf(issuedB.url!), 'client-1', NOW)).toEqual({ ok: false, problem: 'revoked' })
    expect((await checkIncidentLink(tokenOf(first.ok ? first.url! : ''), 'client-1', NOW)).ok).toBe(true)
    // Expired after a year.
    expect(await checkIncidentLink(tokenOf(first.ok ? first.url! : ''), 'client-1', new Date(Date.now() + 366 * 86_400_000))).toEqual({ ok: false, problem: 'expired' })
  })

  it('limits requests per link and per client address', async () => {
    clientLimiter.reset()
    linkLimiter.reset()
    const c = await vendorWithContract({ name: 'Rate Vendor', clauseIds: [] })
    const issued = await issueIncidentLink(c.vendorId, c.contactId, procurement)
    const token = tokenOf(issued.ok ? issued.url! : '')
    const at = NOW.getTime()
    for (let i = 0; i < 30; i++) expect((await checkIncidentLink(token, `spread-${i}`, new Date(at))).ok).toBe(true)
    expect(await checkIncidentLink(token, 'spread-x', new Date(at))).toMatchObject({ ok: false, problem: 'rate_limited', retryAfterSeconds: 600 })
    // Guessing from one address is slowed whatever the tokens.
    for (let i = 0; i < 60; i++) await checkIncidentLink(newAccessToken().token, 'guesser', new Date(at))
    expect(await checkIncidentLink(newAccessToken().token, 'guesser', new Date(at))).toMatchObject({ ok: false, problem: 'rate_limited' })
    // A new window lets the link through again.
    expect((await checkIncidentLink(token, 'spread-y', new Date(at + 10 * 60_000))).ok).toBe(true)
    clientLimiter.reset()
    linkLimiter.reset()
  })
})

describe('attachments and the report PDF', () => {
  it('stores sniffed files, refuses others, and prints the incident in both languages with a verifiable fingerprint', async () => {
    const { vendorId } = await vendorWithContract({ name: 'Pdf Vendor', clauseIds: ['INC-NOTIFY-01'] })
    const png = new File([Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex')], 'screenshot.png')
    const fake = new File([Buffer.from('#!/bin/sh\necho hi\n')], 'evidence.pdf')
    const refused = await reportIncident({ raw: { ...reportFields(), vendorId }, files: [fake], reporter: { kind: 'staff', user: procurement }, now: NOW })
    expect(refused).toMatchObject({ ok: false, status: 400, fieldErrors: { attachments: [expect.stringContaining('incidents:errors.file.type')] } })
    const result = await reportIncident({ raw: { ...reportFields({ notifiedAt: '2026-03-02T12:00' }), vendorId }, files: [png], reporter: { kind: 'staff', user: procurement }, now: NOW })
    if (!result.ok) throw new Error(JSON.stringify(result))
    const incident = await getIncident(result.incidentId)
    expect(incident!.attachments).toMatchObject([{ filename: 'screenshot.png', contentType: 'image/png' }])

    for (const locale of ['en', 'zh-CN'] as const) {
      const issued = await issueIncidentReport({ incidentId: result.incidentId, locale, actor: { id: compliance.id, name: compliance.name }, now: NOW })
      if (!issued.ok) throw new Error('no report')
      const pdf = await getDocumentProxy(new Uint8Array(issued.pdf))
      const { text } = await extractText(pdf, { mergePages: true })
      const flat = (text as string).replace(/\s+/g, ' ')
      expect(flat).toContain(incident!.reference)
      expect(flat).toContain('INC-NOTIFY-01')
      if (locale === 'en') {
        for (const phrase of ['Incident report', 'Notification deadline', '2026-03-02 10:00', 'Deadline missed by 2 h 0 min', 'Notify the regulator', 'Root-cause report', 'Identity (name, ID number)', 'Timeline']) expect(flat).toContain(phrase)
      } else {
        for (const phrase of ['安全事件报告', '通知时限', '超出时限2小时0分钟', '向监管部门报告', '原因分析报告', '时间线']) expect(flat).toContain(phrase)
      }
      const verified = await verifyFingerprint(issued.fingerprint)
      expect(verified.status).toBe('genuine')
      expect(await ReportModel.countDocuments({ fingerprint: issued.fingerprint, kind: 'incident', incidentId: result.incidentId })).toBe(1)
      // The same content gives the same fingerprint.
      const again = await issueIncidentReport({ incidentId: result.incidentId, locale, actor: { id: compliance.id, name: compliance.name }, now: NOW })
      expect(again.ok && again.fingerprint).toBe(issued.fingerprint)
      if (locale === 'en') await import('node:fs').then((fs) => fs.writeFileSync('/tmp/incident-report-en.pdf', issued.pdf))
      else await import('node:fs').then((fs) => fs.writeFileSync('/tmp/incident-report-zh.pdf', issued.pdf))
    }
  })
})
