import { AuditEventModel } from '~models/audit-event'

export type AuditActor =
  | { kind: 'user'; id: string; label: string }
  | { kind: 'vendor-contact'; id?: string; label: string }
  | { kind: 'system'; label?: string }

export async function recordAudit(entry: {
  actor: AuditActor
  action: string
  subject: { kind: string; id: string }
  details?: Record<string, unknown>
}): Promise<void> {
  await AuditEventModel.create(entry)
}

export async function listAuditEvents(subject: { kind: string; id: string }, limit = 50) {
  return AuditEventModel.find({ 'subject.kind': subject.kind, 'subject.id': subject.id })
    .sort({ createdAt: -1 })
    .limit(limit)
    .lean()
}
