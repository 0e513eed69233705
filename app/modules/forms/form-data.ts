import qs from 'qs'

// Turns posted FormData into the nested object the schema expects: "contacts.0.email" becomes
// { contacts: [{ email }] }, and a name posted several times becomes an array.
// The nesting is qs's (docs/decisions/011-bounded-form-parsing.md): every limit below keeps the
// cost proportional to the size of the body, whatever the names look like.
export const FORM_LIMITS = {
  /** Distinct name=value pairs in one form (a questionnaire with every note filled stays far below). */
  parameters: 5000,
  /** Largest array index and most repeats of one name (the clause picker offers at most 200). */
  arrayItems: 200,
  /** Nesting levels; deeper names keep the rest as one literal key, which no schema accepts. */
  depth: 8,
} as const

const FORBIDDEN = /(^|[.[\]])(__proto__|prototype|constructor)($|[.[\]])/

/** Thrown (a 400 response) when a form breaks a structural limit: too many fields, an index too large. */
const formShapeError = () => new Response('Bad Request', { status: 400, statusText: 'Bad Request' })

export function formDataToObject(formData: FormData): Record<string, unknown> {
  const pairs = new URLSearchParams()
  let count = 0
  for (const [name, value] of formData) {
    if (typeof value !== 'string' || FORBIDDEN.test(name)) continue
    if (++count > FORM_LIMITS.parameters) throw formShapeError()
    pairs.append(name, value)
  }
  try {
    return qs.parse(pairs.toString(), {
      allowDots: true,
      depth: FORM_LIMITS.depth,
      arrayLimit: FORM_LIMITS.arrayItems,
      parameterLimit: FORM_LIMITS.parameters,
      throwOnLimitExceeded: true,
      allowPrototypes: false,
      // Rows removed in the browser leave holes ("contacts.0", "contacts.2"); qs closes them.
      allowSparse: false,
      duplicates: 'combine',
    }) as Record<string, unknown>
  } catch {
    throw formShapeError()
  }
}
