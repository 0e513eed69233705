// 统一社会信用代码 (unified social credit code), GB 32100-2015. Pure: used by the form schema in
// the browser, by the action, by CSV import and by the demo data.
//
// Layout: 1 registration authority, 1 entity type, 6 administrative division (GB/T 2260),
// 9 organisation code (GB 11714, its last character being its own check digit), 1 check character.
// The alphabet leaves out I, O, S, V and Z so a code cannot be misread.
export const CREDIT_CODE_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY'
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const

export type CreditCodeProblem = 'length' | 'charset' | 'checksum'

/** Upper case, no spaces or dashes: what people paste from a business licence. Also folds full-width characters. */
export function normalizeCreditCode(input: string): string {
  return input.normalize('NFKC').replace(/[\s-]/g, '').toUpperCase()
}

/** The 18th character for the first 17, or null when they are not 17 characters of the alphabet. */
export function creditCodeCheckChar(first17: string): string | null {
  if (first17.length !== 17) return null
  let sum = 0
  for (let i = 0; i < 17; i++) {
    const value = CREDIT_CODE_ALPHABET.indexOf(first17[i]!)
    if (value < 0) return null
    sum += value * WEIGHTS[i]!
  }
  return CREDIT_CODE_ALPHABET[(31 - (sum % 31)) % 31]!
}

/** Why a (normalised) code is not valid, or null when it is. */
export function creditCodeProblem(code: string): CreditCodeProblem | null {
  if (code.length !== 18) return 'length'
  for (const char of code) if (!CREDIT_CODE_ALPHABET.includes(char)) return 'charset'
  return creditCodeCheckChar(code.slice(0, 17)) === code[17] ? null : 'checksum'
}

export function isValidCreditCode(code: string): boolean {
  return creditCodeProblem(normalizeCreditCode(code)) === null
}

// GB 11714-1997: the organisation code's 9th character checks its first 8 (digits and letters A–Z).
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2] as const
function organisationCheckChar(first8: string): string {
  let sum = 0
  for (let i = 0; i < 8; i++) {
    const char = first8[i]!
    const value = /\d/.test(char) ? Number(char) : char.charCodeAt(0) - 55 // A = 10
    sum += value * ORG_WEIGHTS[i]!
  }
  const check = 11 - (sum % 11)
  return check === 10 ? 'X' : check === 11 ? '0' : String(check)
}

/**
 * Builds a valid code for an enterprise registered with market regulation ("91"), a 6-digit
 * administrative division and an 8-character organisation code body. For demo data and tests.
 */
export function buildCreditCode(division: string, organisationBody: string, prefix = '91'): string {
  const organisation = organisationBody + organisationCheckChar(organisationBody)
  const first17 = `${prefix}${division}${organisation}`
  const check = creditCodeCheckChar(first17)
  if (!check) throw new Error(`cannot build a credit code from ${first17}`)
  return first17 + check
}
