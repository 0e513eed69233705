// Registering webhook endpoints. The signing secret is generated (or given by the admin), handed
// back once, and kept sealed with the installation's key: signing needs it back.
import { randomBytes } from 'node:crypto'
import { Types } from 'mongoose'
import { getEnv } from '~/env.server'
import { recordAudit } from '~/modules/audit/audit.server'
import { sealSecret } from '~/modules/auth/secret-box.server'
import { isEventKind, type EventKind } from '~/modules/events/catalogue.server'
import { parseAllowedNetworks, targetProblem, type TargetProblem } from './target.server'
import { requeueSkippedWebhookDeliveries } from './webhook-delivery-store.server'
import { enableWebhookEndpoint, insertWebhookEndpoint } from './webhook-endpoint-store.server'

export const generateSecret = () => `whsec_${randomBytes(32).toString('base64url')}`

export type CreateEndpointResult = { ok: true; endpointId: string; secret: string } | { ok: false; problem: TargetProblem | 'noEvents' | 'weakSecret' }

export async function createEndpoint(input: { name: string; url: string; events: string[]; secret?: string }, actor: { id: string; name: string; email: string }): Promise<CreateEndpointResult> {
  const problem = targetProblem(input.url, parseAllowedNetworks(getEnv().WEBHOOK_ALLOW_NETWORKS))
  if (problem) return { ok: false, problem }
  const events = [...new Set(input.events)].filter(isEventKind) as EventKind[]
  if (events.length === 0) return { ok: false, problem: 'noEvents' }
  if (input.secret !== undefined && input.secret.length < 24) return { ok: false, problem: 'weakSecret' }
  const secret = input.secret ?? generateSecret()
  const _id = new Types.ObjectId()
  await insertWebhookEndpoint({ _id, name: input.name, url: input.url, events, secretSealed: sealSecret(secret, String(_id)), enabled: true, createdBy: { id: actor.id, name: actor.name } })
  await recordAudit({ actor: { kind: 'user', id: actor.id, label: actor.email }, action: 'webhook.create', subject: { kind: 'webhook', id: String(_id) }, details: { name: input.name, url: input.url, events } })
  return { ok: true, endpointId: String(_id), secret }
}

/** Turns an endpoint on again: the count of failures starts over and what was held back is queued. */
export async function enableEndpoint(endpointId: string, actor: { id: string; email: string }): Promise<boolean> {
  const _id = new Types.ObjectId(endpointId)
  if (!(await enableWebhookEndpoint(_id))) return false
  await requeueSkippedWebhookDeliveries(endpointId, new Date())
  await recordAudit({ actor: { kind: 'user', id: actor.id, label: actor.email }, action: 'webhook.enable', subject: { kind: 'webhook', id: endpointId } })
  return true
}
