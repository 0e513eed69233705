import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  buildCreditCode,
  CREDIT_CODE_ALPHABET,
  creditCodeCheckChar,
  creditCodeProblem,
  isValidCreditCode,
  normalizeCreditCode,
} from '~/modules/vendors/credit-code'

// Codes published on business licences and in public registers.
const PUBLISHED = [
  ['91440300708461136T', 'Tencent, Shenzhen'],
  ['914403001922038216', 'Huawei Technologies, Shenzhen'],
  ['91440300100012316L', 'Ping An Insurance (Group), Shenzhen'],
  ['91310110666007217T', 'a Shanghai enterprise (Hutool test data)'],
  ['91310115591693856A', 'a Shanghai Pudong enterprise (Hutool test data)'],
  ['91350100M000100Y43', 'a Fuzhou enterprise (validator library example)'],
  ['91350200776049653A', 'a Xiamen enterprise'],
] as const

describe('unified social credit code (GB 32100-2015)', () => {
  it.each(PUBLISHED)('accepts the published code %s (%s)', (code) => {
    expect(creditCodeProblem(code)).toBeNull()
    expect(isValidCreditCode(code)).toBe(true)
  })

  it.each<[string, string, string]>([
    ['91440300708461136A', 'checksum', 'wrong check character'],
    ['91440300708461163T', 'checksum', 'two characters swapped'],
    ['91350211M00013FA1N', 'checksum', 'an early Xiamen pilot code that does not follow the standard'],
    ['9144030070846113', 'length', 'too short'],
    ['91440300708461136T0', 'length', 'too long'],
    ['', 'length', 'empty'],
    ['91440300708461I36T', 'charset', 'letter I'],
    ['91440300708461O36T', 'charset', 'letter O'],
    ['91440300708461Z36T', 'charset', 'letter Z'],
    ['91440300708461S36T', 'charset', 'letter S'],
    ['91440300708461V36T', 'charset', 'letter V'],
    ['91440300708461136t', 'charset', 'lower case before normalising'],
  ])('refuses %s: %s (%s)', (code, problem) => {
    expect(creditCodeProblem(code)).toBe(problem)
  })

  it('normalises what people paste: spaces, dashes, lower case and full-width characters', () => {
    expect(normalizeCreditCode(' 9144 0300-7084 6113 6t ')).toBe('91440300708461136T')
    expect(normalizeCreditCode('９１４４０３００７０８４６１１３６Ｔ')).toBe('91440300708461136T')
    expect(isValidCreditCode('91440300708461136t')).toBe(true)
  })

  it('computes the check character, including the 0 case (31 − 0 wraps to 0)', () => {
    expect(creditCodeCheckChar('91440300708461136')).toBe('T')
    expect(creditCodeCheckChar('91440300192203821')).toBe('6')
    expect(creditCodeCheckChar('9144030070846113')).toBeNull()
    expect(creditCodeCheckChar('9144030070846113I')).toBeNull()
    expect(creditCodeCheckChar('00000000000000000')).toBe('0')
  })

  it('builds valid codes for demo data, with a valid organisation code inside', () => {
    const code = buildCreditCode('310115', 'MA1K4L7Q')
    expect(code).toHaveLength(18)
    expect(code.startsWith('91310115MA1K4L7Q')).toBe(true)
    expect(creditCodeProblem(code)).toBeNull()
    // Huawei's organisation code 19220382-1 has the GB 11714 check digit 1.
    expect(buildCreditCode('440300', '19220382')).toBe('914403001922038216')
  })

  it('detects every single-character typing mistake', () => {
    const alphabet = [...CREDIT_CODE_ALPHABET]
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 17 }), fc.constantFrom(...alphabet), (position, replacement) => {
        const code = '91440300708461136T'
        fc.pre(code[position] !== replacement)
        const typo = code.slice(0, position) + replacement + code.slice(position + 1)
        expect(creditCodeProblem(typo)).toBe('checksum')
      }),
    )
  })
})
