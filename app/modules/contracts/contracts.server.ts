// The contract register's data layer. Every write checks the permission, validates, applies one
// atomic single-document change (guarded by `version` for updates, appending to the contract's
// history in the same update) and records the audit entry. Plain objects leave this file.
import { tz } from '@date-fns/tz'
import { isVendorReadOnly, READ_ONLY_MESSAGE } from '~/modules/offboarding/read-only.server'
import { format } from 'date-fns'
import { Types } from 'mongoose'
import { getEnv } from '~/env.server'
import { recordAudit, recordAudits, type AuditActor } from '~/modules/audit/audit.server'
import { can } from '~/modules/auth/roles'
import type { SessionUser } from '~/modules/auth/session.server'
import { fieldErrorsOf, type FieldErrors } from '~/modules/forms/validation'
import { getClause, getClauseLibrary, getContractTemplate } from '~/modules/library/library.server'
import { domainEvent, type EventActor } from '~/modules/events/catalogue.server'
import { eventsOnCreate, publishEvents } from '~/modules/events/outbox.server'
import type { VendorCategory } from '~/modules/vendors/vocabulary'
import { contractChanges, type ContractChanges } from './changes'
import { contractEditSchema, contractSchema, type ContractValues } from './schema'
import { discardSignedCopy, storeSignedCopy, type CheckedPdf } from './signed-copy.server'
import { contractStanding, daysUntilExpiry } from './standing'
import { dayIn, endOfDayIn, startOfDayIn } from '~/modules/dates/dates'
import { getContract, type Contract } from './read.server'
import { convertPendingTrigger, contractReferenceTaken, insertContract, insertContracts, listPendingTriggerContracts, updateContractAtVersion, vendorHasContract } from './contract-store.server'
import { countVendorsByIds, findVendorFields } from '~/modules/vendors/vendor-store.server'

export { contractClauses, getContract, getCurrentContract, listContracts, missingClauseIds, type Contract, type ContractHistoryEntry } from './read.server'

export type ContractWriteResult =
  | { ok: true; contractId: string; version: number }
  | { ok: false; status: 400 | 404 | 409; fieldErrors: FieldErrors; formError?: string }

/** Who changes a contract: a signed-in user (checked for 'vendor:write') or the system (demo data, jobs). */
export type ContractActor = SessionUser | { kind: 'system'; label?: string }

const DUPLICATE_REFERENCE = 'contracts:errors.duplicateReference'

function asObjectId(id: string): Types.ObjectId | null {
  return /^[0-9a-f]{24}$/i.test(id) ? new Types.ObjectId(id) : null
}

function isUser(actor: ContractActor): actor is SessionUser {
  return !('kind' in actor)
}

function assertCanWrite(actor: ContractActor) {
  if (isUser(actor) && !can(actor.role, 'vendor:write')) throw new Response('Forbidden', { status: 403, statusText: 'Forbidden' })
}

function historyActor(actor: ContractActor) {
  // The system has no name of its own: pages show it in the reader's language.
  return isUser(actor) ? { kind: 'user' as const, id: actor.id, name: actor.name } : { kind: 'system' as const, id: undefined, name: undefined }
}

function auditActor(actor: ContractActor): AuditActor {
  return isUser(actor) ? { kind: 'user', id: actor.id, label: actor.email } : { kind: 'system', label: actor.label }
}

function isDuplicateKey(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 11000
}

/** The vendor facts a contract page needs; null for an unknown vendor. */
export async function vendorForContracts(vendorId: string): Promise<{ id: string; category: VendorCategory; legalName: { 'zh-CN': string; en: string } } | null> {
  const id = asObjectId(vendorId)
  if (!id) return null
  const vendor = await findVendorFields(id, 'categoryAndName')
  if (!vendor) return null
  return {
    id: vendor._id.toString(),
    category: vendor.category,
    legalName: { 'zh-CN': vendor.legalName?.['zh-CN'] ?? '', en: vendor.legalName?.en ?? '' },
  }
}

/** What a new contract for a vendor of this category starts from. */
export function templateDefaults(category: VendorCategory) {
  const template = getContractTemplate(category)
  return { templateCategory: category, title: template.title, clauseIds: [...template.clauses] }
}

// ---------------------------------------------------------------------------------------------
// Writing

function checkClauses(clauseIds: string[]): FieldErrors | null {
  const unknown = clauseIds.filter((id) => !getClause(id))
  return unknown.length > 0 ? { clauseIds: [`contracts:errors.unknownClause|${JSON.stringify({ ids: unknown.join(', ') })}`] } : null
}

function storedDates(values: Pick<ContractValues, 'effectiveAt' | 'expiresAt'>) {
  const timeZone = getEnv().INSTITUTION_TIMEZONE
  return {
    effectiveAt: startOfDayIn(values.effectiveAt, timeZone),
    expiresAt: values.expiresAt ? endOfDayIn(values.expiresAt, timeZone) : null,
  }
}

/** Library order, no duplicates: the same choice always stores the same list. */
function orderedClauseIds(ids: string[]): string[] {
  const chosen = new Set(ids)
  return getClauseLibrary()
    .clauses.map((clause) => clause.id)
    .filter((id) => chosen.has(id))
}

function signedCopyRecord(fileId: Types.ObjectId, pdf: CheckedPdf, actor: ContractActor, at: Date) {
  const who = historyActor(actor)
  return { fileId, filename: pdf.filename, contentType: 'application/pdf', size: pdf.bytes.byteLength, uploadedAt: at, uploadedBy: { id: who.id, name: who.name } }
}

/** The new contract document: the template or chosen clauses in library order, and its first history entry. */
function newContractDocument(actor: ContractActor, vendorId: string, values: ContractValues, signed: { fileId: Types.ObjectId; pdf: CheckedPdf } | null, now: Date) {
  const who = historyActor(actor)
  const clauseIds = orderedClauseIds(values.clauseIds)
  const changes: ContractChanges = {
    created: { status: values.status, clauseCount: clauseIds.length, templateCategory: values.templateCategory ?? null },
    ...(signed ? { signedCopy: { filename: signed.pdf.filename, size: signed.pdf.bytes.byteLength } } : {}),
    ...(values.note ? { note: values.note } : {}),
  }
  return {
    _id: new Types.ObjectId(),
    vendorId: new Types.ObjectId(vendorId),
    reference: values.reference,
    title: values.title,
    ...storedDates(values),
    status: values.status,
    templateCategory: values.templateCategory,
    clauseIds,
    clauseLibraryVersion: getClauseLibrary().version,
    signedCopy: signed ? signedCopyRecord(signed.fileId, signed.pdf, actor, now) : undefined,
    createdBy: { id: who.id, name: who.name },
    history: [{ at: now, event: 'created' as const, actor: who, changes }],
  }
}

function creationAudit(actor: ContractActor, document: ReturnType<typeof newContractDocument>) {
  return {
    actor: auditActor(actor),
    action: 'contract.create',
    subject: { kind: 'contract', id: document._id.toString() },
    details: { vendorId: document.vendorId.toString(), reference: document.reference, status: document.status, clauseIds: document.clauseIds },
  }
}

export async function createContract(
  actor: ContractActor,
  vendorId: string,
  input: unknown,
  signedCopy: CheckedPdf | null = null,
): Promise<ContractWriteResult> {
  assertCanWrite(actor)
  const parsed = contractSchema.safeParse(input)
  if (!parsed.success) return { ok: false, status: 400, fieldErrors: fieldErrorsOf(parsed.error) }
  const values = parsed.data
  const clauseProblems = checkClauses(values.clauseIds)
  if (clauseProblems) return { ok: false, status: 400, fieldErrors: clauseProblems }
  const vendor = await vendorForContracts(vendorId)
  if (!vendor) return { ok: false, status: 404, fieldErrors: {}, formError: 'errors:notFound' }
  if (await isVendorReadOnly(vendor.id)) return { ok: false, status: 409, fieldErrors: {}, formError: READ_ONLY_MESSAGE }
  if (await contractReferenceTaken(values.reference)) return { ok: false, status: 400, fieldErrors: { reference: [DUPLICATE_REFERENCE] } }

  // A vendor that already has a contract is renewing (or extending) the relationship.
  const renewal = await vendorHasContract(new Types.ObjectId(vendor.id))

  const fileId = signedCopy ? await storeSignedCopy(signedCopy, { vendorId: vendor.id, uploadedBy: historyActor(actor).name ?? 'system' }) : null
  const now = new Date()
  const base = newContractDocument(actor, vendor.id, values, fileId && signedCopy ? { fileId, pdf: signedCopy } : null, now)
  // The new contract's clauses should be assessed: the schedule reacts by bringing the reassessment forward.
  const document = { ...base, ...(renewal ? eventsOnCreate(renewedEvent(base, eventActor(actor), now)) : {}) }
  try {
    await insertContract(document)
  } catch (error) {
    if (fileId) await discardSignedCopy(fileId)
    if (isDuplicateKey(error)) return { ok: false, status: 400, fieldErrors: { reference: [DUPLICATE_REFERENCE] } }
    throw error
  }
  await recordAudit(creationAudit(actor, document))
  if (renewal) await publishEvents('contracts', document._id)
  return { ok: true, contractId: document._id.toString(), version: 0 }
}

const eventActor = (actor: ContractActor): EventActor => (isUser(actor) ? { kind: 'user', id: actor.id, name: actor.name } : { kind: 'system' })

function renewedEvent(contract: { _id: Types.ObjectId; vendorId: Types.ObjectId; reference: string }, by: EventActor, at: Date) {
  return domainEvent('contract.renewed', { contractId: contract._id.toString(), vendorId: contract.vendorId.toString(), reference: contract.reference, by }, at)
}

/**
 * Renewal markers an earlier version left (a crash between the renewal and its trigger): each
 * becomes a `contract.renewed` event in the update that clears it, which the schedule reacts to
 * (at most once per contract). Run by the schedule sweep.
 */
export async function completePendingRenewalTriggers(): Promise<number> {
  const pending = await listPendingTriggerContracts(500)
  for (const contract of pending) {
    const who = contract.pendingTrigger?.actor
    const by: EventActor = who?.kind === 'user' && who.id ? { kind: 'user', id: who.id, name: who.name ?? '' } : { kind: 'system' }
    if (await convertPendingTrigger(contract._id, renewedEvent(contract, by, contract.pendingTrigger?.at ?? new Date()))) await publishEvents('contracts', contract._id)
  }
  return pending.length
}

/**
 * Many new contracts at once (demo data, imports): each validated like a form, then one insert for
 * the contracts and one for their audit entries. Throws on the first invalid entry, writing nothing.
 */
export async function createContracts(actor: ContractActor, entries: { vendorId: string; input: unknown; signedCopy?: CheckedPdf | null }[]): Promise<string[]> {
  assertCanWrite(actor)
  const valid = entries.map((entry, index) => {
    const parsed = contractSchema.safeParse(entry.input)
    if (!parsed.success) throw new Error(`contract ${index}: ${JSON.stringify(fieldErrorsOf(parsed.error))}`)
    const clauseProblems = checkClauses(parsed.data.clauseIds)
    if (clauseProblems) throw new Error(`contract ${index}: ${JSON.stringify(clauseProblems)}`)
    return { ...entry, values: parsed.data }
  })
  const vendorIds = [...new Set(valid.map((entry) => entry.vendorId))]
  const known = await countVendorsByIds(vendorIds.map((id) => asObjectId(id) ?? new Types.ObjectId()))
  if (known !== vendorIds.length) throw new Error('createContracts: unknown vendor')
  const now = new Date()
  const documents = []
  for (const entry of valid) {
    const fileId = entry.signedCopy ? await storeSignedCopy(entry.signedCopy, { vendorId: entry.vendorId, uploadedBy: historyActor(actor).name ?? 'system' }) : null
    documents.push(newContractDocument(actor, entry.vendorId, entry.values, fileId && entry.signedCopy ? { fileId, pdf: entry.signedCopy } : null, now))
  }
  if (documents.length === 0) return []
  await insertContracts(documents)
  await recordAudits(documents.map((document) => creationAudit(actor, document)))
  return documents.map((document) => document._id.toString())
}

export async function updateContract(
  actor: ContractActor,
  vendorId: string,
  contractId: string,
  input: unknown,
  signedCopy: CheckedPdf | null = null,
): Promise<ContractWriteResult> {
  assertCanWrite(actor)
  const parsed = contractEditSchema.safeParse(input)
  if (!parsed.success) return { ok: false, status: 400, fieldErrors: fieldErrorsOf(parsed.error) }
  const values = parsed.data
  const clauseProblems = checkClauses(values.clauseIds)
  if (clauseProblems) return { ok: false, status: 400, fieldErrors: clauseProblems }
  const before = await getContract(vendorId, contractId)
  if (!before) return { ok: false, status: 404, fieldErrors: {}, formError: 'errors:notFound' }
  if (await isVendorReadOnly(vendorId)) return { ok: false, status: 409, fieldErrors: {}, formError: READ_ONLY_MESSAGE }
  if (before.version !== values.version) return { ok: false, status: 409, fieldErrors: {}, formError: 'errors:conflict' }
  if (values.reference !== before.reference && (await contractReferenceTaken(values.reference))) {
    return { ok: false, status: 400, fieldErrors: { reference: [DUPLICATE_REFERENCE] } }
  }

  const now = new Date()
  const after = { reference: values.reference, title: values.title, ...storedDates(values), status: values.status, clauseIds: orderedClauseIds(values.clauseIds) }
  const changes = contractChanges(before, after)
  if (!changes && !signedCopy) return { ok: true, contractId: before.id, version: before.version }

  const fileId = signedCopy ? await storeSignedCopy(signedCopy, { vendorId: before.vendorId, uploadedBy: historyActor(actor).name ?? 'system' }) : null
  const recorded: ContractChanges = {
    ...(changes ?? {}),
    ...(signedCopy ? { signedCopy: { filename: signedCopy.filename, size: signedCopy.bytes.byteLength } } : {}),
    ...(values.note ? { note: values.note } : {}),
  }
  const set: Record<string, unknown> = {
    reference: after.reference,
    title: after.title,
    effectiveAt: after.effectiveAt,
    status: after.status,
    clauseIds: after.clauseIds,
    clauseLibraryVersion: getClauseLibrary().version,
  }
  if (fileId && signedCopy) set.signedCopy = signedCopyRecord(fileId, signedCopy, actor, now)
  const update: Record<string, unknown> = {
    $set: after.expiresAt ? { ...set, expiresAt: after.expiresAt } : set,
    $inc: { version: 1 },
    $push: { history: { at: now, event: changes ? 'updated' : 'signed_copy_uploaded', actor: historyActor(actor), changes: recorded } },
  }
  if (!after.expiresAt) update.$unset = { expiresAt: 1 }
  try {
    const updated = await updateContractAtVersion({ contractId: new Types.ObjectId(before.id), vendorId: new Types.ObjectId(before.vendorId), version: values.version }, update)
    if (!updated) {
      if (fileId) await discardSignedCopy(fileId)
      return { ok: false, status: 409, fieldErrors: {}, formError: 'errors:conflict' }
    }
    await recordAudit({
      actor: auditActor(actor),
      action: 'contract.update',
      subject: { kind: 'contract', id: before.id },
      details: { vendorId: before.vendorId, changes: recorded },
    })
    return { ok: true, contractId: before.id, version: updated.version }
  } catch (error) {
    if (fileId) await discardSignedCopy(fileId)
    if (isDuplicateKey(error)) return { ok: false, status: 400, fieldErrors: { reference: [DUPLICATE_REFERENCE] } }
    throw error
  }
}

// ---------------------------------------------------------------------------------------------
// For pages: dates as the calendar days they name, everything serialisable.

export function contractView(contract: Contract, now = new Date()) {
  const timeZone = getEnv().INSTITUTION_TIMEZONE
  const day = (value: string | null) => (value ? dayIn(new Date(value), timeZone) : null)
  const standing = contractStanding(contract, now)
  return {
    id: contract.id,
    vendorId: contract.vendorId,
    reference: contract.reference,
    title: contract.title,
    effectiveAt: dayIn(contract.effectiveAt, timeZone),
    expiresAt: contract.expiresAt ? dayIn(contract.expiresAt, timeZone) : null,
    status: contract.status,
    standing,
    daysLeft: standing === 'in_force' ? daysUntilExpiry(contract, now) : null,
    templateCategory: contract.templateCategory,
    clauseIds: contract.clauseIds,
    clauseLibraryVersion: contract.clauseLibraryVersion,
    signedCopy: contract.signedCopy
      ? { filename: contract.signedCopy.filename, size: contract.signedCopy.size, uploadedOn: dayIn(contract.signedCopy.uploadedAt, timeZone), uploadedBy: contract.signedCopy.uploadedBy }
      : null,
    createdBy: contract.createdBy.name,
    createdOn: dayIn(contract.createdAt, timeZone),
    history: contract.history.map((entry) => {
      const fields = entry.changes?.fields
      return {
        at: entry.at.toISOString(),
        atLocal: format(entry.at, 'yyyy-MM-dd HH:mm', { in: tz(timeZone) }), // the institution's clock
        event: entry.event,
        actor: entry.actor.kind === 'user' ? entry.actor.name : null,
        changes: entry.changes
          ? {
              ...entry.changes,
              // Stored as instants; shown as the days they stand for.
              fields: fields
                ? {
                    ...fields,
                    ...(fields.effectiveAt ? { effectiveAt: fields.effectiveAt.map(day) as [string | null, string | null] } : {}),
                    ...(fields.expiresAt ? { expiresAt: fields.expiresAt.map(day) as [string | null, string | null] } : {}),
                  }
                : undefined,
            }
          : null,
      }
    }),
    version: contract.version,
  }
}
export type ContractView = ReturnType<typeof contractView>

/** The form's starting values for an existing contract. */
export function contractFormValues(contract: Contract) {
  const timeZone = getEnv().INSTITUTION_TIMEZONE
  return {
    reference: contract.reference,
    title: contract.title,
    effectiveAt: dayIn(contract.effectiveAt, timeZone),
    expiresAt: contract.expiresAt ? dayIn(contract.expiresAt, timeZone) : '',
    status: contract.status,
    clauseIds: contract.clauseIds,
    templateCategory: contract.templateCategory ?? '',
    note: '',
    version: contract.version,
  }
}

/** Today in the institution's calendar (the default effective date of a new contract). */
export function institutionToday(now = new Date()): string {
  return dayIn(now, getEnv().INSTITUTION_TIMEZONE)
}

/** The clause library as the clause picker lists it. */
export function clauseChoices() {
  return getClauseLibrary().clauses.map((clause) => ({ id: clause.id, title: clause.title, severity: clause.severity, knockOut: clause.knockOut }))
}
export type ClauseChoice = ReturnType<typeof clauseChoices>[number]
