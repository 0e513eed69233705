import { AsyncLocalStorage } from 'node:async_hooks'

// One store per incoming request, for work that the root loader and a page's loader would
// otherwise each do (they run side by side and receive different Request objects): server.ts runs
// every Remix request inside `inRequestScope`. Outside a scope (tests calling loaders directly)
// nothing is shared.
const scope = new AsyncLocalStorage<Map<string, unknown>>()

export function inRequestScope<T>(run: () => T): T {
  return scope.run(new Map(), run)
}

/** The value `key` has in this request, computed by `make` on first use. */
export function oncePerRequest<T>(key: string, make: () => T): T {
  const store = scope.getStore()
  if (!store) return make()
  if (!store.has(key)) store.set(key, make())
  return store.get(key) as T
}
