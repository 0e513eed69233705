// Carried answers (carry-over.ts) that the vendor has not confirmed yet. Pure and import-free, so
// progress, scoring and the portal can ask without pulling in the carry-over rule.

/** A stored answer still waiting for the vendor to confirm it (carried, neither confirmed nor edited). */
export function isUnconfirmedCarry(answer: unknown): boolean {
  const carried = (answer as { carriedFrom?: unknown } | null | undefined)?.carriedFrom
  return carried !== undefined && carried !== null
}

/** The answers that count (for the score and at submit): carried answers nobody confirmed are left out. */
export function answersThatCount<T>(answers: Record<string, T>): Record<string, T> {
  let dropped = false
  for (const answer of Object.values(answers)) if (isUnconfirmedCarry(answer)) dropped = true
  if (!dropped) return answers
  return Object.fromEntries(Object.entries(answers).filter(([, answer]) => !isUnconfirmedCarry(answer)))
}
