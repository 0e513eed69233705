// Vendor documents: the upload fields' schema (expiry required for certificates and AoCs), the
// validity on a day, which documents are current, and the scoring rule that an expired document
// no longer satisfies an evidence rule.
import { describe, expect, it } from 'vitest'
import { currentDocuments, documentFieldsSchema, documentValidity, reminderDayOf, reminderDue } from '~/modules/documents/documents'
import { scoreAssessment } from '~/modules/scoring/score'
import { answer, clause, question, questionnaire } from './scoring-fixtures'

const errorsOf = (input: Record<string, unknown>) => {
  const result = documentFieldsSchema.safeParse(input)
  return result.success ? {} : Object.fromEntries(result.error.issues.map((issue) => [issue.path.join('.'), issue.message.split('|')[0]]))
}

describe('the upload fields', () => {
  it('require an expiry day for ISO 27001 certificates and PCI DSS AoCs, not for other kinds', () => {
    expect(errorsOf({ kind: 'iso27001_certificate', issuedOn: '2025-01-10' })).toEqual({ expiresOn: 'documents:errors.expiryRequired' })
    expect(errorsOf({ kind: 'pci_dss_aoc', expiresOn: '' })).toEqual({ expiresOn: 'documents:errors.expiryRequired' })
    expect(errorsOf({ kind: 'pci_dss_aoc', expiresOn: '2026-05-31' })).toEqual({})
    expect(errorsOf({ kind: 'pentest_report', issuedOn: '2025-11-01' })).toEqual({})
    expect(errorsOf({ kind: 'business_licence' })).toEqual({})
  })
  it('refuse an expiry before the issue day, unknown kinds and impossible days', () => {
    expect(errorsOf({ kind: 'soc2_type2_report', issuedOn: '2026-02-01', expiresOn: '2026-01-31' })).toEqual({ expiresOn: 'documents:errors.expiryBeforeIssue' })
    expect(errorsOf({ kind: 'passport' })).toEqual({ kind: 'errors:choice' })
    expect(errorsOf({ kind: 'dpa', expiresOn: '2026-02-30' })).toEqual({ expiresOn: 'errors:date' })
  })
  it('record "other" when no kind is sent (an upload from an older page)', () => {
    expect(documentFieldsSchema.parse({})).toEqual({ kind: 'other' })
  })
})

describe('validity on a day', () => {
  it.each([
    [null, { state: 'no_expiry' }],
    ['2026-12-31', { state: 'valid', days: 183 }],
    ['2026-07-31', { state: 'expiring', days: 30 }],
    ['2026-07-04', { state: 'expiring', days: 3 }],
    ['2026-07-01', { state: 'expiring', days: 0 }], // the expiry day itself is still valid
    ['2026-06-30', { state: 'expired', days: 1 }],
  ])('expiring %s, seen on 2026-07-01', (expiresOn, validity) => {
    expect(documentValidity(expiresOn, '2026-07-01', 30)).toEqual(validity)
  })
  it('the reminder is due from N days before the expiry through the expiry day', () => {
    expect(reminderDayOf('2026-03-31', 30)).toBe('2026-03-01')
    expect(reminderDue('2026-03-31', '2026-02-28', 30)).toBe(false)
    expect(reminderDue('2026-03-31', '2026-03-01', 30)).toBe(true)
    expect(reminderDue('2026-03-31', '2026-03-31', 30)).toBe(true)
    expect(reminderDue('2026-03-31', '2026-04-01', 30)).toBe(false)
  })
  it('a renewed document of the same kind supersedes the older one; "other" documents stand on their own', () => {
    const documents = [
      { fileId: 'iso-2025', kind: 'iso27001_certificate' as const, expiresOn: '2026-03-31' },
      { fileId: 'iso-2026', kind: 'iso27001_certificate' as const, expiresOn: '2029-03-31' },
      { fileId: 'pci', kind: 'pci_dss_aoc' as const, expiresOn: '2026-05-01' },
      { fileId: 'a', kind: 'other' as const, expiresOn: '2025-01-01' },
      { fileId: 'b', kind: 'other' as const, expiresOn: null },
    ]
    expect(currentDocuments(documents).map((document) => document.fileId)).toEqual(['iso-2026', 'pci', 'a', 'b'])
  })
})

describe('scoring with expired evidence', () => {
  const questionnaires = [questionnaire('base', 1, { sec: [question('Q-01', 'yes_no_na', { yes: [['C-01', 'meets']], no: [['C-01', 'fails']] }, { evidence: { requiredWhen: ['yes'] } })] })]
  const clauses = [clause('C-01', 'high')]
  const withCertificate = (expiresOn: string) => ({ 'Q-01': { ...answer('yes', 1), evidence: [{ ...answer('yes', 1).evidence[0]!, filename: 'iso.pdf', expiresOn }] } })

  it('a met clause with valid evidence has no gap; the day after the expiry, the same answer shows missing evidence with the reason', () => {
    const before = scoreAssessment({ questionnaires, clauses, answers: withCertificate('2026-03-31'), inherentTier: 2, today: '2026-03-31' })
    expect(before.clauses[0]!.status).toBe('meets')
    expect(before.gaps).toEqual([])
    const after = scoreAssessment({ questionnaires, clauses, answers: withCertificate('2026-03-31'), inherentTier: 2, today: '2026-04-01' })
    expect(after.gaps).toEqual([
      expect.objectContaining({ kind: 'missing_evidence', questionId: 'Q-01', clauseIds: ['C-01'], expired: [{ fileId: 'f1', filename: 'iso.pdf', expiresOn: '2026-03-31' }] }),
    ])
  })
  it('one valid file beside an expired one still satisfies the rule; no day given means expiry is not looked at', () => {
    const answers = { 'Q-01': { ...answer('yes', 2), evidence: [{ ...answer('yes', 1).evidence[0]!, expiresOn: '2025-01-01' }, { ...answer('yes', 2).evidence[1]!, expiresOn: '2027-01-01' }] } }
    expect(scoreAssessment({ questionnaires, clauses, answers, inherentTier: 2, today: '2026-04-01' }).gaps).toEqual([])
    expect(scoreAssessment({ questionnaires, clauses, answers: withCertificate('2020-01-01'), inherentTier: 2 }).gaps).toEqual([])
  })
})
