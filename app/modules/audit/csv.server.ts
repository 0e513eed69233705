import { stringify } from 'csv-stringify/sync'
import type { TFunction } from 'i18next'
import { protectCell } from '~/modules/vendors/csv-format'
import { auditEvents, type AuditRow } from './audit.server'
import type { AuditFilters } from './filters'

const BOM = '\uFEFF'
const COLUMNS = ['at', 'actor', 'actorId', 'action', 'objectKind', 'objectId', 'clientAddress', 'details'] as const

function cells(event: AuditRow): string[] {
  return [event.at, event.actor.label ?? event.actor.kind, event.actor.id ?? '', event.action, event.subject.kind, event.subject.id, event.clientAddress ?? '', event.details ? JSON.stringify(event.details) : ''].map(protectCell)
}

/**
 * The filtered trail as CSV, streamed page by page (keyset batches of 1,000): a BOM so Excel reads
 * UTF-8, every cell a spreadsheet would run as a formula prefixed with an apostrophe.
 */
export function auditCsvStream(filters: AuditFilters, timeZone: string, t: TFunction): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder()
  const rows = auditEvents({ ...filters, before: undefined }, timeZone)
  let started = false
  return new ReadableStream({
    async pull(controller) {
      if (!started) {
        started = true
        controller.enqueue(encoder.encode(BOM + stringify([COLUMNS.map((column) => t(`audit.columns.${column}`))], { record_delimiter: '\r\n' })))
      }
      const batch: string[][] = []
      for (;;) {
        const next = await rows.next()
        if (next.done) break
        batch.push(cells(next.value))
        if (batch.length === 1000) break
      }
      if (batch.length) controller.enqueue(encoder.encode(stringify(batch, { record_delimiter: '\r\n' })))
      if (batch.length < 1000) controller.close()
    },
    async cancel() {
      await rows.return(undefined)
    },
  })
}
