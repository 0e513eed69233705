// The demo's documents step: after the whole demo, demo vendors hold documents that are valid,
// about to expire and expired, and a sweep of the expiry job reminds and opens findings without error.
import { beforeAll, describe, expect, it } from 'vitest'
import { VendorModel } from '~models/vendor'
import { seedDemo } from '~/modules/demo/seed.server'
import { institutionToday, listVendorDocuments, withValidity } from '~/modules/documents/documents.server'
import { runDocumentExpiry } from '~/modules/documents/expiry.server'
import { reloadLibrary } from '~/modules/library/library.server'

beforeAll(async () => {
  reloadLibrary()
  await seedDemo({ log: () => undefined })
}, 120_000)

describe('the documents demo step', () => {
  it('gives demo vendors valid, expiring and expired documents', { timeout: 60_000 }, async () => {
    const vendors = await VendorModel.find({}, { _id: 1 }).lean()
    const states = new Set<string>()
    const kinds = new Set<string>()
    for (const vendor of vendors) {
      for (const document of withValidity(await listVendorDocuments(String(vendor._id)), institutionToday(), 30)) {
        states.add(document.validity.state)
        kinds.add(document.kind)
      }
    }
    expect([...states].sort()).toEqual(['expired', 'expiring', 'no_expiry', 'valid'])
    expect(kinds.size).toBeGreaterThanOrEqual(5)
    const first = await runDocumentExpiry(new Date())
    expect(first.documentReminders).toBeGreaterThan(0)
    // A second sweep the same day sends nothing again.
    expect((await runDocumentExpiry(new Date())).documentReminders).toBe(0)
  })
})
