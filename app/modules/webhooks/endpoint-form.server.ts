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

/** What the endpoint page posts: a redelivery, turning it off or on, a new secret, or deleting it. */
export const endpointActionSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('redeliver'), deliveryId: z.string().max(200) }),
  z.object({ intent: z.literal('disable') }),
  z.object({ intent: z.literal('enable') }),
  z.object({ intent: z.literal('rotate-secret') }),
  // Deleting cannot be undone: the admin ticks the box that says so.
  z.object({ intent: z.literal('delete'), confirm: z.literal('yes', { error: 'webhooks:delete.confirmRequired' }) }),
])
