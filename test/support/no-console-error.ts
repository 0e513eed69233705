import { afterEach, beforeEach, expect, vi } from 'vitest'

// An unexpected console.error during a test is a failure (shared/STYLE.md).
let spy: ReturnType<typeof vi.spyOn> | undefined

beforeEach(() => {
  spy = vi.spyOn(console, 'error')
})

afterEach(() => {
  const calls = spy?.mock.calls ?? []
  spy?.mockRestore()
  expect(calls.map((args) => args.map(String).join(' ')), 'console.error was called').toEqual([])
})

/** For a test that expects the app to log an error: call it, then do the thing. */
export function allowConsoleError() {
  spy?.mockImplementation(() => undefined)
  spy?.mockClear()
  const current = spy
  spy = undefined
  current?.mockRestore()
}
