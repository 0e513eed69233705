// What a clause-library draft changes compared with the library it came from: clauses added,
// removed and changed (which fields), and contract templates changed (by category). Pure; the
// draft page and the tests share it.
import type { ClauseLibrary, ContractTemplate } from './content-schema'

export interface ClauseDifferences {
  added: string[]
  removed: string[]
  changed: { id: string; fields: string[] }[] // fields: title, text, severity, knockOut, sources
  templates: { category: string; fields: string[] }[] // fields: title, clauses; or added / removed
}

const CLAUSE_FIELDS = ['title', 'text', 'severity', 'knockOut', 'sources'] as const
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)
const bilingual = (value: { 'zh-CN': string; en: string }) => [value['zh-CN'], value.en]

export function clauseDifferences(
  previous: { clauseLibrary: ClauseLibrary; templates: readonly ContractTemplate[] },
  next: { clauseLibrary: ClauseLibrary; templates: readonly ContractTemplate[] },
): ClauseDifferences {
  const before = new Map(previous.clauseLibrary.clauses.map((clause) => [clause.id, clause]))
  const after = new Map(next.clauseLibrary.clauses.map((clause) => [clause.id, clause]))
  const changed: ClauseDifferences['changed'] = []
  for (const [id, clause] of after) {
    const old = before.get(id)
    if (!old) continue
    const fields = CLAUSE_FIELDS.filter((field) => {
      const a = old[field]
      const b = clause[field]
      return typeof a === 'object' && !Array.isArray(a) ? !same(bilingual(a), bilingual(b as typeof a)) : !same(a, b)
    })
    if (fields.length > 0) changed.push({ id, fields })
  }
  const templatesBefore = new Map(previous.templates.map((template) => [template.category, template]))
  const templatesAfter = new Map(next.templates.map((template) => [template.category, template]))
  const templates: ClauseDifferences['templates'] = []
  for (const [category, template] of templatesAfter) {
    const old = templatesBefore.get(category)
    if (!old) templates.push({ category, fields: ['added'] })
    else {
      const fields = [...(!same(bilingual(old.title), bilingual(template.title)) ? ['title'] : []), ...(!same(old.clauses, template.clauses) ? ['clauses'] : [])]
      if (fields.length > 0) templates.push({ category, fields })
    }
  }
  for (const category of templatesBefore.keys()) if (!templatesAfter.has(category)) templates.push({ category, fields: ['removed'] })
  return {
    added: [...after.keys()].filter((id) => !before.has(id)),
    removed: [...before.keys()].filter((id) => !after.has(id)),
    changed,
    templates,
  }
}

export function hasClauseDifferences(differences: ClauseDifferences): boolean {
  return differences.added.length + differences.removed.length + differences.changed.length + differences.templates.length > 0
}
