// Binds the autosave queue to the browser: fetch with keepalive, the page being hidden or closed,
// and the network coming back.
import { useEffect, useState, useSyncExternalStore } from 'react'
import { AutosaveQueue, type Draft, type QueueSnapshot, type SendResult } from '../autosave'

async function sendSave(token: string, questionId: string, baseRev: number, draft: Draft, keepalive: boolean): Promise<SendResult> {
  let response: Response
  try {
    response = await fetch(`/v/${token}/save`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ questionId, baseRev, value: draft.value, comment: draft.comment }),
      keepalive,
      credentials: 'same-origin',
    })
  } catch {
    return { kind: 'network' }
  }
  if (response.status >= 500) return { kind: 'network' }
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the save endpoint's JSON, read field by field below
  const body = (await response.json().catch(() => null)) as Record<string, any> | null
  if (response.ok && body?.ok) return { kind: 'saved', rev: Number(body.rev) }
  if (response.status === 409 && body?.conflict) return { kind: 'conflict', theirs: body.conflict.theirs }
  if (response.status === 400) return { kind: 'invalid', fieldErrors: body?.fieldErrors ?? {} }
  if (response.status === 401 || response.status === 403 || response.status === 410 || response.status === 423) {
    return { kind: 'refused', status: response.status, reason: body?.linkProblem ?? (body?.locked ? 'locked' : undefined) }
  }
  return { kind: 'network' }
}

export function useAutosave(token: string, revs: Record<string, number>) {
  const [queue] = useState(() => new AutosaveQueue(revs, { send: (questionId, baseRev, draft, { keepalive }) => sendSave(token, questionId, baseRev, draft, keepalive) }))
  const snapshot = useSyncExternalStore<QueueSnapshot>(
    (notify) => queue.subscribe(notify),
    () => queue.snapshot(),
    () => queue.snapshot(),
  )
  useEffect(() => {
    const flushHidden = () => {
      if (document.visibilityState === 'hidden') void queue.flush({ keepalive: true })
    }
    const flushLeaving = () => void queue.flush({ keepalive: true })
    const online = () => void queue.retryNow()
    // Edits that cannot be sent right now (offline, or waiting for a conflict choice): ask first.
    const warn = (event: BeforeUnloadEvent) => {
      const state = queue.snapshot()
      if (state.status === 'offline' || state.status === 'conflict') {
        event.preventDefault()
        event.returnValue = ''
      }
    }
    document.addEventListener('visibilitychange', flushHidden)
    window.addEventListener('pagehide', flushLeaving)
    window.addEventListener('online', online)
    window.addEventListener('beforeunload', warn)
    return () => {
      document.removeEventListener('visibilitychange', flushHidden)
      window.removeEventListener('pagehide', flushLeaving)
      window.removeEventListener('online', online)
      window.removeEventListener('beforeunload', warn)
      queue.dispose()
    }
  }, [queue])
  return { queue, snapshot }
}
