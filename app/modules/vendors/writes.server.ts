// Writing the vendor inventory. Every write is one function that checks the permission, validates
// with the shared schema, applies one atomic single-document change (guarded by `version` for
// updates) and records the audit entry.
import { Types } from 'mongoose'
import { isVendorReadOnly, READ_ONLY_MESSAGE } from '~/modules/offboarding/read-only.server'
import { activeUserExists } from '~/modules/auth/user-store.server'
import { recordAudit } from '~/modules/audit/audit.server'
import { can, type Permission } from '~/modules/auth/roles'
import { triggerUpdate } from '~/modules/schedule/schedule.server'
import { domainEvent } from '~/modules/events/catalogue.server'
import { eventsOnCreate, publishEvents, withEvents } from '~/modules/events/outbox.server'
import type { SessionUser } from '~/modules/auth/session.server'
import { fieldErrorsOf, type FieldErrors } from '~/modules/forms/validation'
import { tierOverrideSchema, vendorEditSchema, vendorInputSchema, type VendorInput } from './schemas'
import { vendorSearchKey } from './search'
import { computeTier } from './tiering'
import { asObjectId } from './vendors.server'
import { creditCodeInUse, findVendor, findVendorTierState, insertVendor, updateVendorAtVersion, type StoredVendor, type VendorTierState } from './vendor-store.server'
import type { Tier } from './vocabulary'

export type VendorWriteResult =
  | { ok: true; vendorId: string; version: number }
  | { ok: false; status: 400 | 404 | 409; fieldErrors: FieldErrors; formError?: string }

const DUPLICATE_CREDIT_CODE = 'vendors:errors.duplicateCreditCode'

function assertCan(user: SessionUser, permission: Permission) {
  if (!can(user.role, permission)) throw new Response('Forbidden', { status: 403, statusText: 'Forbidden' })
}

const userActor = (user: SessionUser) => ({ kind: 'user' as const, id: user.id, label: user.email })

function isDuplicateKey(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 11000
}

/**
 * Contacts to store: a contact that already exists keeps its id (assessment invitations refer to
 * it), a new one gets a fresh id.
 */
function contactsToStore(contacts: VendorInput['contacts'], existingIds: Set<string>) {
  return contacts.map(({ id, ...contact }) => ({ ...contact, _id: id && existingIds.has(id) ? new Types.ObjectId(id) : new Types.ObjectId() }))
}

/** The stored fields for validated input: what the person entered plus the tier and search key it implies. */
function derivedFields(input: VendorInput, existingContactIds: Set<string> = new Set()) {
  const { tier, reasons } = computeTier(input.dataProfile)
  return {
    legalName: { 'zh-CN': input.legalName['zh-CN'] ?? '', en: input.legalName.en ?? '' },
    category: input.category,
    services: input.services ?? '',
    status: input.status,
    contacts: contactsToStore(input.contacts, existingContactIds),
    dataProfile: input.dataProfile,
    computedTier: tier,
    reasons,
    searchKey: vendorSearchKey(input),
  }
}

/** The document a new vendor is stored as (also used by the demo data). */
export function newVendorDocument(input: VendorInput) {
  const fields = derivedFields(input)
  return {
    legalName: fields.legalName,
    ...(input.creditCode ? { creditCode: input.creditCode } : { foreignRegistration: input.foreignRegistration }),
    category: fields.category,
    services: fields.services,
    ...(input.businessOwnerId ? { businessOwnerId: new Types.ObjectId(input.businessOwnerId) } : {}),
    contacts: fields.contacts,
    status: fields.status,
    dataProfile: fields.dataProfile,
    tier: { computed: fields.computedTier, reasons: fields.reasons },
    effectiveTier: fields.computedTier,
    searchKey: fields.searchKey,
    version: 0,
  }
}

async function ownerProblem(input: VendorInput): Promise<FieldErrors | null> {
  if (!input.businessOwnerId) return null
  const exists = await activeUserExists(new Types.ObjectId(input.businessOwnerId))
  return exists ? null : { businessOwnerId: ['vendors:errors.unknownOwner'] }
}

async function creditCodeTaken(creditCode: string | undefined, exceptId?: Types.ObjectId): Promise<boolean> {
  if (!creditCode) return false
  return creditCodeInUse(creditCode, exceptId)
}

export async function createVendor(raw: unknown, actor: SessionUser, options: { source?: 'form' | 'csv' } = {}): Promise<VendorWriteResult> {
  assertCan(actor, 'vendor:write')
  const parsed = vendorInputSchema.safeParse(raw)
  if (!parsed.success) return { ok: false, status: 400, fieldErrors: fieldErrorsOf(parsed.error) }
  const input = parsed.data
  const ownerErrors = await ownerProblem(input)
  if (ownerErrors) return { ok: false, status: 400, fieldErrors: ownerErrors }
  if (await creditCodeTaken(input.creditCode)) return { ok: false, status: 400, fieldErrors: { creditCode: [DUPLICATE_CREDIT_CODE] } }

  const _id = new Types.ObjectId()
  const vendorId = String(_id)
  const document = newVendorDocument(input)
  try {
    await insertVendor({ _id, ...document, ...eventsOnCreate(domainEvent('vendor.created', { vendorId, name: document.legalName, tier: document.effectiveTier })) })
  } catch (error) {
    // Two people saving the same code at the same moment: the unique index decides.
    if (isDuplicateKey(error)) return { ok: false, status: 400, fieldErrors: { creditCode: [DUPLICATE_CREDIT_CODE] } }
    throw error
  }
  await recordAudit({
    actor: userActor(actor),
    action: 'vendor.create',
    subject: { kind: 'vendor', id: vendorId },
    details: { source: options.source ?? 'form', name: input.legalName, tier: computeTier(input.dataProfile).tier },
  })
  await publishEvents('vendors', _id)
  return { ok: true, vendorId, version: 0 }
}

/** A comparable form of a stored or new value: key order, sub-document ids and ObjectId/Date types ignored. */
function comparable(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString()
  if (value instanceof Types.ObjectId) return String(value)
  if (Array.isArray(value)) return value.map(comparable)
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key, inner]) => key !== '_id' && inner !== undefined && inner !== null)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([key, inner]) => [key, comparable(inner)]),
    )
  }
  return value ?? null
}

/** The fields whose stored value differs from the new one, for the audit entry. */
function changedPaths(before: StoredVendor, after: Record<string, unknown>): string[] {
  return Object.entries(after)
    .filter(([path, value]) => {
      const stored = path.split('.').reduce<unknown>((cursor, part) => (cursor !== null && typeof cursor === 'object' ? (cursor as Record<string, unknown>)[part] : undefined), before)
      return JSON.stringify(comparable(stored)) !== JSON.stringify(comparable(value))
    })
    .map(([path]) => path)
}

export async function updateVendor(id: string, raw: unknown, actor: SessionUser): Promise<VendorWriteResult> {
  assertCan(actor, 'vendor:write')
  const objectId = asObjectId(id)
  if (!objectId) return { ok: false, status: 404, fieldErrors: {}, formError: 'errors:notFound' }
  if (await isVendorReadOnly(objectId)) return { ok: false, status: 409, fieldErrors: {}, formError: READ_ONLY_MESSAGE }
  const parsed = vendorEditSchema.safeParse(raw)
  if (!parsed.success) return { ok: false, status: 400, fieldErrors: fieldErrorsOf(parsed.error) }
  const { version, ...input } = parsed.data

  const current = await findVendor(objectId)
  if (!current) return { ok: false, status: 404, fieldErrors: {}, formError: 'errors:notFound' }
  if (current.version !== version) return { ok: false, status: 409, fieldErrors: {}, formError: 'errors:conflict' }
  const ownerErrors = await ownerProblem(input)
  if (ownerErrors) return { ok: false, status: 400, fieldErrors: ownerErrors }
  if (await creditCodeTaken(input.creditCode, objectId)) return { ok: false, status: 400, fieldErrors: { creditCode: [DUPLICATE_CREDIT_CODE] } }

  const fields = derivedFields(input, new Set((current.contacts ?? []).map((contact) => String(contact._id))))
  const effectiveTier = current.tier?.override?.tier ?? fields.computedTier
  const set: Record<string, unknown> = {
    legalName: fields.legalName,
    category: fields.category,
    services: fields.services,
    status: fields.status,
    contacts: fields.contacts,
    dataProfile: fields.dataProfile,
    'tier.computed': fields.computedTier,
    'tier.reasons': fields.reasons,
    effectiveTier,
    searchKey: fields.searchKey,
  }
  const unset: Record<string, 1> = {}
  if (input.creditCode) {
    set.creditCode = input.creditCode
    unset.foreignRegistration = 1
  } else {
    set.foreignRegistration = input.foreignRegistration
    unset.creditCode = 1
  }
  if (input.businessOwnerId) set.businessOwnerId = new Types.ObjectId(input.businessOwnerId)
  else unset.businessOwnerId = 1

  const changes = changedPaths(current, { ...set, businessOwnerId: set.businessOwnerId ?? undefined, creditCode: set.creditCode ?? undefined })
    .filter((path) => !['tier.reasons', 'searchKey', 'effectiveTier', 'tier.computed'].includes(path))
  const trigger = await tierRaiseTrigger(objectId, current.effectiveTier, effectiveTier, current.reassessment, actor)
  const update = withEvents<Record<string, unknown>>(
    { $set: { ...set, ...trigger?.set }, $unset: { ...unset, ...trigger?.unset }, ...(trigger ? { $push: trigger.push } : {}), $inc: { version: 1 } },
    ...tierChangedEvents(id, current.effectiveTier, effectiveTier, current.tier?.override?.tier != null),
  )

  let updated
  try {
    updated = await updateVendorAtVersion(objectId, version, update)
  } catch (error) {
    if (isDuplicateKey(error)) return { ok: false, status: 400, fieldErrors: { creditCode: [DUPLICATE_CREDIT_CODE] } }
    throw error
  }
  if (!updated) return { ok: false, status: 409, fieldErrors: {}, formError: 'errors:conflict' }
  await recordAudit({
    actor: userActor(actor),
    action: 'vendor.update',
    subject: { kind: 'vendor', id },
    details: { changes, tier: { from: current.tier?.computed, to: fields.computedTier }, effectiveTier: { from: current.effectiveTier, to: effectiveTier } },
  })
  if (trigger) await recordAudit(trigger.audit)
  await publishEvents('vendors', objectId)
  return { ok: true, vendorId: id, version: updated.version ?? version + 1 }
}

/** The event of a change of the effective tier (none when it stays). */
function tierChangedEvents(vendorId: string, from: Tier, to: Tier, overridden: boolean) {
  return from === to ? [] : [domainEvent('vendor.tier_changed', { vendorId, from, to, overridden })]
}

/**
 * A higher tier (a lower number) brings the reassessment forward: the schedule's trigger (its
 * reason, the moved due date) is written by the same update that raises the tier, so a crash can
 * never leave a raised tier without its reassessment. Null when the tier does not rise.
 */
async function tierRaiseTrigger(objectId: Types.ObjectId, from: Tier, to: Tier, reassessment: VendorTierState['reassessment'], actor: SessionUser) {
  if (!(to < from)) return null
  return triggerUpdate({ vendorId: String(objectId), reason: 'tier_raised', detail: `${from} → ${to}`, actor: { kind: 'user', id: actor.id, name: actor.name } }, reassessment)
}

/** Sets or removes an admin's override of the computed tier; the justification, author and time are kept. */
export async function overrideTier(id: string, raw: unknown, actor: SessionUser): Promise<VendorWriteResult> {
  assertCan(actor, 'vendor:override-tier')
  const objectId = asObjectId(id)
  if (!objectId) return { ok: false, status: 404, fieldErrors: {}, formError: 'errors:notFound' }
  if (await isVendorReadOnly(objectId)) return { ok: false, status: 409, fieldErrors: {}, formError: READ_ONLY_MESSAGE }
  const parsed = tierOverrideSchema.safeParse(raw)
  if (!parsed.success) return { ok: false, status: 400, fieldErrors: fieldErrorsOf(parsed.error) }
  const { tier, justification, version } = parsed.data

  const current = await findVendorTierState(objectId)
  if (!current) return { ok: false, status: 404, fieldErrors: {}, formError: 'errors:notFound' }
  if (current.version !== version) return { ok: false, status: 409, fieldErrors: {}, formError: 'errors:conflict' }
  if (tier === 'computed' && current.tier?.override?.tier == null) {
    return { ok: false, status: 400, fieldErrors: { tier: ['vendors:errors.noOverride'] } }
  }

  const now = new Date()
  const newTier = tier === 'computed' ? current.tier.computed : (Number(tier) as Tier)
  const trigger = await tierRaiseTrigger(objectId, current.effectiveTier, newTier, current.reassessment, actor)
  const update: Record<string, unknown> =
    tier === 'computed'
      ? { $unset: { 'tier.override': 1, ...trigger?.unset }, $set: { effectiveTier: newTier, ...trigger?.set }, $inc: { version: 1 } }
      : {
          $set: {
            'tier.override': { tier: newTier, justification, byUserId: new Types.ObjectId(actor.id), byName: actor.name, at: now },
            effectiveTier: newTier,
            ...trigger?.set,
          },
          ...(trigger && Object.keys(trigger.unset).length ? { $unset: trigger.unset } : {}),
          $inc: { version: 1 },
        }
  if (trigger) update.$push = trigger.push
  const updated = await updateVendorAtVersion(objectId, version, withEvents(update, ...tierChangedEvents(id, current.effectiveTier, newTier, tier !== 'computed')))
  if (!updated) return { ok: false, status: 409, fieldErrors: {}, formError: 'errors:conflict' }
  await recordAudit({
    actor: userActor(actor),
    action: tier === 'computed' ? 'vendor.tier_override_removed' : 'vendor.tier_override',
    subject: { kind: 'vendor', id },
    details: { from: current.effectiveTier, to: newTier, computed: current.tier.computed, justification, byName: actor.name },
  })
  if (trigger) await recordAudit(trigger.audit)
  await publishEvents('vendors', objectId)
  return { ok: true, vendorId: id, version: updated.version ?? version + 1 }
}
