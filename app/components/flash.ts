// Messages shown once after an action redirected (“Vendor saved”), carried by the server-side
// session to the next page (app/modules/auth/flash.server.ts). Each key is `common:flash.<key>`.
export const FLASH_MESSAGES = [
  'vendorCreated',
  'vendorSaved',
  'tierSaved',
  'contractCreated',
  'contractSaved',
  'assessmentStarted',
  'findingSaved',
  'incidentReported',
  'userCreated',
  'draftImported',
  'versionPublished',
  'draftDiscarded',
  'offboardingStarted',
  'offboardingAccepted',
  'offboardingSentBack',
  'webhookDeleted',
] as const

export type FlashKey = (typeof FLASH_MESSAGES)[number]

/** What the root loader hands to the shell: `id` tells one showing of a message from the next. */
export interface Flash {
  id: string
  key: FlashKey
  /** What the message is about, e.g. the vendor's name (optional, interpolated as {{subject}}). */
  subject?: string
}
