import { describe, expect, it } from 'vitest'
import { AutosaveQueue, type Draft, type SendResult } from '~/modules/assessments/autosave'

// Manual timers and a scripted transport, so every step of the queue is observable.
function harness(revs: Record<string, number> = {}) {
  const timers: { fn: () => void; ms: number; id: number }[] = []
  let nextId = 1
  const calls: { questionId: string; baseRev: number; draft: Draft; keepalive: boolean; resolve: (result: SendResult) => void; reject: (error: unknown) => void }[] = []
  const queue = new AutosaveQueue(revs, {
    debounceMs: 800,
    retryDelaysMs: [1000, 5000],
    send: (questionId, baseRev, draft, { keepalive }) => new Promise((resolve, reject) => calls.push({ questionId, baseRev, draft, keepalive, resolve, reject })),
    timers: {
      set: (fn, ms) => {
        const id = nextId++
        timers.push({ fn, ms, id })
        return id
      },
      clear: (id) => {
        const index = timers.findIndex((timer) => timer.id === id)
        if (index >= 0) timers.splice(index, 1)
      },
    },
  })
  const fire = () => timers.splice(0).forEach((timer) => timer.fn())
  const settle = () => new Promise((resolve) => setTimeout(resolve, 0))
  return { queue, calls, timers, fire, settle }
}

const draft = (value: string): Draft => ({ value, comment: null })

describe('autosave queue', () => {
  it('debounces edits and sends the latest with the revision the browser holds', async () => {
    const { queue, calls, timers, fire } = harness({ 'GOV-01': 3 })
    queue.edit('GOV-01', draft('a'))
    queue.edit('GOV-01', draft('ab'))
    expect(calls).toHaveLength(0)
    expect(timers.map((timer) => timer.ms)).toEqual([800])
    fire()
    expect(calls).toHaveLength(1)
    expect(calls[0]).toMatchObject({ questionId: 'GOV-01', baseRev: 3, draft: { value: 'ab' } })
    expect(queue.snapshot().status).toBe('saving')
  })

  it('keeps one save in flight per answer; an edit made meanwhile follows with the new revision', async () => {
    const { queue, calls, fire, settle } = harness()
    queue.edit('Q-1', draft('first'))
    fire()
    queue.edit('Q-1', draft('second'))
    fire()
    expect(calls).toHaveLength(1) // still waiting for the first answer
    calls[0].resolve({ kind: 'saved', rev: 1 })
    await settle()
    expect(calls).toHaveLength(2)
    expect(calls[1]).toMatchObject({ baseRev: 1, draft: { value: 'second' } })
    calls[1].resolve({ kind: 'saved', rev: 2 })
    await settle()
    expect(queue.snapshot()).toMatchObject({ status: 'saved', waiting: 0, revs: { 'Q-1': 2 } })
  })

  it('keeps the edit through a network failure, shows offline, and retries with back-off', async () => {
    const { queue, calls, timers, fire, settle } = harness()
    queue.edit('Q-1', draft('kept'))
    fire()
    calls[0].reject(new TypeError('Failed to fetch'))
    await settle()
    expect(queue.snapshot()).toMatchObject({ status: 'offline', waiting: 1 })
    expect(timers.map((timer) => timer.ms)).toEqual([1000])
    fire()
    expect(calls[1]).toMatchObject({ baseRev: 0, draft: { value: 'kept' } })
    calls[1].resolve({ kind: 'network' })
    await settle()
    expect(timers.map((timer) => timer.ms)).toEqual([5000]) // backs off
    queue.edit('Q-1', draft('kept and more'))
    void queue.retryNow() // the browser said it is online again
    calls[2].resolve({ kind: 'saved', rev: 1 })
    await settle()
    expect(calls[2].draft.value).toBe('kept and more')
    expect(queue.snapshot()).toMatchObject({ status: 'saved', waiting: 0 })
  })

  it('stops on a conflict until the vendor chooses; "mine" saves against their revision', async () => {
    const { queue, calls, fire, settle } = harness()
    queue.edit('Q-1', draft('mine'))
    fire()
    calls[0].resolve({ kind: 'conflict', theirs: { value: 'theirs', comment: null, rev: 4, updatedBy: 'Bob' } })
    await settle()
    const snapshot = queue.snapshot()
    expect(snapshot.status).toBe('conflict')
    expect(snapshot.conflicts['Q-1']).toMatchObject({ theirs: { value: 'theirs', rev: 4 }, yours: { value: 'mine' } })
    queue.edit('Q-1', draft('mine, edited'))
    fire()
    expect(calls).toHaveLength(1) // nothing is sent while the conflict is open
    queue.resolveConflict('Q-1', 'mine')
    await settle()
    expect(calls[1]).toMatchObject({ baseRev: 4, draft: { value: 'mine, edited' } })
  })

  it('"theirs" adopts the saved answer and its revision without sending anything', async () => {
    const { queue, calls, fire, settle } = harness()
    queue.edit('Q-1', draft('mine'))
    fire()
    calls[0].resolve({ kind: 'conflict', theirs: { value: 'theirs', comment: 'why', rev: 2 } })
    await settle()
    expect(queue.resolveConflict('Q-1', 'theirs')).toEqual({ value: 'theirs', comment: 'why' })
    expect(queue.revOf('Q-1')).toBe(2)
    expect(calls).toHaveLength(1)
    expect(queue.snapshot().status).not.toBe('conflict')
  })

  it('flushes at once with keepalive when the page is hidden', () => {
    const { queue, calls } = harness()
    queue.edit('Q-1', draft('x'))
    queue.edit('Q-2', draft('y'))
    void queue.flush({ keepalive: true })
    expect(calls.map((call) => [call.questionId, call.keepalive])).toEqual([
      ['Q-1', true],
      ['Q-2', true],
    ])
  })

  it('stops sending once the link is refused, and keeps the edit', async () => {
    const { queue, calls, fire, settle } = harness()
    queue.edit('Q-1', draft('x'))
    fire()
    calls[0].resolve({ kind: 'refused', status: 410, reason: 'expired' })
    await settle()
    queue.edit('Q-2', draft('y'))
    fire()
    expect(calls).toHaveLength(1)
    expect(queue.snapshot()).toMatchObject({ status: 'refused', refused: { status: 410 } })
    expect(queue.hasUnsaved()).toBe(true)
  })
})
