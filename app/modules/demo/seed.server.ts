import { userEmailExists } from '~/modules/auth/user-store.server'
import { createUser } from '~/modules/auth/users.server'
import { seedAssessmentsDemo } from '~/modules/assessments/demo.server'
import { seedVendors } from '~/modules/vendors/demo.server'
import { seedReviewDemo } from '~/modules/review/demo.server'
import { seedHistoryDemo } from '~/modules/review/history-demo.server'
import { seedScheduleDemo } from '~/modules/schedule/demo.server'
import { seedContractsDemo } from '~/modules/contracts/demo.server'
import { seedIncidentsDemo } from '~/modules/incidents/demo.server'
import { seedOffboardingDemo } from '~/modules/offboarding/demo.server'
import { seedDocumentsDemo } from '~/modules/documents/demo.server'
import { listAssessmentIds } from '~/modules/assessments/assessment-store.server'
import { recomputeScore } from '~/modules/review/score.server'

type Log = (line: string) => void

// Demo staff share one password so a newcomer can try every role.
export const DEMO_PASSWORD = 'clausewise-demo'
export const DEMO_STAFF = [
  { email: 'procurement@clausewise.local', name: '王采购 Wang (Procurement)', role: 'procurement', locale: 'zh-CN' },
  { email: 'compliance@clausewise.local', name: 'Li Hegui 李合规 (Compliance)', role: 'compliance', locale: 'en' },
  // The checker of maker-checker: signs off what Li Hegui reviewed.
  { email: 'checker@clausewise.local', name: '周复核 Zhou Fuhe (Compliance)', role: 'compliance', locale: 'zh-CN' },
  { email: 'viewer@clausewise.local', name: '赵查看 Zhao (Viewer)', role: 'viewer', locale: 'zh-CN' },
] as const

async function seedStaff(log: Log) {
  for (const staff of DEMO_STAFF) {
    if (await userEmailExists(staff.email)) continue
    await createUser({ ...staff, password: DEMO_PASSWORD })
  }
  log(`[clausewise] demo staff: ${DEMO_STAFF.map((s) => s.email).join(', ')} (password ${DEMO_PASSWORD})`)
}

/**
 * Scores every open demo assessment once, so no page's first read has to (and the demo's lists
 * and dashboard show the same figures as the review page from the start).
 */
async function seedFreshScores(log: Log) {
  const open = await listAssessmentIds({ excludeStatuses: ['completed', 'cancelled'] })
  let stored = 0
  for (const { _id } of open) if ((await recomputeScore(String(_id))).status === 'stored') stored++
  log(`[clausewise] demo scores: ${stored} of ${open.length} open assessments scored`)
}

/**
 * Demo data, each domain's step in the order it needs the previous ones
 * (staff → vendors → contracts → assessments → reviews & findings → schedule).
 */
export async function seedDemo({ log }: { log: Log }) {
  const steps: [string, (log: Log) => Promise<void>][] = [
    ['staff', seedStaff],
    // Domains add their step below, in dependency order.
    ['vendors', seedVendors], // after the staff: business owners are demo staff
    ['contracts', seedContractsDemo], // after the vendors: one contract each, from the category template
    ['assessments', seedAssessmentsDemo],
    ['reviews', seedReviewDemo], // after the assessments: submitted, under review, clarification, signed off with findings
    ['history', seedHistoryDemo], // after the reviews: a vendor with two yearly assessments signed off and this year's carried over
    ['schedule', seedScheduleDemo], // keep last: spreads the vendors' next due dates
    ['incidents', seedIncidentsDemo], // after the schedule: its triggers bring two vendors' reassessments forward
    ['offboarding', seedOffboardingDemo], // after the schedule: leaving vendors get no next due date
    // After everything that changes assessments and tiers: the evidence files get kinds and dates
    // (valid, expiring, expired) and the open reviews are rescored on them.
    ['documents', seedDocumentsDemo],
    ['scores', seedFreshScores], // last: every open assessment's stored score matches its data
  ]
  for (const [name, step] of steps) {
    const started = Date.now()
    await step(log)
    log(`[clausewise] demo ${name} ready in ${Date.now() - started} ms`)
  }
}

/** Seeds only a fresh database (no demo users yet), so a restart never duplicates anything. */
export async function seedDemoIfEmpty({ log }: { log: Log; adminEmail?: string }) {
  if (await userEmailExists(DEMO_STAFF[0].email)) return false
  await seedDemo({ log })
  return true
}
