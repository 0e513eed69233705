import { describe, expect, it } from 'vitest'
import { resources } from '~/i18n/resources'

function keysOf(value: unknown, prefix = ''): string[] {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    return Object.entries(value).flatMap(([key, child]) => keysOf(child, prefix ? `${prefix}.${key}` : key))
  }
  return [prefix]
}

// Every screen exists in both languages: a key in one language must exist in the other.
describe('translations', () => {
  for (const namespace of Object.keys(resources.en) as (keyof typeof resources.en)[]) {
    it(`${namespace} has the same keys in English and Chinese`, () => {
      const en = keysOf(resources.en[namespace]).sort()
      const zh = keysOf(resources['zh-CN'][namespace]).sort()
      expect(zh).toEqual(en)
    })
  }
})
