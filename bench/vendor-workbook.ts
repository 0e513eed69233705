// Benchmark: the vendor's offline workbook for a 108-question assessment with every question
// answered — export (build + write .xlsx) and re-import (safe read + cell-by-cell check + plan
// against the stored answers). Goal ≤ 200 ms median each.
//
//   npm run bench:vendor-workbook
import { translatorFor } from '~/i18n/i18n.server'
import type { Question, Questionnaire } from '~/modules/library/content-schema'
import { buildOfflineWorkbook, parseOfflineWorkbook, planOfflineChanges, type StoredAnswerLike } from '~/modules/assessments/offline-workbook.server'
import { readWorkbook } from '~/modules/spreadsheets/read-workbook.server'
import ExcelJS from 'exceljs'

const GOAL_MS = 200
const SAMPLES = 15
const text = (words: string) => ({ 'zh-CN': `${words}（中文）`, en: words })
const options = ['yes', 'no', 'na'].map((id) => ({ id, label: text(`Option ${id}`), clauses: [] }))
const KINDS: Question['kind'][] = ['yes_no_na', 'single_choice', 'multi_choice', 'short_text', 'long_text', 'number', 'date', 'yes_no_na', 'single_choice']

const questionnaire: Questionnaire = {
  id: 'bench',
  version: 1,
  kind: 'baseline',
  title: text('Bench'),
  description: text('Bench'),
  publishedAt: '2026-01-01',
  proposedFor: [],
  sections: Array.from({ length: 12 }, (_, s) => ({
    id: `s${s}`,
    title: text(`Section ${s}`),
    questions: Array.from({ length: 9 }, (_, q) => {
      const kind = KINDS[q]
      return {
        id: `Q${s}-${q}`,
        kind,
        required: true,
        text: text(`Question ${s}.${q}: does the vendor keep personal information encrypted at rest and in transit?`),
        ...(['yes_no_na', 'single_choice', 'multi_choice'].includes(kind) ? { options } : {}),
        ...(kind === 'number' ? { min: 0, max: 1000 } : {}),
        ...(q === 4 ? { showWhen: { question: `Q${s}-0`, anyOf: ['no'] } } : {}),
        ...(q === 0 ? { evidence: { requiredWhen: ['yes'] } } : {}),
      } as Question
    }),
  })),
}
const questions = questionnaire.sections.flatMap((section) => section.questions)
const valueFor = (question: Question, index: number) =>
  ({ yes_no_na: 'yes', single_choice: 'no', multi_choice: ['yes', 'na'], short_text: `answer ${index}`, long_text: `A longer answer ${index}\nwith two lines`, number: index, date: '2026-05-01', file: null })[question.kind]
const answers: Record<string, StoredAnswerLike> = Object.fromEntries(questions.map((question, index) => [question.id, { value: valueFor(question, index), comment: index % 3 ? null : 'a comment', rev: 1 }]))

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]

async function main() {
  const t = await translatorFor('zh-CN', 'offline')
  const input = { assessmentId: '64b0000000000000000000aa', questionnaires: [questionnaire], answers, editable: 'all' as const, locale: 'zh-CN' as const, t, vendorName: '示例合作机构' }
  let bytes = Buffer.alloc(0)
  const exportTimes: number[] = []
  const importTimes: number[] = []
  for (let sample = 0; sample < SAMPLES + 2; sample++) {
    const start = performance.now()
    const workbook = await buildOfflineWorkbook(input)
    bytes = Buffer.from(await workbook.xlsx.writeBuffer())
    if (sample >= 2) exportTimes.push(performance.now() - start)
  }
  // The vendor edits every answer cell (so every row is checked and planned).
  const edited = new ExcelJS.Workbook()
  await edited.xlsx.load(bytes as unknown as ExcelJS.Buffer)
  edited.worksheets[0].eachRow((row, number) => {
    if (number > 1 && row.getCell(9).value === null) row.getCell(9).value = 'edited offline'
  })
  const upload = Buffer.from(await edited.xlsx.writeBuffer())
  let changes = 0
  for (let sample = 0; sample < SAMPLES + 2; sample++) {
    const start = performance.now()
    const workbook = await readWorkbook(upload)
    const parsed = parseOfflineWorkbook(workbook, { assessmentId: input.assessmentId, questionnaires: [questionnaire], editable: 'all' })
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems.slice(0, 3)))
    changes = planOfflineChanges(parsed.rows, answers).changes.length
    if (sample >= 2) importTimes.push(performance.now() - start)
  }
  console.log(`vendor workbook, ${questions.length} answers (${(bytes.length / 1024).toFixed(0)} KB; re-import plans ${changes} changes), median of ${SAMPLES}:`)
  for (const [name, times] of [['export', exportTimes], ['re-import', importTimes]] as const) {
    const value = median(times)
    console.log(`  ${name.padEnd(10)} ${value.toFixed(1)} ms  (goal ≤ ${GOAL_MS} ms: ${value <= GOAL_MS ? 'met' : 'NOT met'})`)
  }
}

await main()
