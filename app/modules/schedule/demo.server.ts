// Demo step: spreads the demo vendors' next due dates over the calendar (overdue, due within
// 30/60/90 days, later in the year) and lets one contract run out within the warning period, so a
// fresh demo's dashboard has something in every figure. Runs after the other domains' steps.
import { vendorIdsWithAssessments } from '~/modules/assessments/assessment-store.server'
import { countExpiringContracts, findFirstActiveContract, moveContractExpiry } from '~/modules/contracts/contract-store.server'
import { listVendorsBy, setVendorNextDueAt } from '~/modules/vendors/vendor-store.server'
import { OPEN_STATUSES } from '~/modules/assessments/vocabulary'
import { endOfDayAfter } from './cadence'
import { SCHEDULED_VENDOR_STATUSES } from './issue.server'
import { getSettings, institutionTimeZone } from './settings.server'

type Log = (line: string) => void

/** Days from today, in turn, for the demo vendors that have no open assessment. */
const SPREAD_DAYS = [-9, 12, 26, 44, 58, 83, 130, 190, -21, 240, 300, 20, 70, 160, 350]

export async function seedScheduleDemo(log: Log) {
  const now = new Date()
  const timeZone = institutionTimeZone()
  const vendors = await listVendorsBy({ fields: 'id', statuses: SCHEDULED_VENDOR_STATUSES, order: 'englishName' })
  const open = new Set(await vendorIdsWithAssessments(OPEN_STATUSES))
  let spread = 0
  for (const vendor of vendors) {
    if (open.has(vendor._id.toString())) continue // its reassessment is already under way
    const nextDueAt = endOfDayAfter(now, SPREAD_DAYS[spread % SPREAD_DAYS.length]!, timeZone)
    spread++
    await setVendorNextDueAt(vendor._id, nextDueAt)
  }

  const settings = await getSettings()
  let expiring = await countExpiringContracts({ from: now, to: endOfDayAfter(now, settings.contractExpiryWarningDays, timeZone) })
  if (expiring === 0) {
    const contract = await findFirstActiveContract(now)
    if (contract) {
      const expiresAt = endOfDayAfter(now, Math.min(45, settings.contractExpiryWarningDays - 1), timeZone)
      // Recorded as an edit records it (contracts/changes.ts), so the history view shows the move.
      await moveContractExpiry(contract._id, expiresAt, {
        at: now,
        event: 'updated',
        actor: { kind: 'system', name: 'demo' },
        changes: { fields: { expiresAt: [contract.expiresAt?.toISOString() ?? null, expiresAt.toISOString()] } },
      })
      expiring = 1
    }
  }
  log(`[clausewise] demo schedule: ${spread} vendors given due dates, ${expiring} contract(s) expiring soon`)
}
