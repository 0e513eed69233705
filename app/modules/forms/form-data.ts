// Turns posted FormData into the nested object the schema expects: "contacts.0.email" becomes
// { contacts: [{ email }] }, and a name posted several times becomes an array.
// Keys are only ever used as property names on fresh objects; "__proto__" and friends are dropped.
const FORBIDDEN = new Set(['__proto__', 'prototype', 'constructor'])

export function formDataToObject(formData: FormData): Record<string, unknown> {
  const result: Record<string, unknown> = {}
  for (const name of new Set(formData.keys())) {
    const values = formData.getAll(name).filter((value): value is string => typeof value === 'string')
    if (values.length === 0) continue
    const path = name.split('.')
    if (path.some((segment) => FORBIDDEN.has(segment) || segment === '')) continue
    let cursor: Record<string, unknown> | unknown[] = result
    path.forEach((segment, index) => {
      const last = index === path.length - 1
      const nextIsIndex = !last && /^\d+$/.test(path[index + 1]!)
      const container = cursor as Record<string, unknown>
      if (last) {
        container[segment] = values.length === 1 ? values[0] : values
      } else {
        container[segment] ??= nextIsIndex ? [] : {}
        cursor = container[segment] as Record<string, unknown>
      }
    })
  }
  return compactArrays(result) as Record<string, unknown>
}

// Rows removed in the browser leave holes ("contacts.0", "contacts.2"); close them.
function compactArrays(value: unknown): unknown {
  if (Array.isArray(value)) return value.filter((item) => item !== undefined).map(compactArrays)
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, compactArrays(v)]))
  }
  return value
}
