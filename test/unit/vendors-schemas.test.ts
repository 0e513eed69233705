import { describe, expect, it } from 'vitest'
import { columnOfPath, protectCell, readHeader, rowToVendorInput, unprotectCell, IMPORT_COLUMNS } from '~/modules/vendors/csv-format'
import { isRegionCode } from '~/modules/vendors/regions'
import { parseVendorListQuery, sortDirection, vendorInputSchema, vendorListSearch } from '~/modules/vendors/schemas'
import { escapeRegex, foldForSearch, searchPattern, vendorSearchKey } from '~/modules/vendors/search'
import { fieldErrorsOf } from '~/modules/forms/validation'

describe('search', () => {
  it('folds full-width characters, case and spaces the same way for the key and the term', () => {
    expect(foldForSearch('  ＡＢＣ  Co.,（Ltd）  ')).toBe('abc co.,(ltd)')
    expect(vendorSearchKey({ legalName: { 'zh-CN': '上海（浦东）公司', en: 'Shanghai  PUDONG' }, creditCode: '91310115591693856A' })).toBe(
      '上海(浦东)公司\nshanghai pudong\n91310115591693856a',
    )
    expect(searchPattern('（浦东）')).toBe('\\(浦东\\)')
  })

  it('escapes every regular-expression character, so a term is always a literal', () => {
    const nasty = '.*+?^${}()|[]\\/-'
    const pattern = new RegExp(escapeRegex(nasty))
    expect(pattern.test(`abc${nasty}def`)).toBe(true)
    expect(pattern.test('abcdef')).toBe(false)
    expect(searchPattern('   ')).toBeNull()
  })
})

describe('list URL', () => {
  it('parses good parameters and falls back to defaults for bad ones, never failing', () => {
    expect(parseVendorListQuery(new URLSearchParams('q=%20云桥%20&tier=2&category=marketing&status=active&sort=name&dir=desc&page=3&size=50'))).toEqual({
      q: '云桥',
      tier: 2,
      category: 'marketing',
      status: 'active',
      sort: 'name',
      dir: 'desc',
      page: 3,
      size: 50,
    })
    expect(parseVendorListQuery(new URLSearchParams(`q=${'x'.repeat(101)}&tier=0&page=abc&size=1000&dir=sideways`))).toMatchObject({ q: undefined, tier: undefined, page: 1, size: 25, dir: undefined })
  })

  it('round-trips through the search string, leaving defaults out', () => {
    const query = parseVendorListQuery(new URLSearchParams('q=a b&tier=1&sort=tier&page=2'))
    expect(vendorListSearch(query)).toBe('?q=a+b&tier=1&sort=tier&page=2')
    expect(parseVendorListQuery(new URLSearchParams(vendorListSearch(query)))).toEqual(query)
    expect(vendorListSearch(parseVendorListQuery(new URLSearchParams()))).toBe('')
  })

  it.each([
    ['updated', undefined, 'desc'],
    ['records', undefined, 'desc'],
    ['name', undefined, 'asc'],
    ['tier', undefined, 'asc'],
    ['tier', 'desc', 'desc'],
  ] as const)('sort %s (dir %s) runs %s', (sort, dir, expected) => {
    expect(sortDirection({ sort, dir })).toBe(expected)
  })
})

describe('the vendor schema', () => {
  const base = {
    legalName: { 'zh-CN': '测试公司', en: '' },
    registration: 'domestic',
    creditCode: '91440300708461136T',
    category: 'other',
    status: 'active',
    dataProfile: { sensitivity: 'C1', recordCount: '0', serviceCriticality: 'standard' },
  }
  const errors = (input: Record<string, unknown>) => {
    const result = vendorInputSchema.safeParse(input)
    return result.success ? {} : fieldErrorsOf(result.error)
  }

  it('accepts a minimal vendor without personal data and drops what the switches turned off', () => {
    const result = vendorInputSchema.parse({
      ...base,
      foreignRegistration: { number: 'X', country: 'SG' },
      dataProfile: { ...base.dataProfile, crossBorder: '', crossBorderDestinations: 'SG', usesSubProcessors: '', subProcessors: [{ name: 'A', country: 'US' }] },
    })
    expect(result.foreignRegistration).toEqual({})
    expect(result.dataProfile.crossBorderDestinations).toEqual([])
    expect(result.dataProfile.subProcessors).toEqual([])
    expect(result.dataProfile.piCategories).toEqual([])
  })

  it('reports cross-field problems even while other fields are invalid', () => {
    expect(errors({ ...base, category: '', creditCode: '91440300708461136A', legalName: { 'zh-CN': '' } })).toEqual({
      category: ['errors:choice'],
      'legalName.zh-CN': ['vendors:errors.chineseNameRequired'],
      creditCode: ['vendors:errors.creditCode_checksum'],
    })
  })

  it.each([
    [{ registration: 'foreign', creditCode: '', foreignRegistration: { number: '', country: '' } }, ['legalName.en', 'foreignRegistration.number', 'foreignRegistration.country']],
    [{ registration: 'foreign', legalName: { en: 'X Ltd' }, foreignRegistration: { number: '1', country: 'CN' } }, ['foreignRegistration.country']],
    [{ registration: 'foreign', legalName: { en: 'X Ltd' }, foreignRegistration: { number: '1', country: 'QQ' } }, ['foreignRegistration.country']],
    [{ dataProfile: { ...base.dataProfile, recordCount: '10' } }, ['dataProfile.piCategories']],
    [{ dataProfile: { ...base.dataProfile, piCategories: 'contact' } }, ['dataProfile.recordCount']],
    [{ dataProfile: { ...base.dataProfile, piCategories: ['identity'], recordCount: '5' } }, ['dataProfile.sensitivity']],
    [{ dataProfile: { ...base.dataProfile, crossBorder: 'on', crossBorderDestinations: 'CN' } }, ['dataProfile.crossBorderDestinations']],
    [{ dataProfile: { ...base.dataProfile, crossBorder: 'on', crossBorderDestinations: 'XX' } }, ['dataProfile.crossBorderDestinations.0']],
    [{ dataProfile: { ...base.dataProfile, usesSubProcessors: 'on' } }, ['dataProfile.subProcessors']],
    [{ contacts: [{ name: 'A', email: 'a@b.example', phone: 'call me' }] }, ['contacts.0.phone']],
  ])('refuses %j on %j', (changes, paths) => {
    expect(Object.keys(errors({ ...base, ...changes })).sort()).toEqual([...paths].sort())
  })

  it('knows region codes from its own table (the same in the browser and on the server)', () => {
    expect(['SG', 'US', 'HK', 'DE'].every(isRegionCode)).toBe(true)
    expect(['QQ', 'XX', 'sg', 'EU', ''].some(isRegionCode)).toBe(false)
  })
})

describe('the CSV format', () => {
  it('recognises headings in English, Chinese or as keys, and names what is missing or unknown', () => {
    expect(readHeader([...IMPORT_COLUMNS]).ok).toBe(true)
    const mixed = readHeader(['法定名称（中文）', 'Legal name (English)', ...IMPORT_COLUMNS.slice(2), 'Tier in force'])
    expect(mixed).toMatchObject({ ok: true, columns: expect.arrayContaining(['legal_name_zh', 'legal_name_en', 'tier']) })
    expect(readHeader(['name', 'legal_name_zh'])).toMatchObject({ ok: false, unknown: ['name'] })
  })

  it('reads labels in either language, lists, yes/no, and sub-processors', () => {
    const { input, problems } = rowToVendorInput(
      {
        legal_name_zh: '测试',
        category: '征信机构',
        status: 'Active',
        pi_categories: 'Identity (name, ID number)；联系方式',
        cross_border: '是',
        sub_processors: 'A Cloud|US|hosting; B|SG',
        consent_on_record: 'no',
        transfer_methods: 'api;文件传输',
      },
      new Map(),
    )
    expect(problems).toEqual([])
    expect(input).toMatchObject({
      category: 'credit_reporting',
      status: 'active',
      dataProfile: {
        piCategories: ['identity', 'contact'],
        crossBorder: true,
        usesSubProcessors: true,
        subProcessors: [{ name: 'A Cloud', country: 'US', service: 'hosting' }, { name: 'B', country: 'SG', service: '' }],
        consentOnRecord: false,
        transferMethods: ['api', 'file_transfer'],
      },
    })
  })

  it('reports values it cannot read on their column', () => {
    const { problems } = rowToVendorInput({ category: 'bakery', cross_border: 'perhaps', business_owner_email: 'x@y.example', sub_processors: 'a|b|c|d' }, new Map())
    expect(problems.map((problem) => [problem.column, problem.key])).toEqual([
      ['business_owner_email', 'import.rowErrors.unknownOwner'],
      ['sub_processors', 'import.rowErrors.badSubProcessor'],
      ['category', 'import.rowErrors.badValue'],
      ['cross_border', 'import.rowErrors.badBoolean'],
    ])
  })

  it('maps schema paths to columns', () => {
    expect(columnOfPath('contacts.0.email')).toBe('contact_email')
    expect(columnOfPath('dataProfile.crossBorderDestinations.1')).toBe('cross_border_destinations')
    expect(columnOfPath('dataProfile.crossBorder')).toBe('cross_border')
    expect(columnOfPath('version')).toBeNull()
  })

  it.each(['=1+1', '+86 21', '-5', '@SUM(A1)'])('protects %s from spreadsheets and restores it on import', (cell) => {
    expect(protectCell(cell)).toBe(`'${cell}`)
    expect(unprotectCell(protectCell(cell))).toBe(cell)
  })

  it('leaves ordinary cells alone', () => {
    expect(protectCell('云汇支付')).toBe('云汇支付')
    expect(unprotectCell("'quoted")).toBe("'quoted")
  })
})

describe('the record count', () => {
  it('asks for digits when the count is written in words ("两百万")', () => {
    const result = vendorInputSchema.safeParse({ dataProfile: { recordCount: '两百万' } })
    expect(result.success).toBe(false)
    const issue = result.error!.issues.find((entry) => entry.path.join('.') === 'dataProfile.recordCount')
    expect(issue?.message).toBe('vendors:errors.recordCountDigits')
    const empty = vendorInputSchema.safeParse({ dataProfile: { recordCount: '' } })
    expect(empty.error!.issues.find((entry) => entry.path.join('.') === 'dataProfile.recordCount')?.message).toBe('errors:required')
  })
})
