// A page of rows asks for the same few texts hundreds of times ("Evidence", "Meets", "By Li, 3 Dec
// 2026 01:00"), and every i18next call resolves the key, interpolates and post-processes again.
// A page's rows share one translator that remembers each (key, values) it was asked for, for one
// render of the page: the same texts, translated once. Pure; runs in the browser and on the server.
import type { TFunction } from 'i18next'

export function cachedTranslator<T extends TFunction>(t: T): T {
  // i18next's TFunction overloads cannot be called with keys only known at run time: called as a plain function.
  const translate = t as unknown as (key: string | string[], options?: object) => unknown
  const texts = new Map<string, unknown>()
  const cached = (key: string | string[], options?: object) => {
    // Values are strings, numbers and booleans here; JSON names them exactly.
    const id = options === undefined ? String(key) : `${String(key)}\u0000${JSON.stringify(options)}`
    if (!texts.has(id)) texts.set(id, translate(key, options))
    return texts.get(id)
  }
  // Same calls, same results, cached: it stands in for the overloaded TFunction type.
  return cached as unknown as T
}
