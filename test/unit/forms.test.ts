import { describe, expect, it } from 'vitest'
import { formDataToObject } from '~/modules/forms/form-data'
import { fieldErrorsOf, manyOf, translateError, z } from '~/modules/forms/validation'
import { safeRedirect } from '~/modules/auth/session.server'

function form(entries: [string, string][]) {
  const data = new FormData()
  for (const [k, v] of entries) data.append(k, v)
  return data
}

describe('formDataToObject', () => {
  it('nests dotted names and closes holes left by removed rows', () => {
    const result = formDataToObject(form([['name', 'A'], ['contacts.0.email', 'a@x.cn'], ['contacts.2.email', 'c@x.cn'], ['tags', 'x'], ['tags', 'y']]))
    expect(result).toEqual({ name: 'A', contacts: [{ email: 'a@x.cn' }, { email: 'c@x.cn' }], tags: ['x', 'y'] })
  })

  it('drops prototype-polluting names', () => {
    const result = formDataToObject(form([['__proto__.admin', 'true'], ['a.constructor.x', '1'], ['ok', '1']]))
    expect(result).toEqual({ ok: '1' })
    expect(({} as Record<string, unknown>).admin).toBeUndefined()
  })
})

describe('validation messages', () => {
  const schema = z.object({ name: z.string().min(1), code: z.string().min(3), email: z.email(), kinds: manyOf(z.enum(['a', 'b']), { min: 1 }) })
  const t = ((key: string, params: Record<string, unknown>) => `${key}${JSON.stringify(params)}`) as never

  it('are i18n keys with parameters, one list per field', () => {
    const result = schema.safeParse({ name: '', code: 'ab', email: 'nope', kinds: [] })
    expect(result.success).toBe(false)
    const errors = fieldErrorsOf(result.error!)
    expect(errors.name).toEqual(['errors:required'])
    expect(errors.code).toEqual(['errors:tooShort|{"minimum":3}'])
    expect(errors.email).toEqual(['errors:email'])
    expect(errors.kinds).toEqual(['errors:chooseOne'])
    expect(translateError(t, errors.code![0])).toBe('errors:tooShort{"minimum":3}')
  })

  it('accept a single posted value where a list is expected', () => {
    expect(schema.shape.kinds.parse('a')).toEqual(['a'])
  })
})

describe('safeRedirect', () => {
  it.each([
    ['/vendors?page=2', '/vendors?page=2'],
    ['//evil.example', '/'],
    ['https://evil.example', '/'],
    ['/\\evil.example', '/'],
    [null, '/'],
  ])('%s → %s', (input, expected) => {
    expect(safeRedirect(input)).toBe(expected)
  })
})
