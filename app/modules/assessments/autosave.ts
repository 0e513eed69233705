// The browser's autosave queue for vendor answers. Pure (timers and the transport are injected),
// so its guarantees are unit-tested: an edit is kept until the server acknowledged it, at most one
// save per answer is in flight, every save names the revision it edited, a network failure keeps
// the edit and retries with back-off, and a conflict stops that answer until the vendor chooses.
import type { AnswerValue } from './vocabulary'

export interface Draft {
  value: AnswerValue
  comment: string | null
}

export interface TheirAnswer extends Draft {
  rev: number
  updatedAt?: string
  updatedBy?: string
}

export type SendResult =
  | { kind: 'saved'; rev: number }
  | { kind: 'conflict'; theirs: TheirAnswer }
  | { kind: 'invalid'; fieldErrors: Record<string, string[]> }
  | { kind: 'refused'; status: number; reason?: string } // the link stopped working, or the questionnaire is locked
  | { kind: 'network' } // offline, timed out or a server error: try again later

export type Send = (questionId: string, baseRev: number, draft: Draft, options: { keepalive: boolean }) => Promise<SendResult>

export type SaveStatus = 'idle' | 'saving' | 'saved' | 'offline' | 'conflict' | 'invalid' | 'refused'

export interface Conflict {
  theirs: TheirAnswer
  yours: Draft
}

export interface QueueSnapshot {
  status: SaveStatus
  waiting: number // edits not yet acknowledged
  conflicts: Record<string, Conflict>
  invalid: Record<string, Record<string, string[]>>
  refused?: { status: number; reason?: string }
  revs: Record<string, number>
  lastSavedAt?: number
}

interface Entry {
  rev: number
  pending?: Draft
  inflight?: Draft
  conflict?: Conflict
  invalid?: Record<string, string[]>
}

export interface QueueOptions {
  send: Send
  debounceMs?: number
  retryDelaysMs?: number[]
  onChange?: (snapshot: QueueSnapshot) => void
  now?: () => number
  timers?: { set: (fn: () => void, ms: number) => unknown; clear: (handle: unknown) => void }
}

export class AutosaveQueue {
  private entries = new Map<string, Entry>()
  private debounceTimer: unknown
  private retryTimer: unknown
  private failures = 0
  private offline = false
  private refused?: { status: number; reason?: string }
  private lastSavedAt?: number
  private everSaved = false
  private readonly options: Required<Omit<QueueOptions, 'onChange'>> & Pick<QueueOptions, 'onChange'>
  private cached?: QueueSnapshot
  private listeners = new Set<() => void>()

  constructor(revs: Record<string, number>, options: QueueOptions) {
    for (const [questionId, rev] of Object.entries(revs)) this.entries.set(questionId, { rev })
    this.options = {
      debounceMs: 800,
      retryDelaysMs: [1_000, 2_000, 5_000, 10_000, 30_000],
      now: () => Date.now(),
      timers: { set: (fn, ms) => setTimeout(fn, ms), clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>) },
      ...options,
    }
  }

  private entry(questionId: string): Entry {
    let entry = this.entries.get(questionId)
    if (!entry) {
      entry = { rev: 0 }
      this.entries.set(questionId, entry)
    }
    return entry
  }

  /** Records an edit; it is sent once the vendor pauses (debounce), or at once on flush(). */
  edit(questionId: string, draft: Draft) {
    if (this.refused) return
    const entry = this.entry(questionId)
    entry.invalid = undefined
    if (entry.conflict) entry.conflict = { ...entry.conflict, yours: draft } // stays blocked until the vendor chooses
    else entry.pending = draft
    this.changed()
    this.options.timers.clear(this.debounceTimer)
    this.debounceTimer = this.options.timers.set(() => void this.flush(), this.options.debounceMs)
  }

  /** Sends every waiting edit now (page hidden, back online, or the debounce elapsed). */
  flush({ keepalive = false }: { keepalive?: boolean } = {}): Promise<void> {
    this.options.timers.clear(this.debounceTimer)
    const sends: Promise<void>[] = []
    for (const [questionId, entry] of this.entries) {
      if (entry.pending && !entry.inflight && !entry.conflict && !this.refused) sends.push(this.sendOne(questionId, entry, keepalive))
    }
    return Promise.all(sends).then(() => undefined)
  }

  private async sendOne(questionId: string, entry: Entry, keepalive: boolean) {
    const draft = entry.pending!
    entry.pending = undefined
    entry.inflight = draft
    this.changed()
    let result: SendResult
    try {
      result = await this.options.send(questionId, entry.rev, draft, { keepalive })
    } catch {
      result = { kind: 'network' }
    }
    entry.inflight = undefined
    switch (result.kind) {
      case 'saved':
        entry.rev = result.rev
        this.failures = 0
        this.offline = false
        this.everSaved = true
        this.lastSavedAt = this.options.now()
        break
      case 'conflict':
        entry.conflict = { theirs: result.theirs, yours: entry.pending ?? draft }
        entry.pending = undefined
        break
      case 'invalid':
        // A newer edit may already fix it; otherwise the vendor sees the field's message.
        if (!entry.pending) entry.invalid = result.fieldErrors
        break
      case 'refused':
        this.refused = { status: result.status, reason: result.reason }
        entry.pending ??= draft
        break
      case 'network':
        entry.pending ??= draft // the newer edit, if any, already contains what the vendor wants
        this.offline = true
        this.scheduleRetry()
        break
    }
    this.changed()
    if (entry.pending && !entry.conflict && !this.refused && result.kind !== 'network') await this.sendOne(questionId, entry, keepalive)
  }

  private scheduleRetry() {
    if (this.retryTimer !== undefined) return
    const delays = this.options.retryDelaysMs
    const delay = delays[Math.min(this.failures, delays.length - 1)]
    this.failures++
    this.retryTimer = this.options.timers.set(() => {
      this.retryTimer = undefined
      void this.flush()
    }, delay)
  }

  /** Back online (the browser's "online" event): retry at once. */
  retryNow() {
    this.options.timers.clear(this.retryTimer)
    this.retryTimer = undefined
    return this.flush()
  }

  /**
   * The vendor chose: keep their colleague's answer (returned so the form can show it), or
   * overwrite it with their own, which is now saved against the colleague's revision.
   */
  resolveConflict(questionId: string, choice: 'theirs' | 'mine'): Draft | undefined {
    const entry = this.entries.get(questionId)
    const conflict = entry?.conflict
    if (!entry || !conflict) return undefined
    entry.conflict = undefined
    entry.rev = conflict.theirs.rev
    if (choice === 'mine') {
      entry.pending = conflict.yours
      this.changed()
      void this.flush()
      return conflict.yours
    }
    this.changed()
    return { value: conflict.theirs.value, comment: conflict.theirs.comment }
  }

  /**
   * The server moved an answer's revision without a value change (the vendor confirmed a carried
   * answer). Ignored while an edit of it is waiting or in flight: that edit's reply decides.
   */
  acknowledge(questionId: string, rev: number) {
    const entry = this.entry(questionId)
    if (entry.pending || entry.inflight || entry.conflict) return
    entry.rev = rev
    this.changed()
  }

  /** The revision the browser holds for an answer (sent with evidence changes and shown in tests). */
  revOf(questionId: string) {
    return this.entries.get(questionId)?.rev ?? 0
  }

  hasUnsaved() {
    for (const entry of this.entries.values()) if (entry.pending || entry.inflight || entry.conflict) return true
    return false
  }

  snapshot(): QueueSnapshot {
    if (this.cached) return this.cached
    let waiting = 0
    let inflight = 0
    const conflicts: Record<string, Conflict> = {}
    const invalid: Record<string, Record<string, string[]>> = {}
    const revs: Record<string, number> = {}
    for (const [questionId, entry] of this.entries) {
      revs[questionId] = entry.rev
      if (entry.pending || entry.inflight) waiting++
      if (entry.inflight) inflight++
      if (entry.conflict) conflicts[questionId] = entry.conflict
      if (entry.invalid) invalid[questionId] = entry.invalid
    }
    const status: SaveStatus = this.refused
      ? 'refused'
      : Object.keys(conflicts).length
        ? 'conflict'
        : this.offline && waiting
          ? 'offline'
          : waiting || inflight
            ? 'saving'
            : Object.keys(invalid).length
              ? 'invalid'
              : this.everSaved
                ? 'saved'
                : 'idle'
    this.cached = { status, waiting, conflicts, invalid, refused: this.refused, revs, lastSavedAt: this.lastSavedAt }
    return this.cached
  }

  /** For React's useSyncExternalStore: called after every change of the snapshot. */
  subscribe(listener: () => void) {
    this.listeners.add(listener)
    return () => void this.listeners.delete(listener)
  }

  private changed() {
    this.cached = undefined
    this.options.onChange?.(this.snapshot())
    for (const listener of this.listeners) listener()
  }

  dispose() {
    this.options.timers.clear(this.debounceTimer)
    this.options.timers.clear(this.retryTimer)
  }
}
