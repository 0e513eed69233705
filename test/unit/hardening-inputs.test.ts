import { describe, expect, it } from 'vitest'
import { safeRedirect } from '~/modules/auth/session.server'
import { storedFileName } from '~/modules/files/download-name'
import { calendarDay, requiredText } from '~/modules/forms/fields'
import { formDataToObject } from '~/modules/forms/form-data'
import { isPlainText } from '~/modules/forms/plain-text'
import { optionalText } from '~/modules/forms/validation'
import { questionnaireForVendor, vendorForVendor } from '~/modules/assessments/vendor-view'
import { getQuestionnaire, reloadLibrary } from '~/modules/library/library.server'

function form(body: string) {
  const data = new FormData()
  for (const [k, v] of new URLSearchParams(body)) data.append(k, v)
  return data
}

/** The parser's answer, or the status of the 4xx it throws. */
function parse(body: string): Record<string, unknown> | number {
  try {
    return formDataToObject(form(body))
  } catch (error) {
    if (error instanceof Response) return error.status
    throw error
  }
}

describe('form parsing costs O(body) and never throws anything but a 400', () => {
  it('refuses a huge array index at once instead of building a sparse array', () => {
    const started = performance.now()
    expect(parse('email=a%40b.c&password=x&z.4294967294=1')).toBe(400)
    expect(parse('z.100000000=1')).toBe(400)
    expect(performance.now() - started).toBeLessThan(50)
  })

  it('keeps small dense indices as arrays and closes holes', () => {
    expect(parse('contacts.0.email=a&contacts.2.email=c&tags=x&tags=y')).toEqual({ contacts: [{ email: 'a' }, { email: 'c' }], tags: ['x', 'y'] })
  })

  it('does not crash on a value that also has a dotted sub-key (either order)', () => {
    const a = parse('legalName.en=x&legalName.en.sub=1')
    const b = parse('legalName.en.sub=1&legalName.en=x')
    expect(typeof a).toBe('object')
    expect(typeof b).toBe('object')
    // Whatever shape it takes, it is not a string, so the schema refuses it as a field error.
    expect(typeof (a as { legalName: { en: unknown } }).legalName.en).not.toBe('string')
  })

  it('survives a 3,000-level dotted key and 100,000 fields', () => {
    expect(typeof parse(`a${'.b'.repeat(3000)}=1`)).toBe('object')
    expect(parse(Array.from({ length: 100_000 }, (_, i) => `f${i}=1`).join('&'))).toBe(400)
  })

  it('drops prototype-polluting names', () => {
    expect(parse('__proto__.admin=true&a.constructor.x=1&ok=1&a[__proto__][x]=1')).toEqual({ ok: '1' })
    expect(({} as Record<string, unknown>).admin).toBeUndefined()
  })
})

describe('safeRedirect parses like a browser and stays on this site', () => {
  it.each([
    ['/vendors?page=2', '/vendors?page=2'],
    ['/assessments/abc#q-1', '/assessments/abc#q-1'],
    ['//evil.example', '/'],
    ['https://evil.example', '/'],
    ['/\\evil.example', '/'],
    ['/\t/evil.example', '/'],
    ['/\n/evil.example', '/'],
    ['/\r\n/evil.example', '/'],
    ['/x\u3000y', '/'],
    ['/.//evil.example', '/'],
    ['/%2F/evil.example', '/%2F/evil.example'],
    ['javascript:alert(1)', '/'],
    ['', '/'],
    [null, '/'],
  ])('%j → %s', (input, expected) => {
    expect(safeRedirect(input)).toBe(expected)
    // Whatever it returns can be a header value.
    expect(() => new Headers({ Location: safeRedirect(input) })).not.toThrow()
  })
})

describe('calendar days', () => {
  const day = calendarDay()
  it.each(['2027-02-30', '9999-99-99', '2025-13-01', '2025-00-10', '20250-01-01', '1989-12-31', '2201-01-01', 'soon'])('refuses %s', (value) => {
    expect(day.safeParse(value).success).toBe(false)
  })
  it.each(['2028-02-29', '2025-12-31', '1990-01-01'])('accepts %s', (value) => {
    expect(day.parse(value)).toBe(value)
  })
  it('explains a day out of range', () => {
    expect(day.safeParse('2300-01-01').error?.issues[0]?.message).toBe('errors:dateTooLate')
    expect(day.safeParse('2027-02-30').error?.issues[0]?.message).toBe('errors:date')
  })
})

describe('plain text', () => {
  it.each(['\u0000', '\uFFFD', '\uFFFD\uFFFD', 'a\u0007b', 'x\ud800', '\udc00y', '\u200b\u200b', 'a\u0085b'])('refuses %j as a name', (value) => {
    const result = requiredText(100).safeParse(value)
    expect(result.success).toBe(false)
    expect(result.error?.issues.map((issue) => issue.message)).toContain('errors:text')
    expect(optionalText(100).safeParse(value).success).toBe(false)
  })
  it.each(['王小明', 'Acme GmbH', 'O\u2019Brien', '😀 Emoji Ltd', '北京 · 数据'])('accepts %j', (value) => {
    expect(requiredText(100).parse(value)).toBe(value)
  })
  it('allows line breaks only where lines are expected', () => {
    expect(isPlainText('one\ntwo', { multiline: true })).toBe(true)
    expect(isPlainText('one\ntwo')).toBe(false)
  })
})

describe('stored file names carry the sniffed type', () => {
  it.each([
    ['statement.html', 'pdf', 'statement.pdf'],
    ['a=b.pdf', 'pdf', 'a=b.pdf'],
    ['vendors;2025.pdf', 'pdf', 'vendors;2025.pdf'],
    ['C:\\fakepath\\photo.JPEG', 'jpg', 'photo.JPEG'],
    ['合同 2025.PDF', 'pdf', '合同 2025.PDF'],
    ['noext', 'png', 'noext.png'],
    ['\u0000', 'pdf', 'evidence.pdf'],
    ['evil\u202egnp.exe', 'png', 'evilgnp.png'],
  ])('%j as %s → %s', (name, extension, expected) => {
    expect(storedFileName(name, extension, 'evidence')).toBe(expected)
  })
})

describe('what the vendor receives', () => {
  it('has no clause effects and no internal rating', () => {
    reloadLibrary()
    const view = questionnaireForVendor(getQuestionnaire('baseline', 1))
    const json = JSON.stringify(view)
    expect(json).not.toMatch(/"clause"|"effect"|meets|fails/)
    expect(view.sections[0]!.questions[0]!.options!.length).toBeGreaterThan(0)
    const vendor = vendorForVendor({ vendorId: 'x', legalName: { en: 'Acme' }, category: 'payment', effectiveTier: 1, dataProfile: { piCategories: ['identity'], sensitivity: 'C3', recordCount: 5 } })
    expect(vendor).toEqual({ legalName: { 'zh-CN': undefined, en: 'Acme' }, dataProfile: { piCategories: ['identity'] } })
  })
})
