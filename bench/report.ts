// Benchmark: generating the PDF report of a 100-question assessment with pdfkit (what Clausewise
// does), side by side with printing the same content as an HTML page to PDF with headless
// Chromium (the usual way report tools do it).
//
//   npm run bench:report            BENCH_RUNS=30 BENCH_QUESTIONS=100 BENCH_LOCALE=zh-CN to change
//
// Fair to Chromium: the browser is launched once and warmed up, and every report reuses the same
// page (setContent + pdf), so only the per-report work is timed. Fair to pdfkit: each run builds a
// whole new document from the data (only the parsed font and translated labels are reused, as in
// the server). Prints both medians, the ratio, the file sizes and the goals.
import { performance } from 'node:perf_hooks'
import type { Browser } from 'playwright-core'
import { launchBrowser } from '../test/support/browser'
import { reportFingerprint } from '~/modules/reports/fingerprint.server'
import { renderReport } from '~/modules/reports/render.server'
import { sampleReportData } from '~/modules/reports/sample-data'
import { reportHtml } from './report-html'

const RUNS = Number(process.env.BENCH_RUNS ?? 30)
const QUESTIONS = Number(process.env.BENCH_QUESTIONS ?? 100)
const LOCALES = (process.env.BENCH_LOCALE ? [process.env.BENCH_LOCALE] : ['zh-CN', 'en']) as ('zh-CN' | 'en')[]
const WARMUP = 5

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}
const p90 = (values: number[]) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * 0.9))]!
const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`

async function timePdfkit(locale: 'zh-CN' | 'en') {
  const data = sampleReportData({ locale, questions: QUESTIONS })
  const fingerprint = reportFingerprint(data)
  const render = () => renderReport(data, { fingerprint, generatedAt: new Date(), verifyUrl: 'https://clausewise.example.cn/reports/verify' })
  for (let i = 0; i < WARMUP; i++) await render()
  const times: number[] = []
  let size = 0
  let pages = 0
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now()
    const result = await render()
    times.push(performance.now() - started)
    size = result.pdf.length
    pages = result.pages
  }
  return { times, size, pages }
}

async function timeChromium(browser: Browser, locale: 'zh-CN' | 'en') {
  const data = sampleReportData({ locale, questions: QUESTIONS })
  const fingerprint = reportFingerprint(data)
  const page = await browser.newPage()
  const print = async () => {
    const { html, header, footer } = await reportHtml(data, fingerprint, new Date())
    await page.setContent(html, { waitUntil: 'load' })
    return page.pdf({ format: 'A4', printBackground: true, displayHeaderFooter: true, headerTemplate: header, footerTemplate: footer, margin: { top: '24.7mm', bottom: '22.6mm', left: '17.6mm', right: '17.6mm' } })
  }
  for (let i = 0; i < Math.min(WARMUP, 3); i++) await print()
  const runs = Math.max(5, Math.ceil(RUNS / 3)) // each takes long; fewer runs still give a stable median
  const times: number[] = []
  let size = 0
  for (let i = 0; i < runs; i++) {
    const started = performance.now()
    const pdf = await print()
    times.push(performance.now() - started)
    size = pdf.length
  }
  await page.close()
  return { times, size }
}

async function main() {
  console.log(`Report of a ${QUESTIONS}-question assessment: pdfkit ${RUNS} runs, Chromium ${Math.max(5, Math.ceil(RUNS / 3))} runs (after warm-up), this machine (${process.arch}, ${(await import('node:os')).cpus().length} cores)\n`)
  const browser = await launchBrowser()
  let ok = true
  try {
    for (const locale of LOCALES) {
      const pdfkit = await timePdfkit(locale)
      const chromium = await timeChromium(browser, locale)
      const ratio = median(chromium.times) / median(pdfkit.times)
      console.log(`${locale}`)
      console.log(`  pdfkit (Clausewise)   median ${median(pdfkit.times).toFixed(1)} ms   p90 ${p90(pdfkit.times).toFixed(1)} ms   ${kb(pdfkit.size)}, ${pdfkit.pages} pages`)
      console.log(`  Chromium page.pdf()   median ${median(chromium.times).toFixed(1)} ms   p90 ${p90(chromium.times).toFixed(1)} ms   ${kb(chromium.size)}`)
      console.log(`  pdfkit is ${ratio.toFixed(1)}× faster`)
      const goals = [
        [`median ≤ 150 ms`, median(pdfkit.times) <= 150],
        [`≥ 10× faster than Chromium`, ratio >= 10],
        [`≤ 1 MB per report`, pdfkit.size <= 1024 * 1024],
      ] as const
      for (const [goal, met] of goals) {
        console.log(`  ${met ? 'met    ' : 'MISSED '} ${goal}`)
        ok &&= met
      }
      console.log()
    }
  } finally {
    await browser.close()
  }
  console.log(ok ? 'All goals met.' : 'Some goals were missed (see above). The machine may be busy: run again when it is idle.')
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
