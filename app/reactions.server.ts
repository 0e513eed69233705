// Which domain reacts to which event, wired once per process before it takes requests or runs jobs
// (boot.server.ts; the integration tests' setup). The domains register their own reactions; this
// file only lists them (docs/decisions/050-in-app-reactions-to-domain-events.md).
import { reactionsWired } from '~/modules/events/reactions.server'
import { registerReviewReactions } from '~/modules/review/reactions.server'
import { registerScheduleReactions } from '~/modules/schedule/reactions.server'

let wired = false

export function wireReactions() {
  if (wired) return
  wired = true
  registerReviewReactions()
  registerScheduleReactions()
  reactionsWired()
}
