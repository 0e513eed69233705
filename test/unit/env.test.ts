import { describe, expect, it } from 'vitest'
import { parseDbDurability, parseEnv } from '~/env.server'

describe('configuration', () => {
  it('accepts a minimal valid environment and fills defaults', () => {
    const parsed = parseEnv({ MONGODB_URI: 'mongodb://127.0.0.1:27017/x', SESSION_SECRET: 'x'.repeat(32) })
    expect(parsed).toMatchObject({ env: { INSTITUTION_TIMEZONE: 'Asia/Shanghai', NODE_ENV: 'development' } })
  })

  it('lists every bad or missing setting in one message', () => {
    const parsed = parseEnv({ MONGODB_URI: 'postgres://nope', SESSION_SECRET: 'short', SMTP_URL: 'http://mail', INSTITUTION_TIMEZONE: 'Mars/Olympus' })
    expect('problems' in parsed).toBe(true)
    const problems = (parsed as { problems: string }).problems
    expect(problems).toContain('MONGODB_URI: must start with mongodb://')
    expect(problems).toContain('SESSION_SECRET: must be at least 32 characters')
    expect(problems).toContain('SMTP_URL: must start with smtp://')
    expect(problems).toContain('INSTITUTION_TIMEZONE: is not an IANA time zone')
  })

  it('treats empty strings as unset', () => {
    const parsed = parseEnv({ MONGODB_URI: 'mongodb://h/db', SESSION_SECRET: 'y'.repeat(40), SMTP_URL: '' })
    expect('env' in parsed).toBe(true)
    expect('env' in parsed && parsed.env.SMTP_URL).toBeUndefined()
  })

  it('reads the embedded database durability: commit by default, refuses unknown levels', () => {
    expect(parseDbDurability(undefined)).toEqual({ durability: 'commit' })
    expect(parseDbDurability('')).toEqual({ durability: 'commit' })
    expect(parseDbDurability('fsync')).toEqual({ durability: 'fsync' })
    expect(parseDbDurability('none')).toEqual({ durability: 'none' })
    const refused = parseDbDurability('sometimes')
    expect(refused).toMatchObject({ problem: expect.stringContaining('CLAUSEWISE_DB_DURABILITY: must be commit') })
    const parsed = parseEnv({ MONGODB_URI: 'mongodb://h/db', SESSION_SECRET: 'y'.repeat(40), CLAUSEWISE_DB_DURABILITY: 'always' })
    expect((parsed as { problems: string }).problems).toContain('CLAUSEWISE_DB_DURABILITY: must be commit')
  })
})
