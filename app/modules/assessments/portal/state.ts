// The one state the vendor portal tells a contact, from the assessment's status and what the
// contact may still change. Pure: the landing page and the questionnaire show the same message,
// so a page never says "submitted, read only" beside "please clarify".
export type PortalState =
  | { kind: 'open' } // the questionnaire is being filled in
  | { kind: 'clarification'; count: number } // compliance reopened these questions after a submission
  | { kind: 'submitted' } // submitted; nothing can be changed now
  | { kind: 'closed' } // nothing can be changed and it was never submitted (e.g. cancelled)

export function portalState(input: { editable: 'all' | readonly string[]; submitted: boolean }): PortalState {
  if (input.editable === 'all') return { kind: 'open' }
  if (input.editable.length > 0) return { kind: 'clarification', count: input.editable.length }
  return input.submitted ? { kind: 'submitted' } : { kind: 'closed' }
}
