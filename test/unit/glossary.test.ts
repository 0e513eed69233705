// One word for one thing. The glossary (locales/*/glossary.json) is the only place the domain's
// vocabularies are spelled; this fails when any page, e-mail or PDF text spells a glossary term
// another way in either language (e.g. tier 1 as "第 1 级 · 极高", "一级——关键" and "1 级 · 关键").
import { readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { resources } from '~/i18n/resources'

type Tree = { [key: string]: string | Tree }
function leaves(tree: Tree, prefix = ''): [string, string][] {
  return Object.entries(tree).flatMap(([key, value]) => (typeof value === 'string' ? [[`${prefix}${key}`, value] as [string, string]] : leaves(value, `${prefix}${key}.`)))
}

const glossary = { en: resources.en.glossary as unknown as Tree, zh: resources['zh-CN'].glossary as unknown as Tree }
const VOCABULARIES = ['tier.name', 'risk', 'severity', 'criticality']
/** [concept value, English label, Chinese label] for every label of every vocabulary. */
const labels = VOCABULARIES.flatMap((vocabulary) => {
  const pick = (tree: Tree) => vocabulary.split('.').reduce<Tree>((node, part) => node[part] as Tree, tree)
  const zh = pick(glossary.zh)
  return Object.entries(pick(glossary.en)).map(([value, en]) => [`${vocabulary}.${value}`, en as string, zh[value] as string] as const)
})

const ROOT = path.resolve(__dirname, '../..')
const namespaces = Object.keys(resources.en).filter((namespace) => namespace !== 'glossary') as (keyof typeof resources.en)[]
const pairs = namespaces.flatMap((namespace) => {
  const zh = new Map(leaves(resources['zh-CN'][namespace] as unknown as Tree))
  return leaves(resources.en[namespace] as unknown as Tree).map(([key, en]) => ({ where: `${namespace}:${key}`, en, zh: zh.get(key) ?? '' }))
})

/** Ways of writing a glossary term that are not the glossary's. */
const VARIANTS_ZH: [RegExp, string][] = [
  [/第\s*(\{\{\s*\w+\s*\}\}|[0-9一二三四])\s*级/, 'a tier is "N 级", not "第 N 级"'],
  [/[一二三四]级\s*[—–-]/, 'a tier is "N 级 · 名称", not "一级——…"'],
  [/\{\{\s*tier\s*\}\}\s*级\s*·/, 'the tier badge is glossary:tier.badge'],
  [/分级/, 'the tier is 风险等级 (固有风险等级)'],
  // 等级保护 (MLPS, the national cybersecurity scheme) is a proper name, not a risk tier.
  [/(?<!风险)等级(?!保护)/, 'the tier is 风险等级 (固有风险等级)'],
  [/供应商/, 'a vendor is 合作机构'],
  [/服务商/, 'a vendor is 合作机构'],
  [/(证据|佐证)材料/, 'evidence is 证明材料'],
  [/(审批通过|签核)/, 'sign-off is 签批'],
  [/残余风险/, 'residual risk is 剩余风险'],
  [/问题与整改|个问题未关闭|此问题$/, 'a finding is 发现 (问题 is a question of the questionnaire)'],
]
const VARIANTS_EN: [RegExp, string][] = [
  [/\bTier \{\{\s*tier\s*\}\}\s*·/, 'the tier badge is glossary:tier.badge'],
  [/\bTier [1-4] — /, 'a tier is "Tier N · Name"'],
  [/\bsuppliers?\b/i, 'a vendor is a vendor'],
]

describe('the glossary', () => {
  it('gives every label one word in each language, and no word to two labels', () => {
    const byEn = new Map<string, Set<string>>()
    const byZh = new Map<string, Set<string>>()
    for (const [, en, zh] of labels) {
      byEn.set(en.toLowerCase(), (byEn.get(en.toLowerCase()) ?? new Set()).add(zh))
      byZh.set(zh, (byZh.get(zh) ?? new Set()).add(en.toLowerCase()))
    }
    const ambiguous = [...byEn, ...byZh].filter(([, set]) => set.size > 1).map(([word, set]) => `${word} → ${[...set].join(' / ')}`)
    expect(ambiguous).toEqual([])
    // Tier 1 and service criticality no longer share a word (they did: 关键).
    const words = (vocabulary: string) => labels.filter(([key]) => key.startsWith(vocabulary)).flatMap(([, en, zh]) => [en, zh])
    expect(words('tier.name').filter((word) => words('criticality').includes(word))).toEqual([])
  })

  it('is the only place a label is translated: the same English label never gets another Chinese word', () => {
    const clashes: string[] = []
    for (const pair of pairs) {
      for (const [concept, en, zh] of labels) {
        const sameEnglish = pair.en.trim().toLowerCase() === en.toLowerCase() && pair.zh.trim() !== zh
        const sameChinese = zh.length > 1 && pair.zh.trim() === zh && pair.en.trim().toLowerCase() !== en.toLowerCase()
        if (sameEnglish || sameChinese) clashes.push(`${pair.where}: "${pair.en}" / "${pair.zh}" (glossary ${concept}: "${en}" / "${zh}")`)
      }
    }
    expect(clashes).toEqual([])
  })

  it('is not spelled another way in any locale file', () => {
    const found: string[] = []
    for (const pair of pairs) {
      for (const [pattern, why] of VARIANTS_ZH) if (pattern.test(pair.zh)) found.push(`${pair.where}: "${pair.zh}" — ${why}`)
      for (const [pattern, why] of VARIANTS_EN) if (pattern.test(pair.en)) found.push(`${pair.where}: "${pair.en}" — ${why}`)
    }
    expect(found).toEqual([])
  })

  it('is not spelled another way in the PDF, e-mail or page source', () => {
    const files: string[] = []
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const full = path.join(dir, name)
        if (statSync(full).isDirectory()) walk(full)
        else if (/\.(ts|tsx)$/.test(name)) files.push(full)
      }
    }
    walk(path.join(ROOT, 'app'))
    const found: string[] = []
    for (const file of files) {
      const text = readFileSync(file, 'utf8')
      // String and template literals only: comments may quote the old spellings.
      for (const literal of text.match(/(['"`])(?:\\.|(?!\1)[^\\\n])*\1/g) ?? []) {
        for (const [pattern, why] of [...VARIANTS_ZH, ...VARIANTS_EN]) {
          if (pattern.test(literal)) found.push(`${path.relative(ROOT, file)}: ${literal} — ${why}`)
        }
      }
    }
    expect(found).toEqual([])
  })
})
