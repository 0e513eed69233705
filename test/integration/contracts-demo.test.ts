import { Types } from 'mongoose'
import { beforeAll, describe, expect, it } from 'vitest'
import { AuditEventModel } from '~models/audit-event'
import { ContractModel } from '~models/contract'
import { VendorModel } from '~models/vendor'
import { createContracts, getCurrentContract } from '~/modules/contracts/contracts.server'
import { seedContractsDemo } from '~/modules/contracts/demo.server'
import { readSignedCopy } from '~/modules/contracts/signed-copy.server'
import { getContractTemplate, reloadLibrary } from '~/modules/library/library.server'
import { VENDOR_CATEGORIES } from '~/modules/vendors/vocabulary'

beforeAll(async () => {
  reloadLibrary() // the shipped questionnaires/ content
  for (const [index, category] of VENDOR_CATEGORIES.entries()) {
    await VendorModel.create({
      legalName: { 'zh-CN': `示例${index}`, en: `Example ${index}` },
      category,
      status: category === 'other' ? 'offboarded' : 'active',
      tier: { computed: 3 },
      effectiveTier: 3,
    })
  }
})

describe('the demo contracts', () => {
  it('gives every vendor one contract from its category template, once', async () => {
    const lines: string[] = []
    await seedContractsDemo((line) => lines.push(line))
    expect(lines).toEqual([`[clausewise] demo contracts: ${VENDOR_CATEGORIES.length} created from the category templates`])
    for (const vendor of await VendorModel.find().lean()) {
      const contracts = await ContractModel.find({ vendorId: vendor._id }).lean()
      expect(contracts).toHaveLength(1)
      expect([...contracts[0]!.clauseIds].sort()).toEqual([...getContractTemplate(vendor.category as never).clauses].sort())
      expect(contracts[0]!.status).toBe(vendor.status === 'offboarded' ? 'terminated' : 'active')
      if (vendor.status !== 'offboarded') expect((await getCurrentContract(vendor._id.toString()))?.id).toBe(contracts[0]!._id.toString())
    }
    const withCopy = await ContractModel.findOne({ signedCopy: { $exists: true } }).lean()
    expect((await readSignedCopy(withCopy!.signedCopy!.fileId.toString()))!.subarray(0, 5).toString()).toBe('%PDF-')
    expect(await AuditEventModel.countDocuments({ action: 'contract.create' })).toBe(VENDOR_CATEGORIES.length)

    await seedContractsDemo((line) => lines.push(line))
    expect(lines[1]).toBe('[clausewise] demo contracts: 0 created from the category templates')
    expect(await ContractModel.countDocuments()).toBe(VENDOR_CATEGORIES.length)
  })

  it('writes nothing when one entry of a batch is invalid', async () => {
    const vendor = (await VendorModel.findOne().lean())!
    const before = await ContractModel.countDocuments()
    const good = { reference: 'BATCH-1', title: 'x', effectiveAt: '2025-01-01', status: 'active', clauseIds: getContractTemplate('other').clauses }
    await expect(
      createContracts({ kind: 'system' }, [
        { vendorId: vendor._id.toString(), input: good },
        { vendorId: vendor._id.toString(), input: { ...good, reference: 'BATCH-2', clauseIds: ['NOPE-1'] } },
      ]),
    ).rejects.toThrow('contract 1: {"clauseIds":["contracts:errors.unknownClause|{\\"ids\\":\\"NOPE-1\\"}"]}')
    await expect(createContracts({ kind: 'system' }, [{ vendorId: new Types.ObjectId().toString(), input: good }])).rejects.toThrow('unknown vendor')
    expect(await ContractModel.countDocuments()).toBe(before)
  })
})
