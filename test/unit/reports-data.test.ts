import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { reportFingerprint } from '~/modules/reports/fingerprint.server'
import { breakLines, tokenize } from '~/modules/reports/line-break'
import { canonicalJson, formatFingerprint, normalizeFingerprint, reportIdOf, topFindings } from '~/modules/reports/report-data'
import { sampleReportData } from '../fixtures/report-sample-data'
import { sinceLastOf } from '~/modules/reports/build-report-data'
import type { Clause } from '~/modules/library/content-schema'
import type { ChangesSinceLast } from '~/modules/review/changes.server'

describe('the report fingerprint', () => {
  it('is the same for the same content, however its objects were built', () => {
    const data = sampleReportData({ locale: 'en', questions: 12 })
    const reordered = JSON.parse(JSON.stringify(data), function (_key, value) {
      // Rebuild every object with its keys in reverse order.
      return value && typeof value === 'object' && !Array.isArray(value) ? Object.fromEntries(Object.entries(value).reverse()) : value
    })
    expect(canonicalJson(reordered)).toBe(canonicalJson(data))
    expect(reportFingerprint(reordered)).toBe(reportFingerprint(data))
    expect(reportFingerprint(data)).toMatch(/^[0-9a-f]{64}$/)
  })

  it('changes when anything the report says changes', () => {
    const data = sampleReportData({ locale: 'en', questions: 12 })
    const base = reportFingerprint(data)
    const changed = [
      { ...data, locale: 'zh-CN' as const },
      { ...data, score: { ...data.score, controlScore: 71.9 } },
      { ...data, findings: data.findings.slice(1) },
      { ...data, sections: data.sections.map((section, index) => (index === 0 ? { ...section, questions: [{ ...section.questions[0]!, answer: 'No' }, ...section.questions.slice(1)] } : section)) },
      { ...data, vendor: { ...data.vendor, name: { ...data.vendor.name, en: 'Someone Else Ltd' } } },
    ]
    for (const variant of changed) expect(reportFingerprint(variant)).not.toBe(base)
  })

  it('leaves out undefined fields and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: undefined, c: [3, 1, { z: 1, y: 2 }] })).toBe('{"b":1,"c":[3,1,{"y":2,"z":1}]}')
  })

  it('is accepted as printed: spaces, capitals, dashes and line breaks do not matter', () => {
    const fingerprint = 'a'.repeat(32) + '0123456789abcdef'.repeat(2)
    expect(normalizeFingerprint(formatFingerprint(fingerprint))).toBe(fingerprint)
    expect(normalizeFingerprint(`  ${fingerprint.toUpperCase().slice(0, 30)}\n${fingerprint.toUpperCase().slice(30)} `)).toBe(fingerprint)
    expect(normalizeFingerprint(fingerprint.slice(1))).toBeNull()
    expect(normalizeFingerprint(`${fingerprint.slice(1)}g`)).toBeNull()
    expect(normalizeFingerprint('{"$ne": null}')).toBeNull()
    expect(reportIdOf('6660a1b2c3d4e5f601234567', fingerprint)).toBe('CW-234567-AAAAAAAA')
  })
})

describe('the executive summary', () => {
  it('leads with the most severe findings', () => {
    const data = sampleReportData({ findings: 9 })
    const top = topFindings(data.findings)
    expect(top).toHaveLength(5)
    expect(top.map((finding) => finding.severity)).toEqual(['critical', 'critical', 'critical', 'high', 'high'])
  })
})

describe('line breaking', () => {
  const measure = (text: string) => [...text].reduce((sum, char) => sum + (/[\u3000-\u9fff\uff00-\uffef]/.test(char) ? 10 : 5.5), 0)

  it('never starts a line with closing punctuation nor ends one with an opening bracket', () => {
    const text = '我们采用（AES-256）加密，密钥由硬件安全模块生成。备份数据同样加密；“双因素认证”已全面启用！'
    for (let width = 30; width <= 200; width += 7) {
      const lines = breakLines(text, width, measure)
      expect(lines.join('')).toBe(text)
      for (const line of lines.slice(1)) expect(line).not.toMatch(/^[，。；！）”]/)
      for (const line of lines.slice(0, -1)) expect(line).not.toMatch(/[（“]$/)
    }
  })

  it('keeps English words whole and breaks only what is wider than a line', () => {
    const sentence = 'Keys are rotated every ninety days by the security team'
    for (let width = 45; width <= 150; width += 5) {
      const lines = breakLines(sentence, width, measure)
      expect(lines.join(' ')).toBe(sentence)
      for (const line of lines) expect(measure(line)).toBeLessThanOrEqual(width)
    }
    expect(breakLines('https://example.com/a-very-long-path', 50, measure).every((line) => measure(line) <= 50)).toBe(true)
    expect(tokenize('Hello world, AES-256加密，好')).toEqual(['Hello ', 'world, ', 'AES-256', '加', '密，', '好'])
  })

  it('keeps paragraphs, drops trailing blank lines, gives nothing for empty text', () => {
    expect(breakLines('a\n\nb\n\n', 100, measure)).toEqual(['a', '', 'b'])
    expect(breakLines('   ', 100, measure)).toEqual([])
  })

  it('loses no text and overflows no line, for any mix of Chinese and English', () => {
    const alphabet = fc.constantFrom(...'ab XYZ 12 数据加密，。（）“”-/'.split(''))
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 120 }), fc.integer({ min: 12, max: 160 }), (chars, width) => {
        const text = chars.join('')
        const lines = breakLines(text, width, measure)
        expect(lines.join('').replace(/\s/g, '')).toBe(text.replace(/\s/g, ''))
        for (const line of lines) {
          // A line may overflow only by the closing punctuation that must stay with it (or an opening
          // bracket that must stay with the character after it).
          const core = line.replace(/[，。、；：？！）”,.;:!?)]+$/, '').replace(/^[（“(]+/, '')
          if (measure(line) > width + 0.01) expect(measure(core) <= width + 0.01 || [...core].length <= 1, line).toBe(true)
        }
      }),
      { numRuns: 300 },
    )
  })
})

describe('changes since the last assessment in the report', () => {
  const changes: ChangesSinceLast = {
    previous: { assessmentId: '6530a1b2c3d4e5f601234560', completedAt: '2025-11-20T06:00:00.000Z' },
    score: { before: 62.5, after: 70, delta: 7.5 },
    residualRisk: { before: 'high', after: 'medium', movement: 'better' },
    clauseCounts: { before: { meets: 3, partial: 2, fails: 1, not_assessed: 0, not_applicable: 0 }, after: { meets: 4, partial: 1, fails: 1, not_assessed: 0, not_applicable: 0 } },
    clauses: [
      { clauseId: 'SEC-01', before: 'partial', after: 'meets', title: 'Library title' },
      { clauseId: 'OLD-01', before: 'fails', after: null, title: 'Old clause' },
    ],
    answers: {
      'SEC-01': { questionId: 'SEC-01', text: 'Who uses MFA?', change: 'changed', previous: ['Administrators'], current: ['All accounts'], previousComment: null },
      'SEC-02': { questionId: 'SEC-02', text: 'How are incidents reported?', change: 'changed', previous: ['Phone'], current: ['Phone', 'E-mail'], previousComment: null },
      'GOV-01': { questionId: 'GOV-01', text: 'Is there a DPO?', change: 'unchanged', previous: ['Yes'], current: ['Yes'], previousComment: null },
      'SEC-03': { questionId: 'SEC-03', text: 'Security officer', change: 'removed', previous: ['Zhao Anquan'], current: [], previousComment: null },
      'PAY-09': { questionId: 'PAY-09', text: 'PCI scope', change: 'new', previous: [], current: ['Card data'], previousComment: null },
    },
    changedCount: 4,
  }
  const contract = new Map([['SEC-01', { id: 'SEC-01', title: { en: 'Multi-factor authentication', 'zh-CN': '多因素认证' } } as unknown as Clause]])

  it('lists the answers that differ (then → now, in the report language), the clause results in report words, and the deltas', () => {
    const since = sinceLastOf(changes, contract, 'en')!
    expect(since.previousCompletedAt).toBe('2025-11-20T06:00:00.000Z')
    expect(since.score).toEqual({ before: 62.5, after: 70, delta: 7.5 })
    expect(since.residualRisk.movement).toBe('better')
    expect(since.answers).toEqual([
      { questionId: 'SEC-01', question: 'Who uses MFA?', change: 'changed', before: 'Administrators', after: 'All accounts' },
      { questionId: 'SEC-02', question: 'How are incidents reported?', change: 'changed', before: 'Phone', after: 'Phone, E-mail' },
      { questionId: 'SEC-03', question: 'Security officer', change: 'removed', before: 'Zhao Anquan', after: '' },
      { questionId: 'PAY-09', question: 'PCI scope', change: 'new', before: '', after: 'Card data' },
    ])
    expect(since.unchangedAnswers).toBe(1)
    // The contract's clause title where the contract has it; a clause gone from the contract has no "after".
    expect(since.clauses).toEqual([
      { clauseId: 'SEC-01', title: 'Multi-factor authentication', before: 'partial', after: 'met' },
      { clauseId: 'OLD-01', title: 'Old clause', before: 'failed', after: null },
    ])
    expect(sinceLastOf(changes, contract, 'zh-CN')!.answers[1]!.after).toBe('Phone、E-mail')
    expect(sinceLastOf(changes, contract, 'zh-CN')!.clauses[0]!.title).toBe('多因素认证')
  })

  it('is null for a vendor’s first assessment', () => {
    expect(sinceLastOf(null, contract, 'en')).toBeNull()
  })
})
