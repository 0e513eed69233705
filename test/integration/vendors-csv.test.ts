import { parse } from 'csv-parse/sync'
import { beforeAll, describe, expect, it } from 'vitest'
import { VendorModel } from '~models/vendor'
import type { SessionUser } from '~/modules/auth/session.server'
import { exportVendorsCsv, importVendorsCsv, vendorCsvTemplate } from '~/modules/vendors/csv.server'
import { IMPORT_COLUMNS } from '~/modules/vendors/csv-format'
import { parseVendorListQuery } from '~/modules/vendors/schemas'
import { staffUser } from '../fixtures/vendors'

let procurement: SessionUser

beforeAll(async () => {
  procurement = await staffUser('procurement')
})

const HEADER = IMPORT_COLUMNS.join(',')
const bytes = (text: string) => new TextEncoder().encode(text)
function csvRow(values: Partial<Record<(typeof IMPORT_COLUMNS)[number], string>>) {
  return IMPORT_COLUMNS.map((column) => {
    const value = values[column] ?? ''
    return /[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value
  }).join(',')
}
const goodRow = (overrides: Partial<Record<(typeof IMPORT_COLUMNS)[number], string>> = {}) =>
  csvRow({
    legal_name_zh: '杭州示例营销策划有限公司',
    legal_name_en: 'Hangzhou Sample Marketing Co., Ltd.',
    credit_code: '91350100M000100Y43',
    category: 'marketing',
    status: '合作中',
    business_owner_email: procurement.email,
    contact_name: '李四',
    contact_email: 'li.si@sample-marketing.example',
    pi_categories: 'contact; identity',
    sensitivity: 'C2',
    record_count: '120000',
    cross_border: '否',
    transfer_methods: 'File transfer',
    legal_basis: 'separate_consent',
    consent_on_record: 'yes',
    service_criticality: 'standard',
    ...overrides,
  })

describe('CSV import', () => {
  it('imports a good file (headings as keys, values as keys or labels in either language)', async () => {
    const file = [
      HEADER,
      goodRow(),
      goodRow({
        legal_name_zh: '',
        legal_name_en: 'Lumen Analytics Pte. Ltd.',
        credit_code: '',
        foreign_registration_number: '201912345K',
        foreign_registration_country: 'SG',
        cross_border: 'yes',
        cross_border_destinations: 'SG, HK',
        sub_processors: 'Amazon Web Services|US|hosting; Twilio|US|SMS',
        business_owner_email: '',
      }),
    ].join('\r\n')
    const report = await importVendorsCsv(bytes(file), { actor: procurement, locale: 'en', validOnly: false })
    expect(report).toMatchObject({ ok: true, committed: true, total: 2, accepted: 2, rejected: 0, imported: 2 })
    const lumen = await VendorModel.findOne({ 'legalName.en': 'Lumen Analytics Pte. Ltd.' }).lean()
    expect(lumen).toMatchObject({
      foreignRegistration: { number: '201912345K', country: 'SG' },
      status: 'active',
      dataProfile: { crossBorder: true, crossBorderDestinations: ['SG', 'HK'], usesSubProcessors: true, transferMethods: ['file_transfer'] },
      effectiveTier: 1, // C2 of 120,000 customers is tier 2; cross-border and sub-processors raise it one step
    })
    expect(lumen!.dataProfile!.subProcessors).toEqual([
      { name: 'Amazon Web Services', country: 'US', service: 'hosting' },
      { name: 'Twilio', country: 'US', service: 'SMS' },
    ])
    const hangzhou = await VendorModel.findOne({ creditCode: '91350100M000100Y43' }).lean()
    expect(hangzhou).toMatchObject({ status: 'active', businessOwnerId: expect.anything(), contacts: [{ name: '李四' }] })
  })

  it('imports nothing from a mixed file, and says per row what is wrong, in the user’s language', async () => {
    const before = await VendorModel.countDocuments()
    const file = [
      HEADER,
      goodRow({ credit_code: '91440300708461136T', legal_name_zh: '深圳好公司' }),
      goodRow({ credit_code: '91440300708461136A', legal_name_zh: '校验位错误公司' }),
      goodRow({ credit_code: '91350100M000100Y43', legal_name_zh: '重复公司' }),
      goodRow({ credit_code: '914403001922038216', category: 'bakery', contact_email: 'nope', legal_name_zh: '多处错误公司' }),
      goodRow({ credit_code: '91440300708461136T', legal_name_zh: '文件内重复公司' }),
      goodRow({ credit_code: '91440300100012316L', business_owner_email: 'nobody@bank.example', cross_border: 'maybe', legal_name_zh: '负责人错误公司' }),
    ].join('\n')
    const report = await importVendorsCsv(bytes(file), { actor: procurement, locale: 'zh-CN', validOnly: false })
    expect(report.ok).toBe(true)
    if (!report.ok) return
    expect(report).toMatchObject({ committed: false, total: 6, accepted: 1, rejected: 5, imported: 0 })
    expect(report.rows.map((row) => [row.line, row.status])).toEqual([
      [2, 'valid'],
      [3, 'rejected'],
      [4, 'rejected'],
      [5, 'rejected'],
      [6, 'rejected'],
      [7, 'rejected'],
    ])
    expect(report.rows[1]!.messages).toEqual(['统一社会信用代码：该代码的校验位不正确，请检查是否输入有误。'])
    expect(report.rows[2]!.messages).toEqual(['统一社会信用代码：已存在使用该统一社会信用代码的合作机构。'])
    expect(report.rows[3]!.messages).toEqual(['类别：“bakery”不是允许的取值。', '联系人邮箱：请输入有效的电子邮箱地址。'])
    expect(report.rows[4]!.messages).toEqual(['统一社会信用代码：本文件第 2 行已有相同的统一社会信用代码。'])
    expect(report.rows[5]!.messages).toEqual(['业务负责人邮箱：没有电子邮箱为 nobody@bank.example 的在职员工账号。', '是否出境：“maybe”不是“是”或“否”。'])
    expect(await VendorModel.countDocuments()).toBe(before)

    // The same file in English, with "import only the valid rows".
    const partial = await importVendorsCsv(bytes(file), { actor: procurement, locale: 'en', validOnly: true })
    expect(partial).toMatchObject({ ok: true, committed: true, accepted: 1, rejected: 5, imported: 1 })
    if (!partial.ok) return
    expect(partial.rows[0]!.status).toBe('imported')
    expect(partial.rows[1]).toMatchObject({ status: 'skipped', messages: ["Unified social credit code: This code's check character does not match: check for a typing mistake."] })
    expect(await VendorModel.countDocuments()).toBe(before + 1)
    expect(await VendorModel.exists({ creditCode: '91440300708461136T' })).not.toBeNull()
  })

  it.each([
    ['an Excel workbook', new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, 0x08, 0x00, ...new Array(60).fill(0)]), 'This is not a CSV text file (it looks like ZIP).'],
    ['a PNG image', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, ...new Array(40).fill(1)]), 'This is not a CSV text file (it looks like PNG).'],
    ['random binary', new Uint8Array([1, 2, 3, 0, 5, 6, 7, 8, 9]), 'This is not a CSV text file (it looks like binary data).'],
    ['an empty file', new Uint8Array([]), 'The file has no rows.'],
    ['a file with the wrong header', bytes('name,code,tier\nAcme,123,1\n'), 'The first row must hold the template\'s column headings. Missing: Legal name (Chinese), Legal name (English)'],
    ['a header with an extra unknown column', bytes(`${HEADER},favourite_colour\n`), 'These column headings are not in the template: favourite_colour.'],
    ['headings without rows', bytes(`${HEADER}\n\n`), 'The file has headings but no vendor rows.'],
    ['a broken quote', bytes(`${HEADER}\n"unterminated,${'x,'.repeat(5)}\n`), 'The file could not be read as CSV:'],
    ['text that is not UTF-8 or GB18030', new Uint8Array([0x80, 0x81, 0xff, 0xfe, 0x41]), 'neither UTF-8 nor GB18030'],
  ])('refuses %s with a clear message and saves nothing', async (_name, file, message) => {
    const before = await VendorModel.countDocuments()
    const report = await importVendorsCsv(file, { actor: procurement, locale: 'en', validOnly: true })
    expect(report.ok).toBe(false)
    if (report.ok) return
    expect(report.problem).toContain(message)
    expect(await VendorModel.countDocuments()).toBe(before)
  })

  it('reads a GB18030 file saved by Chinese Excel, with Chinese headings and labels', async () => {
    const template = await vendorCsvTemplate('zh-CN')
    const [heading] = template.replace(/^\uFEFF/, '').split('\r\n')
    const row = goodRow({ credit_code: '91310110666007217T', legal_name_zh: '北京国标编码测试有限公司', category: '征信机构', status: '准入中', pi_categories: '身份信息（姓名、证件号码）；财产与信用信息' })
    const gb = encodeGb18030(`${heading}\r\n${row}\r\n`)
    const report = await importVendorsCsv(gb, { actor: procurement, locale: 'zh-CN', validOnly: false })
    expect(report).toMatchObject({ ok: true, imported: 1 })
    expect(await VendorModel.findOne({ creditCode: '91310110666007217T' }).lean()).toMatchObject({
      legalName: { 'zh-CN': '北京国标编码测试有限公司' },
      category: 'credit_reporting',
      dataProfile: { piCategories: ['identity', 'financial_credit'] },
    })
  })

  it('the template itself imports (its example rows are valid)', async () => {
    await VendorModel.deleteMany({ creditCode: '91310115591693856A' })
    const report = await importVendorsCsv(bytes(await vendorCsvTemplate('en')), { actor: procurement, locale: 'en', validOnly: false })
    expect(report).toMatchObject({ ok: true, imported: 2, rejected: 0 })
  })
})

describe('CSV export', () => {
  it('gives the filtered list with a BOM, localised headings and values, and re-imports as the same vendors', async () => {
    const csv = await exportVendorsCsv(parseVendorListQuery(new URLSearchParams('q=lumen')), 'zh-CN')
    expect(csv.startsWith('\uFEFF')).toBe(true)
    const [header, ...rows] = parse(csv, { bom: true }) as string[][]
    expect(header!.slice(0, 3)).toEqual(['法定名称（中文）', '法定名称（英文）', '统一社会信用代码'])
    expect(rows).toHaveLength(1)
    const cell = (name: string) => rows[0]![header!.indexOf(name)]
    expect(cell('法定名称（英文）')).toBe('Lumen Analytics Pte. Ltd.')
    expect(cell('类别')).toBe('营销服务')
    expect(cell('是否出境')).toBe('是')
    expect(cell('受托方')).toBe('Amazon Web Services|US|hosting; Twilio|US|SMS')
    expect(cell('适用风险等级')).toBe('1')
    expect(cell('风险等级依据')).toContain('数据出境（至 新加坡、中国香港特别行政区）。')

    // Round trip: delete, import the exported file, and the vendor comes back the same.
    const original = await VendorModel.findOne({ 'legalName.en': 'Lumen Analytics Pte. Ltd.' }).lean()
    await VendorModel.deleteOne({ _id: original!._id })
    const report = await importVendorsCsv(bytes(csv), { actor: procurement, locale: 'zh-CN', validOnly: false })
    expect(report).toMatchObject({ ok: true, imported: 1 })
    const back = await VendorModel.findOne({ 'legalName.en': 'Lumen Analytics Pte. Ltd.' }).lean()
    expect(back!.dataProfile).toEqual(original!.dataProfile)
    expect(back!.tier).toEqual(original!.tier)
  })

  it('neutralises cells a spreadsheet would run as formulas', async () => {
    const file = [HEADER, goodRow({ credit_code: '911100001000127624', legal_name_zh: '公式测试公司', legal_name_en: '=HYPERLINK("http://evil.example")', contact_phone: '+86 10 5555 0100' })].join('\n')
    expect(await importVendorsCsv(bytes(file), { actor: procurement, locale: 'en', validOnly: false })).toMatchObject({ ok: true, imported: 1 })
    const csv = await exportVendorsCsv(parseVendorListQuery(new URLSearchParams('q=公式测试')), 'en')
    const [header, row] = parse(csv, { bom: true }) as string[][]
    expect(row![header!.indexOf('Legal name (English)')]).toBe('\'=HYPERLINK("http://evil.example")')
    expect(row![header!.indexOf('Contact phone')]).toBe("'+86 10 5555 0100")
    // …and importing the export restores the original text.
    await VendorModel.deleteOne({ creditCode: '911100001000127624' })
    expect(await importVendorsCsv(bytes(csv), { actor: procurement, locale: 'en', validOnly: false })).toMatchObject({ ok: true, imported: 1 })
    expect(await VendorModel.findOne({ creditCode: '911100001000127624' }).lean()).toMatchObject({
      legalName: { en: '=HYPERLINK("http://evil.example")' },
      contacts: [{ phone: '+86 10 5555 0100' }],
    })
  })
})

/** GB18030 encoder for the test: Node can decode it but not encode it, so map through a decode table. */
function encodeGb18030(text: string): Uint8Array {
  const decoder = new TextDecoder('gb18030')
  const table = new Map<string, number[]>()
  for (let lead = 0x81; lead <= 0xfe; lead++) {
    for (let trail = 0x40; trail <= 0xfe; trail++) {
      if (trail === 0x7f) continue
      const char = decoder.decode(new Uint8Array([lead, trail]))
      if (char.length === 1 && !table.has(char)) table.set(char, [lead, trail])
    }
  }
  const out: number[] = []
  for (const char of text) {
    if (char.charCodeAt(0) < 0x80) out.push(char.charCodeAt(0))
    else {
      const encoded = table.get(char)
      if (!encoded) throw new Error(`no GB18030 two-byte code for ${char}`)
      out.push(...encoded)
    }
  }
  return new Uint8Array(out)
}
