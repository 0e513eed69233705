// The webhook endpoint form: one schema for the admin page's action (the page offers the same fields).
import { z } from 'zod'
import { EVENT_KINDS } from '~/modules/events/catalogue.server'

export const endpointFormSchema = z.object({
  name: z.string().trim().min(1).max(120),
  url: z.string().trim().min(1).max(2000),
  events: z.array(z.enum(EVENT_KINDS)).min(1),
  // Empty means "generate one"; a given secret must be long enough to resist guessing.
  secret: z
    .string()
    .trim()
    .max(200)
    .transform((value) => (value === '' ? undefined : value))
    .pipe(z.string().min(24).optional()),
})
export type EndpointForm = z.infer<typeof endpointFormSchema>
