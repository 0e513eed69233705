import PDFDocument from 'pdfkit'
import { Types } from 'mongoose'
import { beforeAll, describe, expect, it } from 'vitest'
import { AuditEventModel } from '~models/audit-event'
import { ContractModel } from '~models/contract'
import { VendorModel } from '~models/vendor'
import type { SessionUser } from '~/modules/auth/session.server'
import {
  contractClauses,
  createContract,
  getContract,
  getCurrentContract,
  listContracts,
  templateDefaults,
  updateContract,
} from '~/modules/contracts/contracts.server'
import { checkSignedCopy, readSignedCopy } from '~/modules/contracts/signed-copy.server'
import { getClauseLibrary, getContractTemplate, listContractTemplates, reloadLibrary } from '~/modules/library/library.server'
import type { VendorCategory } from '~/modules/vendors/vocabulary'

const procurement: SessionUser = { id: new Types.ObjectId().toString(), email: 'buyer@bank.test', name: 'Wang Buyer', role: 'procurement', locale: 'en' }
const viewer: SessionUser = { id: new Types.ObjectId().toString(), email: 'viewer@bank.test', name: 'Zhao Viewer', role: 'viewer', locale: 'en' }

async function vendor(category: VendorCategory, name: string) {
  const created = await VendorModel.create({
    legalName: { 'zh-CN': `${name}有限公司`, en: `${name} Ltd.` },
    category,
    tier: { computed: 2 },
    effectiveTier: 2,
  })
  return created._id.toString()
}

function pdfBytes(text: string): Promise<Buffer> {
  return new Promise((resolve) => {
    const document = new PDFDocument()
    const chunks: Buffer[] = []
    document.on('data', (chunk: Buffer) => chunks.push(chunk))
    document.on('end', () => resolve(Buffer.concat(chunks)))
    document.text(text)
    document.end()
  })
}

let sequence = 0
function values(overrides: Record<string, unknown> = {}) {
  sequence++
  return { reference: `HT-TEST-${sequence}`, title: 'Data processing agreement', effectiveAt: '2024-01-01', expiresAt: '2026-12-31', status: 'active', clauseIds: [], ...overrides }
}

let paymentVendor: string
let cloudVendor: string
let firstClause: string // any clause of the library

beforeAll(async () => {
  reloadLibrary() // the shipped questionnaires/ content
  firstClause = getClauseLibrary().clauses[0]!.id
  paymentVendor = await vendor('payment_platform', 'Quickpay')
  cloudVendor = await vendor('cloud_it', 'Cloudbase')
})

describe('a contract created from its category template', () => {
  it('holds exactly the template clauses, for every category', async () => {
    for (const template of listContractTemplates()) {
      const vendorId = await vendor(template.category, `Vendor ${template.category}`)
      const defaults = templateDefaults(template.category)
      const result = await createContract(procurement, vendorId, values({ clauseIds: defaults.clauseIds, templateCategory: template.category, title: defaults.title.en }))
      expect(result.ok).toBe(true)
      if (!result.ok) continue
      const contract = await getContract(vendorId, result.contractId)
      expect(new Set(contract!.clauseIds)).toEqual(new Set(getContractTemplate(template.category).clauses))
      expect(contract!.clauseIds).toHaveLength(getContractTemplate(template.category).clauses.length)
      expect(contract!.templateCategory).toBe(template.category)
      // The full clause objects, as an assessment snapshots them.
      expect(contractClauses(contract!).map((clause) => clause.id).sort()).toEqual([...template.clauses].sort())
      expect(contractClauses(contract!).every((clause) => clause.title.en && clause.text['zh-CN'] && clause.sources.length > 0)).toBe(true)
    }
  })

  it('stores the dates as the institution days they name and records who created it', async () => {
    const result = await createContract(procurement, paymentVendor, values({ clauseIds: templateDefaults('payment_platform').clauseIds, effectiveAt: '2025-03-01', expiresAt: '2026-02-28' }))
    if (!result.ok) throw new Error(JSON.stringify(result))
    const contract = (await getContract(paymentVendor, result.contractId))!
    // Asia/Shanghai is UTC+8: the first day starts at 16:00 UTC the day before; the last ends at 15:59:59.999.
    expect(contract.effectiveAt.toISOString()).toBe('2025-02-28T16:00:00.000Z')
    expect(contract.expiresAt!.toISOString()).toBe('2026-02-28T15:59:59.999Z')
    expect(contract.history).toMatchObject([{ event: 'created', actor: { kind: 'user', id: procurement.id, name: 'Wang Buyer' } }])
    expect(await AuditEventModel.countDocuments({ action: 'contract.create', 'subject.id': result.contractId })).toBe(1)
  })
})

describe('refusing bad writes', () => {
  it('answers bad input with field messages and writes nothing', async () => {
    const before = await ContractModel.countDocuments()
    const result = await createContract(procurement, paymentVendor, { reference: '', title: 'x', effectiveAt: '2025-02-30', expiresAt: '2024-01-01', status: 'signed', clauseIds: [] })
    expect(result).toMatchObject({ ok: false, status: 400 })
    if (result.ok) return
    expect(Object.keys(result.fieldErrors).sort()).toEqual(['clauseIds', 'effectiveAt', 'reference', 'status'])
    expect(result.fieldErrors.effectiveAt).toEqual(['errors:date'])
    expect(await ContractModel.countDocuments()).toBe(before)
  })

  it('refuses an expiry before the effective date', async () => {
    const result = await createContract(procurement, paymentVendor, values({ clauseIds: [firstClause], effectiveAt: '2025-01-01', expiresAt: '2024-12-31' }))
    expect(result).toMatchObject({ ok: false, fieldErrors: { expiresAt: ['contracts:errors.expiryBeforeEffective'] } })
  })

  it('refuses clauses that are not in the library', async () => {
    const result = await createContract(procurement, paymentVendor, values({ clauseIds: [firstClause, 'NOPE-99'] }))
    expect(result).toMatchObject({ ok: false, status: 400, fieldErrors: { clauseIds: ['contracts:errors.unknownClause|{"ids":"NOPE-99"}'] } })
  })

  it('refuses a reference already used', async () => {
    const first = await createContract(procurement, paymentVendor, values({ reference: 'HT-DUP-1', clauseIds: [firstClause] }))
    expect(first.ok).toBe(true)
    const second = await createContract(procurement, cloudVendor, values({ reference: 'HT-DUP-1', clauseIds: [firstClause] }))
    expect(second).toMatchObject({ ok: false, status: 400, fieldErrors: { reference: ['contracts:errors.duplicateReference'] } })
    expect(await ContractModel.countDocuments({ reference: 'HT-DUP-1' })).toBe(1)
  })

  it('answers 404 for an unknown vendor', async () => {
    const result = await createContract(procurement, new Types.ObjectId().toString(), values({ clauseIds: [firstClause] }))
    expect(result).toMatchObject({ ok: false, status: 404 })
  })

  it('does not let a viewer write', async () => {
    await expect(createContract(viewer, paymentVendor, values({ clauseIds: [firstClause] }))).rejects.toMatchObject({ status: 403 })
  })
})

describe('editing a contract', () => {
  it('changes clauses and status in one versioned update and keeps the history', async () => {
    const created = await createContract(procurement, cloudVendor, values({ status: 'draft', clauseIds: templateDefaults('cloud_it').clauseIds }))
    if (!created.ok) throw new Error('not created')
    const contract = (await getContract(cloudVendor, created.contractId))!
    const removed = contract.clauseIds.at(-1)!
    const added = getClauseLibrary().clauses.find((clause) => !contract.clauseIds.includes(clause.id))!.id
    const clauseIds = [...contract.clauseIds.filter((id) => id !== removed), added]
    const expected = getClauseLibrary().clauses.map((clause) => clause.id).filter((id) => clauseIds.includes(id))
    const result = await updateContract(procurement, cloudVendor, contract.id, {
      ...values({ reference: contract.reference, status: 'active', clauseIds, effectiveAt: '2024-01-01', expiresAt: '2026-12-31', note: 'Signed after negotiation' }),
      title: contract.title,
      version: contract.version,
    })
    expect(result).toMatchObject({ ok: true, version: 1 })
    const after = (await getContract(cloudVendor, contract.id))!
    expect(after.status).toBe('active')
    expect(after.clauseIds).toEqual(expected) // in library order
    expect(after.history.map((entry) => entry.event)).toEqual(['created', 'updated'])
    expect(after.history[1]!.changes).toEqual({
      fields: { status: ['draft', 'active'] },
      clausesAdded: [added],
      clausesRemoved: [removed],
      note: 'Signed after negotiation',
    })

    // A form loaded before that change is refused, and changes nothing.
    const stale = await updateContract(procurement, cloudVendor, contract.id, { ...values({ reference: contract.reference, clauseIds: [firstClause] }), version: 0 })
    expect(stale).toMatchObject({ ok: false, status: 409, formError: 'errors:conflict' })
    expect((await getContract(cloudVendor, contract.id))!.clauseIds).toEqual(expected)
  })

  it('removes the expiry date when it is cleared', async () => {
    const created = await createContract(procurement, cloudVendor, values({ clauseIds: [firstClause] }))
    if (!created.ok) throw new Error('not created')
    const contract = (await getContract(cloudVendor, created.contractId))!
    const result = await updateContract(procurement, cloudVendor, contract.id, { ...values({ reference: contract.reference, clauseIds: [firstClause], expiresAt: '' }), version: 0 })
    expect(result.ok).toBe(true)
    const after = (await getContract(cloudVendor, contract.id))!
    expect(after.expiresAt).toBeNull()
    expect(after.history[1]!.changes!.fields!.expiresAt![1]).toBeNull()
  })

  it('does not reach a contract through another vendor', async () => {
    const created = await createContract(procurement, cloudVendor, values({ clauseIds: [firstClause] }))
    if (!created.ok) throw new Error('not created')
    expect(await getContract(paymentVendor, created.contractId)).toBeNull()
    const result = await updateContract(procurement, paymentVendor, created.contractId, { ...values({ clauseIds: [firstClause] }), version: 0 })
    expect(result).toMatchObject({ ok: false, status: 404 })
  })
})

describe('the contract in force', () => {
  it('is the active contract covering today that took effect last', async () => {
    const vendorId = await vendor('marketing', 'Adwise')
    const now = new Date('2025-06-15T04:00:00Z')
    const add = async (reference: string, status: string, effectiveAt: string, expiresAt: string) => {
      const result = await createContract(procurement, vendorId, values({ reference, status, effectiveAt, expiresAt, clauseIds: [firstClause] }))
      if (!result.ok) throw new Error(JSON.stringify(result))
    }
    expect(await getCurrentContract(vendorId, now)).toBeNull()
    await add('ADW-OLD', 'active', '2022-01-01', '2024-12-31') // expired
    await add('ADW-DRAFT', 'draft', '2025-06-01', '2027-05-31') // not signed
    await add('ADW-NEXT', 'active', '2025-07-01', '2028-06-30') // signed, not yet effective
    await add('ADW-END', 'terminated', '2025-05-01', '2027-04-30')
    expect(await getCurrentContract(vendorId, now)).toBeNull()
    await add('ADW-CURRENT', 'active', '2025-01-01', '2025-06-15') // its last day is today
    await add('ADW-EARLIER', 'active', '2024-06-01', '2026-05-31')
    expect((await getCurrentContract(vendorId, now))?.reference).toBe('ADW-CURRENT')
    // The next day the renewal has not started yet, so the older overlapping contract is in force.
    expect((await getCurrentContract(vendorId, new Date('2025-06-16T04:00:00Z')))?.reference).toBe('ADW-EARLIER')
    expect((await getCurrentContract(vendorId, new Date('2025-07-01T04:00:00Z')))?.reference).toBe('ADW-NEXT')
    expect((await listContracts(vendorId)).map((contract) => contract.reference)).toEqual(['ADW-NEXT', 'ADW-DRAFT', 'ADW-END', 'ADW-CURRENT', 'ADW-EARLIER', 'ADW-OLD'])
  })
})

describe('the signed copy', () => {
  it('is kept in GridFS when it is a PDF, and can be read back', async () => {
    const bytes = await pdfBytes('Signed contract HT-PDF-1')
    const check = await checkSignedCopy(new File([new Uint8Array(bytes)], '../../etc/合同 HT-PDF-1.pdf', { type: 'application/octet-stream' }))
    if (!check.ok || !check.pdf) throw new Error('the PDF was refused')
    expect(check.pdf.filename).toBe('合同 HT-PDF-1.pdf')
    const created = await createContract(procurement, paymentVendor, values({ reference: 'HT-PDF-1', clauseIds: [firstClause] }), check.pdf)
    if (!created.ok) throw new Error('not created')
    const contract = (await getContract(paymentVendor, created.contractId))!
    expect(contract.signedCopy).toMatchObject({ filename: '合同 HT-PDF-1.pdf', contentType: 'application/pdf', size: bytes.length, uploadedBy: 'Wang Buyer' })
    expect(Buffer.compare((await readSignedCopy(contract.signedCopy!.fileId))!, bytes)).toBe(0)

    // Replacing it is an update of its own in the history.
    const replacement = await checkSignedCopy(new File([new Uint8Array(await pdfBytes('Amended'))], 'amended.pdf'))
    if (!replacement.ok || !replacement.pdf) throw new Error('the PDF was refused')
    const updated = await updateContract(procurement, paymentVendor, contract.id, { ...values({ reference: 'HT-PDF-1', clauseIds: [firstClause] }), version: 0 }, replacement.pdf)
    expect(updated.ok).toBe(true)
    const after = (await getContract(paymentVendor, contract.id))!
    expect(after.signedCopy!.filename).toBe('amended.pdf')
    expect(after.history.at(-1)).toMatchObject({ event: 'signed_copy_uploaded', changes: { signedCopy: { filename: 'amended.pdf' } } })
  })

  it('is checked by content and size, not by name', async () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex')
    expect(await checkSignedCopy(new File([new Uint8Array(png)], 'contract.pdf', { type: 'application/pdf' }))).toEqual({ ok: false, error: 'contracts:errors.notPdf' })
    expect(await checkSignedCopy(new File(['just text'], 'contract.pdf'))).toEqual({ ok: false, error: 'contracts:errors.notPdf' })
    const large = Buffer.concat([await pdfBytes('big'), Buffer.alloc(10 * 1024 * 1024)])
    expect(await checkSignedCopy(new File([new Uint8Array(large)], 'big.pdf'))).toEqual({ ok: false, error: 'contracts:errors.fileTooLarge' })
    expect(await checkSignedCopy(new File([], ''))).toEqual({ ok: true, pdf: null })
    expect(await readSignedCopy(new Types.ObjectId().toString())).toBeNull()
  })
})
