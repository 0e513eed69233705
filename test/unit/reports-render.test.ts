import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { A4, MARGIN, type DrawnLine } from '~/modules/reports/canvas.server'
import { reportFingerprint } from '~/modules/reports/fingerprint.server'
import { composeReport, renderReport } from '~/modules/reports/render.server'
import { formatScore } from '~/modules/reports/format'
import { formatFingerprint, reportIdOf, type ReportData } from '~/modules/reports/report-data'
import { sampleReportData } from '../fixtures/report-sample-data'

// Real PDFs from the real renderer, read back with poppler (pdftotext, pdftoppm).

const work = mkdtempSync(path.join(os.tmpdir(), 'reports-render-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))

const options = (data: ReportData) => ({ fingerprint: reportFingerprint(data), generatedAt: new Date('2025-03-15T02:00:00Z'), verifyUrl: 'https://clausewise.example.cn/reports/verify' })

function pdfText(pdf: Buffer): string {
  return execFileSync('pdftotext', ['-enc', 'UTF-8', '-', '-'], { input: pdf, maxBuffer: 64 * 1024 * 1024 }).toString('utf8')
}

/** Text without any whitespace: a wrapped line may split a Chinese phrase or an English sentence anywhere. */
const squash = (text: string) => text.replace(/\s+/g, '')

function overlaps(a: DrawnLine, b: DrawnLine): boolean {
  const epsilon = 0.05
  return a.x < b.x + b.width - epsilon && b.x < a.x + a.width - epsilon && a.y < b.y + b.height - epsilon && b.y < a.y + a.height - epsilon
}

/** Every pair of text lines on the same page that overlap, as readable strings. */
function overlappingLines(lines: DrawnLine[]): string[] {
  const byPage = new Map<number, DrawnLine[]>()
  for (const line of lines) byPage.set(line.page, [...(byPage.get(line.page) ?? []), line])
  const problems: string[] = []
  for (const [page, pageLines] of byPage) {
    const sorted = [...pageLines].sort((a, b) => a.y - b.y)
    for (let i = 0; i < sorted.length; i++) {
      for (let j = i + 1; j < sorted.length && sorted[j]!.y < sorted[i]!.y + sorted[i]!.height; j++) {
        if (overlaps(sorted[i]!, sorted[j]!)) problems.push(`page ${page + 1}: "${sorted[i]!.text}" overlaps "${sorted[j]!.text}"`)
      }
    }
  }
  return problems
}

function outsideBounds(lines: DrawnLine[]): string[] {
  const left = MARGIN.left - 0.01
  const right = A4.width - MARGIN.right + 0.01
  return lines
    .filter((line) => {
      if (line.x < left || line.x + line.width > right) return true
      if (line.region === 'body') return line.y < MARGIN.top - 0.01 || line.y + line.height > A4.height - MARGIN.bottom + 0.01
      if (line.region === 'header') return line.y < 0 || line.y + line.height > MARGIN.top
      return line.y < A4.height - MARGIN.bottom || line.y + line.height > A4.height
    })
    .map((line) => `page ${line.page + 1} (${line.region}) at ${line.x.toFixed(1)},${line.y.toFixed(1)} w ${line.width.toFixed(1)}: "${line.text}"`)
}

describe('the PDF report', () => {
  for (const locale of ['en', 'zh-CN'] as const) {
    it(`says everything it must, in ${locale}`, async () => {
      const data = sampleReportData({ locale, questions: 40, clauses: 18, findings: 7 })
      const { pdf, pages } = await renderReport(data, options(data))
      const text = squash(pdfText(pdf))
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-')
      // The vendor's name in both languages, whatever the report's language.
      expect(text).toContain(squash(data.vendor.name['zh-CN']))
      expect(text).toContain(squash(data.vendor.name.en))
      // The control score, printed in the gauge.
      expect(data.score.controlScore).not.toBeNull()
      expect(text).toContain(formatScore(data.score.controlScore!))
      // Every clause, every finding (reference, title, description, remediation), every question.
      for (const clause of data.clauses) expect(text).toContain(clause.id)
      for (const finding of data.findings) {
        expect(text).toContain(finding.reference)
        expect(text).toContain(squash(finding.title))
        expect(text).toContain(squash(finding.description))
        expect(text).toContain(squash(finding.remediation))
      }
      for (const question of data.sections.flatMap((section) => section.questions)) expect(text).toContain(question.id)
      // The fingerprint in full on the cover, the report id, and "page X of Y" on every page.
      expect(text).toContain(squash(formatFingerprint(options(data).fingerprint)))
      expect(text).toContain(reportIdOf(data.assessment.id, options(data).fingerprint))
      const pageLabel = (page: number) => (locale === 'en' ? `Page${page}of${pages}` : `第${page}页，共${pages}页`)
      for (let page = 1; page <= pages; page++) expect(text).toContain(pageLabel(page))
      // Changes since the last assessment: its date, the score then and now with the difference,
      // every changed answer (then → now) and every clause whose result changed, after the section title.
      const since = data.sinceLast!
      const changes = text.slice(text.indexOf(squash(locale === 'en' ? 'Changes since the last assessment' : '自上次评估以来的变化')))
      expect(changes.length).toBeLessThan(text.length)
      expect(changes).toContain(locale === 'en' ? 'Signedoffon2024-03-08' : '2024-03-08签批')
      expect(changes).toContain(`64.5→${formatScore(since.score.after!)}`)
      expect(changes).toContain(locale === 'en' ? `+${formatScore(since.score.delta!)}points` : `+${formatScore(since.score.delta!)}分`)
      expect(since.answers.length).toBeGreaterThan(2)
      // (Table cells come out column by column, so each part is looked for on its own.)
      for (const answer of since.answers) for (const part of [answer.questionId, answer.question, answer.before]) expect(changes).toContain(squash(part))
      for (const clause of since.clauses) for (const part of [clause.clauseId, clause.title]) expect(changes).toContain(squash(part))
    })
  }

  it('says when there is no earlier assessment to compare with', async () => {
    for (const [locale, sentence] of [
      ['en', 'First assessment of this vendor — nothing to compare with.'],
      ['zh-CN', '这是该合作机构的首次评估，没有可比较的上次评估。'],
    ] as const) {
      const data = sampleReportData({ locale, questions: 10, clauses: 4, findings: 1, firstAssessment: true })
      const text = squash(pdfText((await renderReport(data, options(data))).pdf))
      expect(text).toContain(squash(sentence))
      expect(text).not.toContain(squash(locale === 'en' ? 'Changed answers' : '有变化的答复'))
    }
  })

  it('embeds only the glyphs it uses: a Chinese report of 100 questions stays well under 1 MB', async () => {
    const data = sampleReportData({ locale: 'zh-CN', questions: 100 })
    const { pdf } = await renderReport(data, options(data))
    expect(pdf.length).toBeLessThan(1024 * 1024)
    const file = path.join(work, 'fonts.pdf')
    writeFileSync(file, pdf)
    const fonts = execFileSync('pdffonts', [file]).toString()
    // Both weights embedded as subsets ("ABCDEF+" prefix, emb and sub columns "yes").
    expect(fonts).toMatch(/\+NotoSansSC-Regular\s+CID TrueType\s+Identity-H\s+yes\s+yes\s+yes/)
    expect(fonts).toMatch(/\+NotoSansSC-Bold\s+CID TrueType\s+Identity-H\s+yes\s+yes\s+yes/)
  })

  for (const locale of ['en', 'zh-CN'] as const) {
    it(`paginates 150 long answers (${locale}) with no overlapping or cut text`, async () => {
      const data = sampleReportData({ locale, questions: 150, longAnswers: true })
      const { doc, pages, lines } = await composeReport(data, options(data))
      const chunks: Buffer[] = []
      for await (const chunk of doc as unknown as AsyncIterable<Buffer>) chunks.push(chunk)
      const pdf = Buffer.concat(chunks)
      expect(pages).toBeGreaterThan(40)
      expect(overlappingLines(lines)).toEqual([])
      expect(outsideBounds(lines)).toEqual([])

      // Nothing lost at page breaks: every answer's text is in the PDF, in order, in full.
      const text = squash(pdfText(pdf))
      let cursor = 0
      for (const question of data.sections.flatMap((section) => section.questions)) {
        const at = text.indexOf(squash(question.answer), cursor)
        expect(at, `answer of ${question.id}`).toBeGreaterThanOrEqual(0)
        cursor = at
      }

      // And on the rendered pages, no ink in the side margins or below the footer.
      const file = path.join(work, `long-${locale}.pdf`)
      writeFileSync(file, pdf)
      execFileSync('pdftoppm', ['-r', '24', '-gray', file, path.join(work, `page-${locale}`)])
      const images = readdirSync(work).filter((name) => name.startsWith(`page-${locale}`) && name.endsWith('.pgm'))
      expect(images).toHaveLength(pages)
      for (const name of images) expect(inkOutsideMargins(readFileSync(path.join(work, name))), name).toEqual([])
    }, 60_000)
  }

  it('draws a sensible page for a nearly empty assessment', async () => {
    const data = sampleReportData({ locale: 'en', questions: 0, clauses: 0, findings: 0, status: 'submitted' })
    const { pdf, lines } = await renderReport(data, options(data))
    const text = pdfText(pdf)
    expect(text).toContain('No clauses were assessed.')
    expect(text).toContain('No findings were recorded.')
    expect(text).toContain('This assessment has not been signed off')
    expect(text).toContain('Draft — not signed off')
    expect(overlappingLines(lines)).toEqual([])
  })
})

/** Dark pixels of a binary PGM page outside the page's margins (allowing the cover's top bar). */
function inkOutsideMargins(pgm: Buffer): string[] {
  const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(pgm.subarray(0, 50).toString('latin1'))
  if (!header) return ['not a binary PGM']
  const [whole, width, height] = [header[0], Number(header[1]), Number(header[2])]
  const pixels = pgm.subarray(whole.length)
  const scale = width / A4.width
  const leftEdge = Math.floor((MARGIN.left - 3) * scale)
  const rightEdge = Math.ceil((A4.width - MARGIN.right + 3) * scale)
  const bottomEdge = Math.ceil((A4.height - 20) * scale)
  const topBar = Math.ceil(10 * scale)
  const problems: string[] = []
  for (let y = topBar; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const inMargin = x < leftEdge || x >= rightEdge || y >= bottomEdge
      if (inMargin && pixels[y * width + x]! < 200) problems.push(`ink at ${x},${y}`)
    }
  }
  return problems.slice(0, 5)
}
