// RFC 9457 problem details for the REST API, in the caller's language (Accept-Language): a title
// and detail for people, a stable `type` for programs, and each invalid field by its path.
import type { Locale } from '~/i18n/locales'
import { translatorFor } from '~/i18n/i18n.server'
import { translateError, type FieldErrors } from '~/modules/forms/validation'

export const PROBLEM_TYPE = 'application/problem+json'

/** Problem kinds: each has a `type` URI (documented in docs/api.md) and a translated title. */
export const PROBLEMS = {
  badRequest: 400,
  validation: 400,
  unauthorized: 401,
  forbidden: 403,
  notFound: 404,
  methodNotAllowed: 405,
  versionConflict: 409,
  conflict: 409,
  payloadTooLarge: 413,
  unsupportedMediaType: 415,
  versionRequired: 428,
  rateLimited: 429,
  internal: 500,
  unavailable: 503,
} as const
export type ProblemKind = keyof typeof PROBLEMS

export const problemTypeUri = (kind: ProblemKind) => `urn:clausewise:problem:${kind.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`

export interface ProblemField {
  /** The field's path, dot-separated as in the request body or query: "dataProfile.recordCount". */
  field: string
  /** JSON Pointer (RFC 6901) to the same field in the request body. */
  pointer: string
  detail: string
}

export interface Problem {
  type: string
  title: string
  status: number
  detail?: string
  instance?: string
  errors?: ProblemField[]
}

const pointerOf = (field: string) => (field === '_form' ? '' : `/${field.split('.').map((part) => part.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`)

export async function problemResponse(
  kind: ProblemKind,
  locale: Locale,
  options: { instance?: string; detail?: string; detailParams?: Record<string, unknown>; fieldErrors?: FieldErrors; headers?: Record<string, string> } = {},
): Promise<Response> {
  const t = await translatorFor(locale, 'api')
  const errors = options.fieldErrors
    ? Object.entries(options.fieldErrors).flatMap(([field, messages]) => messages.map((message) => ({ field, pointer: pointerOf(field), detail: translateError(t, message) ?? message })))
    : undefined
  const problem: Problem = {
    type: problemTypeUri(kind),
    title: t(`problems.${kind}.title`),
    status: PROBLEMS[kind],
    detail: options.detail ? (translateError(t, options.detail) ?? options.detail) : t(`problems.${kind}.detail`, options.detailParams ?? {}),
    ...(options.instance ? { instance: options.instance } : {}),
    ...(errors?.length ? { errors } : {}),
  }
  return new Response(JSON.stringify(problem), {
    status: problem.status,
    headers: { 'Content-Type': `${PROBLEM_TYPE}; charset=utf-8`, 'Content-Language': locale, 'Cache-Control': 'no-store', ...options.headers },
  })
}
