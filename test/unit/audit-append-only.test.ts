// No code outside the audit module touches the audit model, and that module only inserts and reads:
// the model's hooks refuse updates and deletes (test/integration/audit-trail.test.ts), and this
// scan keeps anyone from reaching around them (e.g. through AuditEventModel.collection).
import { readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry)
    if (statSync(full).isDirectory()) return sourceFiles(full)
    return /\.(ts|tsx)$/.test(entry) ? [full] : []
  })
}

const WRITES = /\b(update\w*|delete\w*|remove\w*|replace\w*|findOneAnd\w+|findByIdAnd\w+|bulkWrite|drop\w*|collection)\b/

describe('audit events are append-only in the code', () => {
  const files = [...sourceFiles('app'), ...sourceFiles('scripts'), ...sourceFiles('models')]
  const READS_AND_INSERTS = new Set(['create', 'insertMany', 'find', 'findOne', 'findById', 'countDocuments', 'estimatedDocumentCount', 'exists', 'createIndexes'])
  it('code that uses the audit model only reads and inserts (an allowlist, so a new kind of write fails here)', () => {
    const used = files.flatMap((file) => [...readFileSync(file, 'utf8').matchAll(/AuditEventModel\s*\.\s*(\w+)/g)].map((match) => match[1]!))
    expect(used.length).toBeGreaterThan(0)
    expect(used.filter((method) => !READS_AND_INSERTS.has(method))).toEqual([])
  })
  it('no call on the audit model updates, deletes or reaches the raw collection', () => {
    const offending: string[] = []
    for (const file of files) {
      const text = readFileSync(file, 'utf8')
      for (const match of text.matchAll(/AuditEventModel\s*\.\s*(\w+)/g)) if (WRITES.test(match[1]!)) offending.push(`${file}: AuditEventModel.${match[1]}`)
      if (/audit_events/.test(text) && !file.endsWith(path.join('models', 'audit-event.ts'))) offending.push(`${file}: names the audit_events collection`)
    }
    expect(offending).toEqual([])
  })
  it('the scan would catch an update (it can fail)', () => {
    expect(WRITES.test('updateOne')).toBe(true)
    expect(WRITES.test('collection')).toBe(true)
    expect(WRITES.test('create')).toBe(false)
  })
})
