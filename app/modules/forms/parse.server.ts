import { data } from '@remix-run/node'
import { formDataToObject } from './form-data'
import { readFormData } from './read.server'
import { fieldErrorsOf, type FieldErrors, type z } from './validation'

export type ActionErrors = { ok: false; fieldErrors: FieldErrors; formError?: string }

/** Validates a posted form with the same schema the browser used. */
export async function parseForm<T extends z.ZodType>(
  request: Request,
  schema: T,
): Promise<{ ok: true; value: z.infer<T> } | ActionErrors> {
  const formData = await readFormData(request)
  return parseFormData(formData, schema)
}

export function parseFormData<T extends z.ZodType>(formData: FormData, schema: T): { ok: true; value: z.infer<T> } | ActionErrors {
  const result = schema.safeParse(formDataToObject(formData))
  if (result.success) return { ok: true, value: result.data }
  return { ok: false, fieldErrors: fieldErrorsOf(result.error) }
}

/** A 400 (or other 4xx) carrying field messages back to the form. */
export function invalid(errors: FieldErrors, formError?: string, status = 400) {
  return data({ ok: false as const, fieldErrors: errors, formError }, { status })
}
