// Benchmark: a 108-question questionnaire version exported to its workbook and the workbook
// imported back as a draft, through the functions the routes call (export: the
// library.$questionnaireId.$version.export[.xlsx] loader; import: the drafts page action, i.e.
// safe read, rows to content, meta-schema and cross-references against the whole library, and
// the stored draft with its audit event). Goal ≤ 200 ms median each; p95, the first (cold) run
// and the median CPU time of this process (the database runs in its own process) beside it.
//
//   npm run bench:library-workbook        (BENCH_RUNS=15)
//
// The questionnaire is the shipped baseline grown to 108 questions (copies of its own questions
// in an extra section), published in the app as version 2 — the shape a real edit has.
import { performance } from 'node:perf_hooks'
import mongoose from 'mongoose'
import { startEmbeddedMongo } from '../scripts/embedded-db/launch'
import type { Question, Questionnaire } from '~/modules/library/content-schema'

const RUNS = Number(process.env.BENCH_RUNS ?? 15)
const WARMUP = 2
const QUESTIONS = 108
const GOAL_MS = 200

const mongo = await startEmbeddedMongo()
process.env.MONGODB_URI = `${mongo.uri}/bench_library_workbook`
process.env.SESSION_SECRET ??= 'bench-secret-bench-secret-bench-secret-0'
const { connectDb, disconnectDb } = await import('../app/db.server')
const { translatorFor } = await import('../app/i18n/i18n.server')
const { library, setPublishedVersions, getClauseLibrary, findQuestionnaire } = await import('../app/modules/library/library.server')
const { exportQuestionnaireWorkbook } = await import('../app/modules/library/formats/workbook-export.server')
const { importWorkbookDraft } = await import('../app/modules/library/formats/import-workbook-draft.server')
const { LibraryDraftModel } = await import('../models/library-draft')
const { readWorkbook } = await import('../app/modules/spreadsheets/read-workbook.server')
const { sheetRowsOf } = await import('../app/modules/library/formats/workbook-rows.server')
const { readQuestionnaireWorkbook } = await import('../app/modules/library/formats/workbook-import')
const { checkDraft } = await import('../app/modules/library/drafts.server')
await connectDb()

function grown(base: Questionnaire): Questionnaire {
  const all = base.sections.flatMap((section) => section.questions)
  const copies: Question[] = []
  // Copies of the unconditional questions (a copied condition would point at the original, which is fine, but keep it simple).
  for (let index = 0; all.length + copies.length < QUESTIONS; index++) {
    const question = all.filter((candidate) => !candidate.showWhen)[index % all.length]!
    copies.push({ ...structuredClone(question), id: `BENCH-${String(index + 1).padStart(3, '0')}` })
  }
  return {
    ...structuredClone(base),
    version: base.version + 1,
    sections: [...structuredClone(base.sections), { id: 'bench-extra', title: { 'zh-CN': '补充问题', en: 'Further questions' }, questions: copies }],
  }
}

const baseline = library().latest.find((questionnaire) => questionnaire.id === 'baseline')!
setPublishedVersions([grown(baseline)])
const questionnaire = findQuestionnaire('baseline', baseline.version + 1)!
const questionCount = questionnaire.sections.reduce((sum, section) => sum + section.questions.length, 0)
const actor = { id: 'bench-user', email: 'bench@bank.test', name: 'Bench', role: 'compliance' as const, locale: 'zh-CN' as const }
const t = await translatorFor('zh-CN', 'library')

function stats(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b)
  return { median: sorted[Math.floor(sorted.length / 2)]!, p95: sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)]! }
}

const cpuMs = () => {
  const { user, system } = process.cpuUsage()
  return (user + system) / 1000
}

/** Wall-clock figures, and this process's CPU time per run (the machine is shared: CPU time shows what the code costs when wall time is inflated by others' load). */
async function measure(run: () => Promise<unknown>) {
  const cold = performance.now()
  await run()
  const first = performance.now() - cold
  for (let i = 1; i < WARMUP; i++) await run()
  const samples: number[] = []
  const cpu: number[] = []
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now()
    const cpuStart = cpuMs()
    await run()
    samples.push(performance.now() - start)
    cpu.push(cpuMs() - cpuStart)
  }
  return { first, ...stats(samples), cpu: stats(cpu).median }
}

let bytes: Buffer = Buffer.alloc(0)
const exported = await measure(async () => {
  bytes = await exportQuestionnaireWorkbook(questionnaire, getClauseLibrary())
})
const imported = await measure(async () => {
  const result = await importWorkbookDraft(actor, bytes, 'baseline-v2.xlsx', t)
  if (!result.ok) throw new Error(`the re-import was refused: ${JSON.stringify(result.problems.slice(0, 3))}`)
})
const drafts = await LibraryDraftModel.countDocuments()
// Where the import's time goes: the same steps one by one (storing is what remains).
const opened = await measure(() => readWorkbook(bytes))
const workbook = await readWorkbook(bytes)
const toContent = await measure(async () => readQuestionnaireWorkbook(sheetRowsOf(workbook)))
const read = readQuestionnaireWorkbook(sheetRowsOf(workbook))
if (!read.ok) throw new Error('the export does not read back')
const checked = await measure(async () => checkDraft({ source: 'workbook', content: read.content, locator: read.locator }))

console.log(`questionnaire workbook, ${questionCount} questions (${(bytes.length / 1024).toFixed(0)} KB; ${drafts} drafts stored), ${RUNS} runs after ${WARMUP} warm-up:`)
for (const [name, figures] of [['export', exported], ['re-import', imported]] as const) {
  const verdict = figures.median <= GOAL_MS ? 'met' : 'NOT met'
  console.log(`  ${name.padEnd(10)} median ${figures.median.toFixed(1).padStart(6)} ms   p95 ${figures.p95.toFixed(1).padStart(6)} ms   first (cold) ${figures.first.toFixed(1).padStart(6)} ms   CPU ${figures.cpu.toFixed(1).padStart(6)} ms   goal ≤ ${GOAL_MS} ms median: ${verdict}`)
}

console.log(
  `  re-import steps (medians): open the workbook ${opened.median.toFixed(1)} ms, rows to content ${toContent.median.toFixed(1)} ms, schema + cross-references ${checked.median.toFixed(1)} ms, store draft + audit ≈ ${Math.max(0, imported.median - opened.median - toContent.median - checked.median).toFixed(1)} ms`,
)
await disconnectDb()
await mongoose.disconnect().catch(() => undefined)
await mongo.stop()
