// Benchmark: generating the PDF report of a 100-question assessment with pdfkit (what Clausewise
// does), side by side with printing the same content as an HTML page to PDF with headless
// Chromium (the usual way report tools do it).
//
//   npm run bench:report            BENCH_RUNS=30 BENCH_QUESTIONS=100 BENCH_LOCALE=zh-CN to change
//
// Fair to Chromium: the browser is launched once and warmed up, and every report reuses the same
// page (setContent + pdf), so only the per-report work is timed. Fair to pdfkit: each run builds a
// whole new document from the data (only the parsed font and translated labels are reused, as in
// the server). The two sides run interleaved, so other work on the machine slows both alike.
// Prints both medians, the ratio, the file sizes and the goals.
import { performance } from 'node:perf_hooks'
import type { Browser } from 'playwright-core'
import { launchBrowser } from '../test/support/browser'
import { reportFingerprint } from '~/modules/reports/fingerprint.server'
import { renderReport } from '~/modules/reports/render.server'
import { sampleReportData } from '../test/fixtures/report-sample-data'
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

async function pdfkitRenderer(locale: 'zh-CN' | 'en') {
  const data = sampleReportData({ locale, questions: QUESTIONS })
  const fingerprint = reportFingerprint(data)
  return () => renderReport(data, { fingerprint, generatedAt: new Date(), verifyUrl: 'https://clausewise.example.cn/reports/verify' })
}

async function chromiumPrinter(browser: Browser, locale: 'zh-CN' | 'en') {
  const data = sampleReportData({ locale, questions: QUESTIONS })
  const fingerprint = reportFingerprint(data)
  const page = await browser.newPage()
  const print = async () => {
    const { html, header, footer } = await reportHtml(data, fingerprint, new Date())
    await page.setContent(html, { waitUntil: 'load' })
    return page.pdf({ format: 'A4', printBackground: true, displayHeaderFooter: true, headerTemplate: header, footerTemplate: footer, margin: { top: '24.7mm', bottom: '22.6mm', left: '17.6mm', right: '17.6mm' } })
  }
  return { print, close: () => page.close() }
}

/**
 * Both sides in turn (three pdfkit reports, then one Chromium print, and again), so a machine
 * that is busy with other work slows both alike and the ratio stays meaningful.
 */
async function measure(browser: Browser, locale: 'zh-CN' | 'en') {
  const render = await pdfkitRenderer(locale)
  const chromium = await chromiumPrinter(browser, locale)
  for (let i = 0; i < WARMUP; i++) await render()
  for (let i = 0; i < 3; i++) await chromium.print()
  const pdfkit = { times: [] as number[], cpu: [] as number[], size: 0, pages: 0 }
  const browserSide = { times: [] as number[], size: 0 }
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now()
    const cpuStarted = process.cpuUsage() // this process's CPU time: tells a busy machine from a slow renderer
    const result = await render()
    pdfkit.times.push(performance.now() - started)
    const used = process.cpuUsage(cpuStarted)
    pdfkit.cpu.push((used.user + used.system) / 1000)
    pdfkit.size = result.pdf.length
    pdfkit.pages = result.pages
    if (i % 3 === 2) {
      const printStarted = performance.now()
      const pdf = await chromium.print()
      browserSide.times.push(performance.now() - printStarted)
      browserSide.size = pdf.length
    }
  }
  await chromium.close()
  return { pdfkit, chromium: browserSide }
}

async function main() {
  console.log(`Load average now: ${(await import('node:os')).loadavg().map((value) => value.toFixed(1)).join(' ')}`)
  console.log(`Report of a ${QUESTIONS}-question assessment: pdfkit ${RUNS} runs and Chromium ${Math.floor(RUNS / 3)} runs, interleaved, after warm-up, this machine (${process.arch}, ${(await import('node:os')).cpus().length} cores)\n`)
  const browser = await launchBrowser()
  let ok = true
  try {
    for (const locale of LOCALES) {
      const { pdfkit, chromium } = await measure(browser, locale)
      const ratio = median(chromium.times) / median(pdfkit.times)
      console.log(`${locale}`)
      console.log(`  pdfkit (Clausewise)   median ${median(pdfkit.times).toFixed(1)} ms   p90 ${p90(pdfkit.times).toFixed(1)} ms   (CPU ${median(pdfkit.cpu).toFixed(1)} ms)   ${kb(pdfkit.size)}, ${pdfkit.pages} pages`)
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
