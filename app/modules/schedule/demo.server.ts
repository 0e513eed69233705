// Demo step: spreads the demo vendors' next due dates over the calendar (overdue, due within
// 30/60/90 days, later in the year) and lets one contract run out within the warning period, so a
// fresh demo's dashboard has something in every figure. Runs after the other domains' steps.
import { AssessmentModel } from '~models/assessment'
import { ContractModel } from '~models/contract'
import { VendorModel } from '~models/vendor'
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
  const vendors = await VendorModel.find({ status: { $in: SCHEDULED_VENDOR_STATUSES } }, { _id: 1 }).sort({ 'legalName.en': 1 }).lean()
  const open = new Set((await AssessmentModel.find({ status: { $in: OPEN_STATUSES } }, { vendorId: 1 }).lean()).map((a) => a.vendorId.toString()))
  let spread = 0
  for (const vendor of vendors) {
    if (open.has(vendor._id.toString())) continue // its reassessment is already under way
    const nextDueAt = endOfDayAfter(now, SPREAD_DAYS[spread % SPREAD_DAYS.length]!, timeZone)
    spread++
    await VendorModel.updateOne(
      { _id: vendor._id },
      {
        $set: { 'reassessment.nextDueAt': nextDueAt },
        $unset: { 'reassessment.issuedForDueAt': 1, 'reassessment.assessmentId': 1, 'reassessment.issueLease': 1, 'reassessment.issueError': 1 },
        $inc: { version: 1 },
      },
    )
  }

  const settings = await getSettings()
  const window = { $gte: now, $lte: endOfDayAfter(now, settings.contractExpiryWarningDays, timeZone) }
  let expiring = await ContractModel.countDocuments({ status: 'active', expiresAt: window })
  if (expiring === 0) {
    const contract = await ContractModel.findOne({ status: 'active', effectiveAt: { $lte: now } }, { expiresAt: 1 }).sort({ reference: 1 }).lean()
    if (contract) {
      const expiresAt = endOfDayAfter(now, Math.min(45, settings.contractExpiryWarningDays - 1), timeZone)
      await ContractModel.updateOne(
        { _id: contract._id },
        {
          $set: { expiresAt },
          $push: { history: { at: now, event: 'updated', actor: { kind: 'system', name: 'demo' }, changes: { expiresAt: [contract.expiresAt ?? null, expiresAt] } } },
          $inc: { version: 1 },
        },
      )
      expiring = 1
    }
  }
  log(`[clausewise] demo schedule: ${spread} vendors given due dates, ${expiring} contract(s) expiring soon`)
}
