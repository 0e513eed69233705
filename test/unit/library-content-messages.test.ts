// The content checks' messages exist in both languages with the same parameters, and a problem
// found by the check shows in the user's language with the place it refers to.
import i18next from 'i18next'
import { describe, expect, it } from 'vitest'
import { resources } from '~/i18n/resources'
import { showProblem } from '~/modules/library/formats/import-workbook-draft.server'
import { contentIssueEnglish, validateContent, type ContentFile } from '~/modules/library/validate'
import { library } from '~/modules/library/library.server'

const placeholders = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((match) => match[1]).sort()

async function translator(lng: 'en' | 'zh-CN') {
  const instance = i18next.createInstance()
  await instance.init({ lng, resources, interpolation: { escapeValue: false } })
  return instance.t
}

describe('content check messages', () => {
  it('have the same parameters in English and Chinese', () => {
    const en = resources.en.library.import.content as Record<string, string>
    const zh = resources['zh-CN'].library.import.content as Record<string, string>
    for (const code of Object.keys(en)) expect(placeholders(zh[code]!), code).toEqual(placeholders(en[code]!))
  })

  it('a duplicate question shows in both languages, naming where the first one is', async () => {
    const baseline = structuredClone(library().latest.find((questionnaire) => questionnaire.id === 'baseline')!)
    baseline.sections[0]!.questions[1]!.id = baseline.sections[0]!.questions[0]!.id
    const noLine = () => undefined
    const files: ContentFile[] = [
      { file: 'clauses.yaml', data: library().clauseLibrary, lineOf: noLine },
      { file: 'contract-templates.yaml', data: { templates: library().templates }, lineOf: noLine },
      { file: 'baseline-v1.yaml', data: baseline, lineOf: noLine },
    ]
    const result = validateContent(files)
    expect(result.ok).toBe(false)
    if (result.ok) return
    const issue = result.issues.find((candidate) => candidate.code === 'duplicateQuestion')!
    expect(issue.message).toBe(`duplicate question id ${baseline.sections[0]!.questions[0]!.id} (also sections[0].questions[0])`)
    expect(issue.message).toBe(contentIssueEnglish(issue.code, { ...issue.params, first: 'sections[0].questions[0]' }))
    const problem = { code: `content.${issue.code}`, params: issue.params, refs: { first: { sheet: 'Questions', row: 2 } } }
    expect(showProblem(await translator('en'), problem).reason).toBe(`duplicate question id ${issue.params.id} (also Sheet “Questions”, row 2)`)
    expect(showProblem(await translator('zh-CN'), problem).reason).toBe(`问题编号 ${issue.params.id} 重复（另见 工作表“Questions”，第 2 行）`)
    // A problem about another file of the library names that file.
    expect(showProblem(await translator('zh-CN'), { code: 'content.clauseNotCovered', params: { clause: 'GOV-ACCT-01', names: 'baseline v2', file: 'clauses.yaml' } }).reason).toBe(
      'clauses.yaml：最新版问卷（baseline v2）中没有问题涉及条款 GOV-ACCT-01',
    )
  })
})
