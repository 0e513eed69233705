// temporary exploration (deleted afterwards)
import { readdirSync, readFileSync } from 'node:fs'
import { performance } from 'node:perf_hooks'
import { MongoClient, ObjectId } from 'mongodb'
import { startEmbeddedMongo } from '../scripts/embedded-db/launch'

const mongo = await startEmbeddedMongo()
const javaPid = readdirSync('/proc').filter((d) => /^\d+$/.test(d)).find((pid) => { try { const st = readFileSync(`/proc/${pid}/stat`, 'utf8'); return st.split(') ')[1]!.split(' ')[1] === String(process.pid) && st.includes('(java)') } catch { return false } })!
const ticks = () => { const f = readFileSync(`/proc/${javaPid}/stat`, 'utf8').split(') ')[1]!.split(' '); return (Number(f[11]) + Number(f[12])) * 10 }
const client = await MongoClient.connect(mongo.uri)
const db = client.db('shapes')
const col = db.collection('vendors')
const N = 10000
const docs = Array.from({ length: N }, (_, i) => ({
  _id: new ObjectId(), legalName: { 'zh-CN': `上海汇通支付科技有限公司（${i}）`, en: `Shanghai Huitong Payment Technology Co., Ltd. (${i})` },
  creditCode: `9131011500${String(i).padStart(8, '0')}`, category: ['cloud_it', 'marketing', 'other'][i % 3], status: ['active', 'onboarding'][i % 2], effectiveTier: (i % 4) + 1,
  contacts: [{ _id: new ObjectId(), name: 'x', email: 'x@y.example', locale: 'zh-CN' }],
  dataProfile: { piCategories: ['identity', 'contact'], sensitivity: 'C2', recordCount: i * 13, crossBorder: false, crossBorderDestinations: [], usesSubProcessors: false, subProcessors: [], transferMethods: ['api'], consentOnRecord: false, serviceCriticality: 'standard' },
  tier: { computed: (i % 4) + 1, reasons: [{ code: 'base', params: { sensitivity: 'C2', band: 'medium', recordCount: i * 13, tier: 2 } }, { code: 'criticality_floor', params: { criticality: 'important', floor: 3, from: 2, to: 2 } }] },
  searchKey: `上海汇通支付科技有限公司(${i})\nshanghai huitong payment technology co., ltd. (${i})\n9131011500${i}`, version: 0, createdAt: new Date(Date.now() - i * 1000), updatedAt: new Date(Date.now() - i * 1000),
  reassessment: { triggers: [] },
}))
await col.insertMany(docs)
await col.createIndex({ updatedAt: -1 })
await col.createIndex({ effectiveTier: 1 })
const proj = { legalName: 1, creditCode: 1, category: 1, status: 1, effectiveTier: 1, 'dataProfile.sensitivity': 1, 'dataProfile.recordCount': 1, updatedAt: 1 }
const ids = async (filter: any, sort: any) => (await col.find(filter, { projection: { _id: 1 } }).sort(sort).limit(25).toArray()).map((d) => d._id)
const facet = (filter: any) => col.aggregate([{ $match: filter }, { $sort: { updatedAt: -1, _id: -1 } }, { $facet: { total: [{ $count: 'n' }], page: [{ $skip: 0 }, { $limit: 25 }, { $project: proj }] } }]).toArray()
const allIds = (filter: any) => col.find(filter, { projection: { _id: 1 }, batchSize: 20000 }).sort({ updatedAt: -1, _id: -1 }).toArray()
const r = await facet({ searchKey: { $regex: '\\(99' } }); console.log('facet ok', JSON.stringify(r[0]?.total), r[0]?.page?.length)
const facetP = (filter: any) => col.aggregate([{ $match: filter }, { $project: proj }, { $sort: { updatedAt: -1, _id: -1 } }, { $facet: { total: [{ $count: 'n' }], page: [{ $skip: 0 }, { $limit: 25 }] } }]).toArray()
const shapes: [string, () => Promise<unknown>][] = []
for (let round = 0; round < 2; round++) shapes.push(
  ['B find list proj sort {} + est count', () => Promise.all([col.estimatedDocumentCount(), col.find({}, { projection: proj }).sort({ updatedAt: -1, _id: -1 }).limit(25).toArray()])],
  ['C ids sort {} ', () => ids({}, { updatedAt: -1, _id: -1 })],
  ['K facet regex', () => facet({ searchKey: { $regex: '\\(99' } })],
  ['K2 facet+project regex', () => facetP({ searchKey: { $regex: '\\(99' } })],
  ['Q count + find regex (sequential)', async () => { await db.command({ count: 'vendors', query: { searchKey: { $regex: '\\(99' } } }); await col.find({ searchKey: { $regex: '\\(99' } }, { projection: proj }).sort({ updatedAt: -1, _id: -1 }).limit(25).toArray() }],
  ['M facet tier=1', () => facet({ effectiveTier: 1 })],
  ['M2 facet+project tier=1', () => facetP({ effectiveTier: 1 })],
  ['P facet {}', () => facet({})],
  ['P2 facet+project {}', () => facetP({})],
)
for (const [name, run] of shapes) {
  for (let i = 0; i < 3; i++) await run()
  const wall: number[] = []; const java: number[] = []; const node: number[] = []
  for (let i = 0; i < 40; i++) { const j = ticks(); const c = process.cpuUsage(); const s = performance.now(); await run(); wall.push(performance.now() - s); java.push(ticks() - j); node.push((process.cpuUsage(c).user + process.cpuUsage(c).system) / 1000) }
  wall.sort((a, b) => a - b); const jt = java.reduce((a, b) => a + b, 0) / java.length; const nt = node.reduce((a, b) => a + b, 0) / node.length
  console.log(`${name.padEnd(48)} wall median ${wall[20]!.toFixed(1).padStart(7)} ms   java cpu avg ${jt.toFixed(1).padStart(6)} ms  node cpu avg ${nt.toFixed(1).padStart(6)} ms`)
}
await client.close(); await mongo.stop()
