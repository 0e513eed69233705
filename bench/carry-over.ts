// Benchmark: starting a reassessment with carry-over, beside starting one without, for a payment
// vendor (baseline + payment supplement: 108 questions) with 5 completed assessments.
// Goal: with carry-over ≤ 1.5× without, and ≤ 50 ms (median).
//
//   npm run bench:carry-over          (BENCH_SAMPLES=101 BENCH_OTHER_VENDORS=60)
//
// Both are the staff action's own server function (startAssessmentFromForm), on the embedded
// in-memory mongo-java-server: vendor and contract reads, the snapshot, the carry-over plan, the
// insert, the audit entry, the event relay and the invitation mail into the outbox. The samples
// alternate (with, without, with, …) so both see the same machine load; each started assessment
// is deleted afterwards (not timed) so every sample sees the same database. Other vendors'
// completed assessments (BENCH_OTHER_VENDORS × 5) sit in the same collection, as in a real bank.
import { readFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { performance } from 'node:perf_hooks'
import { addDays, formatISO } from 'date-fns'
import mongoose, { Types } from 'mongoose'
import { startEmbeddedMongo } from '../scripts/embedded-db/launch'
import { percentile } from './lib/http'
import type { Question } from '~/modules/library/content-schema'

const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 101)
const OTHER_VENDORS = Number(process.env.BENCH_OTHER_VENDORS ?? 60)
const PREVIOUS = 5
const GOAL_RATIO = 1.5
const GOAL_MS = 50
const ZONE = 'Asia/Shanghai'

const mongo = await startEmbeddedMongo()
process.env.MONGODB_URI = `${mongo.uri}/bench_carry_over`
process.env.SESSION_SECRET ??= 'bench-secret-bench-secret-bench-secret-0'
process.env.INSTITUTION_TIMEZONE = ZONE
delete process.env.SMTP_URL // mail stays in the outbox

const { VendorModel } = await import('~models/vendor')
const { AssessmentModel } = await import('~models/assessment')
const { MailMessageModel } = await import('~models/mail-message')
const { reloadLibrary, latestQuestionnaire, getContractTemplate } = await import('~/modules/library/library.server')
const { createContract } = await import('~/modules/contracts/contracts.server')
const { startAssessmentFromForm } = await import('~/modules/assessments/start.server')
const { applySignOffEffects } = await import('~/modules/review/review.server')

await mongoose.connect(process.env.MONGODB_URI)
await mongoose.connection.dropDatabase()
await Promise.all(mongoose.modelNames().map((name) => mongoose.model(name).createIndexes()))
reloadLibrary() // the shipped questionnaires/

const questionnaires = [latestQuestionnaire('baseline'), latestQuestionnaire('payment-supplement')]
const questions = questionnaires.flatMap((q) => q.sections.flatMap((s) => s.questions))
const FILE = { fileId: 'f1', filename: 'certificate.pdf', contentType: 'application/pdf', size: 120_000, uploadedAt: new Date('2025-01-02'), kind: 'iso27001', issuedOn: '2025-01-01', expiresOn: '2027-12-31' }

/** A valid answer for each question (the year varies the free text, so years differ a little). */
function answerFor(question: Question, year: number) {
  const options = question.options ?? []
  let value: unknown
  switch (question.kind) {
    case 'yes_no_na':
    case 'single_choice':
      value = options[year % options.length]!.id
      break
    case 'multi_choice':
      value = options.slice(0, 1 + (year % options.length)).map((option) => option.id)
      break
    case 'number':
      value = question.min ?? question.max ?? 1
      break
    case 'date':
      value = `${year}-03-01`
      break
    case 'file':
      return { evidence: [FILE], rev: 3, updatedAt: new Date(`${year}-05-01`), updatedBy: '张三' }
    default:
      value = `Documented in our policy, reviewed in ${year}.`
  }
  return { value, comment: year % 2 ? 'Reviewed by the CISO.' : undefined, evidence: question.evidence ? [FILE] : [], rev: 3, updatedAt: new Date(`${year}-05-01`), updatedBy: '张三' }
}

async function vendorWithHistory(index: number) {
  const vendor = await VendorModel.create({
    legalName: { 'zh-CN': `支付合作机构${index}`, en: `Pay Partner ${index} Ltd` },
    category: 'payment_platform',
    contacts: [
      { name: '张三', email: `zhang${index}@vendor.test`, locale: 'zh-CN' },
      { name: 'Alice Smith', email: `alice${index}@vendor.test`, locale: 'en' },
    ],
    dataProfile: { piCategories: ['identity', 'transactions'], sensitivity: 'C3', recordCount: 100_000 },
    tier: { computed: 1 },
    effectiveTier: 1,
  })
  const vendorId = vendor._id.toString()
  const contract = await createContract({ kind: 'system', label: 'bench' }, vendorId, {
    reference: `CTR-BENCH-${index}`,
    title: 'Payment services agreement',
    effectiveAt: '2021-01-01',
    status: 'active',
    clauseIds: getContractTemplate('payment_platform').clauses,
  })
  if (!contract.ok) throw new Error(`contract not created: ${JSON.stringify(contract)}`)
  const rows = Array.from({ length: PREVIOUS }, (_, i) => {
    const year = 2021 + i
    const signedOff = new Date(`${year}-11-20T06:00:00Z`)
    return {
      _id: new Types.ObjectId(),
      vendorId: vendor._id,
      status: 'completed',
      vendorSnapshot: { legalName: vendor.legalName, category: 'payment_platform' },
      questionnaires: questionnaires.map((q) => ({ id: q.id, version: q.version })),
      contract: { clauses: [] },
      dueAt: new Date(`${year}-11-01T15:59:59Z`),
      answers: Object.fromEntries(questions.map((question) => [question.id, answerFor(question, year)])),
      progress: { answered: questions.length, required: questions.length, percent: 100 },
      submission: { at: new Date(`${year}-10-25T06:00:00Z`), name: '张三', title: '信息安全负责人', count: 1 },
      score: { score: 70 + i, residualRisk: 'medium', clauses: [] },
      signOff: { at: signedOff, byName: 'Li Compliance' },
      createdAt: new Date(`${year}-10-01`),
      updatedAt: signedOff,
      version: 40,
    }
  })
  await AssessmentModel.collection.insertMany(rows)
  // The sign-off's own effects on the vendor (summary with the last assessment, next due date).
  for (const row of rows) await applySignOffEffects(row._id.toString())
  return (await VendorModel.findById(vendor._id).lean())!
}

console.log(`Starting a reassessment with and without carry-over: ${questions.length} questions, ${PREVIOUS} completed assessments, on mongo-java-server (in memory)`)
const seedStarted = performance.now()
for (let i = 0; i < OTHER_VENDORS; i++) await vendorWithHistory(1000 + i)
const vendor = await vendorWithHistory(1)
if (String(vendor.assessmentSummary?.lastAssessmentId) !== String((await AssessmentModel.findOne({ vendorId: vendor._id }).sort({ 'signOff.at': -1 }).lean())?._id)) throw new Error('the sign-off summary does not name the last assessment')
console.log(`  seeded ${OTHER_VENDORS + 1} vendors × ${PREVIOUS} completed assessments in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s`)

const staff = { kind: 'user' as const, id: new Types.ObjectId().toString(), name: 'Wang Procurement' }
const values = (carryOver: boolean) => ({
  vendorId: vendor._id.toString(),
  questionnaires: questionnaires.map((q) => `${q.id}@${q.version}`),
  dueDate: formatISO(addDays(new Date(), 30), { representation: 'date' }),
  contactIds: vendor.contacts.map((contact) => String(contact._id)),
  carryOver,
})

/** CPU time used so far by this process and by the database's process (ms): the machine is shared, so wall time alone is noisy. */
function cpuNow(): { node: number; db: number } {
  const usage = process.cpuUsage()
  const fields = readFileSync(`/proc/${mongo.pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
  return { node: (usage.user + usage.system) / 1000, db: ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND }
}
const TICKS_PER_SECOND = 100 // getconf CLK_TCK on Linux
const cpu = { with: { node: 0, db: 0 }, without: { node: 0, db: 0 } }

async function startOnce(carryOver: boolean, counted = false): Promise<number> {
  const cpuBefore = cpuNow()
  const started = performance.now()
  const result = await startAssessmentFromForm(values(carryOver), staff, ZONE)
  const elapsed = performance.now() - started
  const cpuAfter = cpuNow()
  if (counted) {
    const into = carryOver ? cpu.with : cpu.without
    into.node += cpuAfter.node - cpuBefore.node
    into.db += cpuAfter.db - cpuBefore.db
  }
  if (!result.ok) throw new Error(`start refused: ${JSON.stringify(result.fieldErrors)}`)
  const created = await AssessmentModel.findById(result.assessmentId, { answers: 1, carriedOverFrom: 1 }).lean()
  const carried = Object.keys(created?.answers ?? {}).length
  if (carryOver ? carried < 90 || !created?.carriedOverFrom?.assessmentId : carried !== 0) throw new Error(`unexpected start: ${carried} carried answers (carryOver ${carryOver})`)
  await AssessmentModel.deleteOne({ _id: result.assessmentId })
  await MailMessageModel.deleteMany({ 'related.id': result.assessmentId })
  return elapsed
}

// Warm-up (the JVM and Node compile the hot paths on first use): not counted.
for (let i = 0; i < 10; i++) await startOnce(i % 2 === 0)
const carriedCount = await (async () => {
  const result = await startAssessmentFromForm(values(true), staff, ZONE)
  if (!result.ok) throw new Error('start refused')
  const row = await AssessmentModel.findById(result.assessmentId, { answers: 1 }).lean()
  await AssessmentModel.deleteOne({ _id: result.assessmentId })
  return Object.keys(row?.answers ?? {}).length
})()

const withCarry: number[] = []
const without: number[] = []
for (let i = 0; i < SAMPLES; i++) {
  if (i % 2 === 0) {
    withCarry.push(await startOnce(true, true))
    without.push(await startOnce(false, true))
  } else {
    without.push(await startOnce(false, true))
    withCarry.push(await startOnce(true, true))
  }
}

const sorted = (values: number[]) => [...values].sort((a, b) => a - b)
const withMedian = percentile(sorted(withCarry), 50)
const withoutMedian = percentile(sorted(without), 50)
const ratio = withMedian / withoutMedian
const ms = (value: number) => `${value.toFixed(1)} ms`
console.log(`  ${carriedCount} of ${questions.length} answers carried (file questions and evidence are not)`)
console.log('')
console.log(`without carry-over: median ${ms(withoutMedian)}  p95 ${ms(percentile(sorted(without), 95))}  (${SAMPLES} samples)`)
console.log(`with carry-over:    median ${ms(withMedian)}  p95 ${ms(percentile(sorted(withCarry), 95))}  (${SAMPLES} samples)`)
const perStart = (total: { node: number; db: number }) => `node ${ms(total.node / SAMPLES)} + database ${ms(total.db / SAMPLES)}`
console.log(`CPU per start (means): without ${perStart(cpu.without)}; with ${perStart(cpu.with)}; ratio ${((cpu.with.node + cpu.with.db) / (cpu.without.node + cpu.without.db)).toFixed(2)}x`)
console.log(`load average during the run: ${loadavg().map((value) => value.toFixed(1)).join(' ')} on ${cpus().length} cores`)
// Each pair ran back to back, so its ratio is the least disturbed by the load of the shared machine.
const pairedRatio = percentile(sorted(withCarry.map((value, i) => value / without[i]!)), 50)
console.log(`median of the paired ratios (with ÷ without, back to back): ${pairedRatio.toFixed(2)}x`)
console.log(`ratio (medians): ${ratio.toFixed(2)}x — goal ≤ ${GOAL_RATIO}x ${ratio <= GOAL_RATIO ? 'met' : 'NOT met'}; with carry-over ≤ ${GOAL_MS} ms ${withMedian <= GOAL_MS ? 'met' : 'NOT met'}`)

await mongoose.disconnect()
await mongo.stop()
