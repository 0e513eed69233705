// Benchmark: one scheduling sweep over 100,000 vendors with 1% versus 10% of them due.
//
//   npm run bench:schedule            (BENCH_VENDORS=100000 BENCH_RUNS=3 BENCH_SAMPLE=100)
//
// Runs on the embedded in-memory mongo-java-server, as the tests do. Measures, per scenario:
//   find   the sweep's query for vendors to issue (indexed range on reassessment.nextDueAt);
//   claim  find + the per-vendor atomic claim (lease) the sweep takes before issuing: the
//          scheduler's own work, without starting assessments or sending mail;
//   floor  the same query when nothing is due (what the query costs before any work);
// and, on a small sample, the full issue of one reassessment (startAssessment, which snapshots the
// vendor and contract and writes the invitation mail to the outbox) to extrapolate from.
import { performance } from 'node:perf_hooks'
import { addDays } from 'date-fns'
import mongoose, { Types } from 'mongoose'
import { startEmbeddedMongo } from '../scripts/embedded-db/launch'

const VENDORS = Number(process.env.BENCH_VENDORS ?? 100_000)
const RUNS = Number(process.env.BENCH_RUNS ?? 3)
const SAMPLE = Number(process.env.BENCH_SAMPLE ?? 100)
const ZONE = 'Asia/Shanghai'

const mongo = await startEmbeddedMongo()
process.env.MONGODB_URI = `${mongo.uri}/bench_schedule`
process.env.SESSION_SECRET ??= 'bench-secret-bench-secret-bench-secret-0'
process.env.INSTITUTION_TIMEZONE = ZONE
delete process.env.SMTP_URL // mail stays in the outbox

const { VendorModel } = await import('~models/vendor')
const { endOfDayAfter } = await import('~/modules/schedule/cadence')
const { claimVendor, issueReassessment, vendorsToIssueFilter } = await import('~/modules/schedule/issue.server')

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!
const ms = (value: number) => `${value.toFixed(1)} ms`
const now = new Date()
const horizon = endOfDayAfter(now, 30, ZONE)

/** Each scenario gets its own database, on the app's (default) connection, so the app's code runs unchanged. */
async function useDatabase(dbName: string) {
  await mongoose.disconnect()
  await mongoose.connect(`${mongo.uri}/${dbName}`)
  await mongoose.connection.dropDatabase()
  await VendorModel.createIndexes()
  const indexes = (await VendorModel.collection.indexes()).map((index) => Object.keys(index.key).join('+'))
  if (!indexes.includes('_id+version')) throw new Error(`vendor indexes missing: ${indexes.join(', ')}`)
}

async function loadVendors(dbName: string, dueShare: number, vendors: number) {
  await useDatabase(dbName)
  const collection = VendorModel.collection
  const due = Math.round(vendors * dueShare)
  const started = performance.now()
  for (let offset = 0; offset < vendors; offset += 5000) {
    const batch = Array.from({ length: Math.min(5000, vendors - offset) }, (_, i) => {
      const index = offset + i
      // Due vendors fall within the 30-day issue window; the rest between 31 days and a year out.
      const days = index < due ? index % 30 : 31 + (index % 334)
      return {
        _id: new Types.ObjectId(),
        legalName: { en: `Vendor ${index}`, 'zh-CN': `合作机构 ${index}` },
        category: 'cloud_it',
        status: 'active',
        contacts: [{ _id: new Types.ObjectId(), name: `Contact ${index}`, email: `c${index}@vendor.test`, locale: index % 2 ? 'en' : 'zh-CN' }],
        tier: { computed: (index % 4) + 1, reasons: [] },
        effectiveTier: (index % 4) + 1,
        reassessment: { nextDueAt: endOfDayAfter(addDays(now, days), 0, ZONE), triggers: [] },
        version: 0,
      }
    })
    await collection.insertMany(batch, { ordered: false })
  }
  console.log(`  ${dbName}: ${vendors.toLocaleString('en')} vendors (${due.toLocaleString('en')} due) inserted in ${((performance.now() - started) / 1000).toFixed(1)} s`)
  return { due }
}

async function measure(label: string, dbName: string, dueShare: number, vendors = VENDORS) {
  const { due } = await loadVendors(dbName, dueShare, vendors)
  const find = async (until: Date) => VendorModel.find(vendorsToIssueFilter(until), { 'reassessment.nextDueAt': 1 }).sort({ 'reassessment.nextDueAt': 1 }).lean()
  const findTimes: number[] = []
  const claimTimes: number[] = []
  const floorTimes: number[] = []
  for (let run = 0; run < RUNS; run++) {
    let started = performance.now()
    const candidates = await find(horizon)
    findTimes.push(performance.now() - started)
    if (candidates.length !== due) throw new Error(`expected ${due} due vendors, found ${candidates.length}`)

    started = performance.now()
    const again = await find(horizon)
    let claimed = 0
    for (const vendor of again) if (await claimVendor(vendor._id, vendor.reassessment!.nextDueAt!, now, 'bench')) claimed++
    claimTimes.push(performance.now() - started)
    if (claimed !== due) throw new Error(`claimed ${claimed} of ${due}`)
    await VendorModel.updateMany({ 'reassessment.issueLease': { $exists: true } }, { $unset: { 'reassessment.issueLease': 1 } })

    started = performance.now()
    const none = await find(addDays(now, -400))
    floorTimes.push(performance.now() - started)
    if (none.length !== 0) throw new Error('the floor query should find nothing')
  }
  const result = { label, due, find: median(findTimes), claim: median(claimTimes), floor: median(floorTimes) }
  console.log(`  ${label}: find ${ms(result.find)} · find+claim ${ms(result.claim)} · floor (nothing due) ${ms(result.floor)} — medians of ${RUNS}`)
  return result
}

await mongoose.connect(process.env.MONGODB_URI)
console.log(`Scheduling sweep over ${VENDORS.toLocaleString('en')} vendors on mongo-java-server (in memory)`)
console.log('warming up (the JVM and Node compile the hot paths on first use; not counted):')
await measure('warm-up', 'bench_schedule_warmup', 0.1, Math.min(VENDORS, 5000))
const one = await measure('1% due ', 'bench_schedule_1', 0.01)
const ten = await measure('10% due', 'bench_schedule_10', 0.1)

// Full issue on a sample, in a database of its own.
await useDatabase('bench_schedule_sample')
const sampleIds: Types.ObjectId[] = []
for (let i = 0; i < SAMPLE; i++) {
  const vendor = await VendorModel.create({
    legalName: { en: `Sample ${i}` },
    category: 'cloud_it',
    status: 'active',
    contacts: [{ name: `Sample ${i}`, email: `s${i}@vendor.test`, locale: 'en' }],
    tier: { computed: 3, reasons: [] },
    effectiveTier: 3,
    reassessment: { nextDueAt: endOfDayAfter(now, 20, ZONE) },
  })
  sampleIds.push(vendor._id)
}
await issueReassessment(sampleIds[0]!, endOfDayAfter(now, 20, ZONE), { now, timeZone: ZONE }) // warm the library cache
const started = performance.now()
for (const id of sampleIds.slice(1)) {
  const outcome = await issueReassessment(id, endOfDayAfter(now, 20, ZONE), { now, timeZone: ZONE })
  if (outcome !== 'issued') throw new Error(`sample vendor not issued: ${outcome}`)
}
const perIssue = (performance.now() - started) / (SAMPLE - 1)

console.log('')
console.log(`find       1%: ${ms(one.find)}   10%: ${ms(ten.find)}   ratio ${(ten.find / one.find).toFixed(2)}x`)
console.log(`find+claim 1%: ${ms(one.claim)}   10%: ${ms(ten.claim)}   ratio ${(ten.claim / one.claim).toFixed(2)}x`)
console.log(`floor (query, nothing due): ${ms(one.floor)} / ${ms(ten.floor)}`)
console.log(`claim per due vendor: ${ms((one.claim - one.find) / one.due)} (1%) / ${ms((ten.claim - ten.find) / ten.due)} (10%)`)
console.log(`full issue (startAssessment + outbox mail), ${SAMPLE - 1}-vendor sample: ${ms(perIssue)} per vendor → ~${((perIssue * one.due) / 1000).toFixed(0)} s for 1%, ~${((perIssue * ten.due) / 1000).toFixed(0)} s for 10%`)
console.log('')
console.log('Note: mongo-java-server uses only unique indexes, and those only for equality and $in; a range query on')
console.log('reassessment.nextDueAt scans the collection there, so the query floor grows with the inventory on this')
console.log('server. On MongoDB the compound index (issuedForDueAt, nextDueAt) bounds the scan to the due vendors.')

await mongoose.disconnect()
await mongo.stop()
