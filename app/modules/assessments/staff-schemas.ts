// Forms procurement fills in about assessments. Pure: shared by the browser and the actions.
import { checkbox, manyOf, optionalText, z } from '~/modules/forms/validation'
import { calendarDay } from '~/modules/forms/fields'

const objectId = z.string().regex(/^[a-f0-9]{24}$/)
const day = calendarDay()

/** A due date is a calendar day after today (the caller passes today's date in the institution's zone). */
export function dueDaySchema(today: string) {
  return day.refine((value) => value > today, 'assessments:errors.dueInPast')
}

export function startAssessmentSchema(today: string) {
  return z.object({
    vendorId: objectId,
    questionnaires: manyOf(z.string().regex(/^[a-z][a-z0-9-]*@\d{1,4}$/), { min: 1, max: 10 }),
    dueDate: dueDaySchema(today),
    contactIds: manyOf(objectId, { min: 1, max: 50 }),
    note: optionalText(500),
    // Pre-fill the answers of the last completed assessment (the form ticks it by default).
    carryOver: checkbox,
  })
}

/** The overview's actions: one form per action, told apart by `intent`. */
export function manageSchema(today: string) {
  return z.discriminatedUnion('intent', [
    z.object({ intent: z.literal('extend'), dueDate: dueDaySchema(today) }),
    z.object({ intent: z.literal('remind') }),
    z.object({ intent: z.literal('revoke'), invitationId: objectId }),
    z.object({ intent: z.literal('reissue'), invitationId: objectId }),
    z.object({ intent: z.literal('invite'), contactIds: manyOf(objectId, { min: 1, max: 50 }) }),
  ])
}
