// In-process reactions to domain events (docs/decisions/050-in-app-reactions-to-domain-events.md).
// The domain that reacts registers its handler here (`reactTo('assessment.submitted', …)` in
// review/reactions.server.ts); the domain that writes only records the event. app/reactions.server.ts
// wires every registration once at boot, then calls `reactionsWired()`. The relay runs an event's
// reactions at least once after its write, so each reaction must be idempotent: keyed by the event
// (or its subject, e.g. one trigger per contract), or naturally so (a rescore).
import type { DomainEvent, EventKind } from './catalogue.server'

export type Reaction<K extends EventKind> = (event: DomainEvent<K>) => Promise<unknown>

type Registered = { name: string; run: (event: DomainEvent) => Promise<unknown> }

const registry = new Map<EventKind, Registered[]>()
let wired = false

/** Registers `reaction` (named for logs) to every event of `kind`. */
export function reactTo<K extends EventKind>(kind: K, name: string, reaction: Reaction<K>): void {
  const reactions = registry.get(kind) ?? []
  if (reactions.some((registered) => registered.name === name)) throw new Error(`reaction "${name}" to ${kind} is registered twice`)
  // Stored beside reactions of other kinds; only ever called with events of `kind` (reactionsTo).
  reactions.push({ name, run: reaction as (event: DomainEvent) => Promise<unknown> })
  registry.set(kind, reactions)
}

/**
 * Every registration is made: from now on an event with no reaction is recorded as needing none.
 * Before this (a script that never wired them) every event is recorded as due, for a wired
 * process to run — none is skipped by a process that does not know the reactions.
 */
export function reactionsWired(): void {
  wired = true
}

export const areReactionsWired = () => wired

/** Whether an event of `kind` is to be recorded as awaiting reactions. */
export function awaitsReactions(kind: EventKind): boolean {
  return !wired || (registry.get(kind)?.length ?? 0) > 0
}

/**
 * Runs every reaction to `event`, each even if another fails; throws one error naming the ones
 * that failed (they all run again on the next attempt, hence idempotent).
 */
export async function runReactions(event: DomainEvent): Promise<number> {
  const reactions = registry.get(event.kind) ?? []
  const failures: string[] = []
  for (const reaction of reactions) {
    try {
      await reaction.run(event)
    } catch (error) {
      failures.push(`${reaction.name}: ${error instanceof Error ? error.message : String(error)}`)
    }
  }
  if (failures.length) throw new Error(`reactions to ${event.kind} ${event.id} failed: ${failures.join('; ')}`)
  return reactions.length
}
