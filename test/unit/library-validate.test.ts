import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { LibraryError, loadLibrary } from '~/modules/library/library.server'
import { isContentFile, parseContentFile, validateContent, type ContentFile } from '~/modules/library/validate'

const FIXTURES = path.resolve('test/fixtures/questionnaires')

function readFixture(name: string): ContentFile[] {
  const directory = path.join(FIXTURES, name)
  return readdirSync(directory)
    .filter(isContentFile)
    .sort()
    .map((file) => {
      const result = parseContentFile(file, readFileSync(path.join(directory, file), 'utf8'))
      if (!result.ok) throw new Error(result.problems.join('\n'))
      return result.parsed
    })
}

/** The valid fixture set with one file's data changed; lines are left out to keep messages short. */
function validWith(file: string, change: (data: any) => void, extra: ContentFile[] = []): ContentFile[] {
  const files = readFixture('valid').map((entry) => ({ ...entry, data: structuredClone(entry.data), lineOf: () => undefined }))
  const target = files.find((entry) => entry.file === file)
  if (!target) throw new Error(`no fixture ${file}`)
  change(target.data)
  return [...files, ...extra]
}

function problemsOf(files: ContentFile[]): string[] {
  const result = validateContent(files)
  return result.ok ? [] : result.problems
}

describe('the valid fixture set', () => {
  it('validates and keeps every version, sorted', () => {
    const result = validateContent(readFixture('valid'))
    expect(result.ok ? [] : result.problems).toEqual([])
    if (!result.ok) return
    expect(result.content.questionnaires.map((q) => `${q.id}@${q.version}`)).toEqual(['baseline@1', 'baseline@2', 'payment@1'])
    expect(result.content.clauseLibrary.clauses.map((clause) => clause.id)).toEqual(['PRIV-01', 'SEC-01', 'INC-01', 'PCI-01'])
    // Defaults from the meta-schema are applied.
    const gov01 = result.content.questionnaires[1]!.sections[0]!.questions[0]!
    expect(gov01.required).toBe(true)
    expect(result.content.clauseLibrary.clauses[1]!.knockOut).toBe(false)
  })
})

describe('a deliberately broken fixture', () => {
  it('fails with one error naming every file, path and line', () => {
    let error: unknown
    try {
      loadLibrary(path.join(FIXTURES, 'broken'))
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(LibraryError)
    const { problems, message } = error as LibraryError
    expect(problems).toEqual([
      'baseline-v1.yaml: sections[0].questions[0].options: a yes_no_na question has exactly the options yes, no and na (found yes, no) (line 16)',
      'baseline-v1.yaml: sections[1].questions[1].options[1].clauses[0]: unknown clause PRIV-EN (line 44)',
      'baseline-v1.yaml: sections[1].questions[2].showWhen.anyOf[0]: question SEC-01 has no option "maybe" (options: all, none) (line 51)',
      'baseline-v1.yaml: sections[1].questions[2].evidence.requiredWhen: only choice questions can require evidence for given answers; use "always" for a short_text question (line 52)',
      'contract-templates.yaml: templates[1].clauses[3]: unknown clause SEC-99 (line 7)',
      'marketing-v2.yaml: version: the file name says version 2 but the version is 1 (line 3)',
      'marketing-v2.yaml: sections[0].questions[0].id: question id GOV-01 is already used by questionnaire "baseline" (baseline-v1.yaml); question ids must be unique across questionnaires (line 12)',
      'payment-v1.yaml: kind: Invalid option: expected one of "baseline"|"supplement" (line 4)',
      'payment-v1.yaml: description.en: Invalid input: expected string, received undefined (line 6)',
      'payment-v1.yaml: sections[0].questions[0]: Unrecognized key: "severity" (line 14)',
    ])
    expect(message).toContain('test/fixtures/questionnaires/broken is not valid (10 problems)')
    expect(message).toContain('\n- baseline-v1.yaml: sections[1].questions[1].options[1].clauses[0]: unknown clause PRIV-EN')
  })

  it('reports a YAML syntax error with its file and line', () => {
    const result = parseContentFile('baseline-v3.yaml', 'id: baseline\nversion: 3\nsections:\n  - id: a\n   title: x\n')
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.problems[0]).toMatch(/^baseline-v3\.yaml: line 5: /)
  })

  it('refuses a duplicate key in YAML', () => {
    const result = parseContentFile('clauses.yaml', 'version: 1\nversion: 2\n')
    expect(result.ok ? [] : result.problems).toEqual([expect.stringMatching(/^clauses\.yaml: line 2: Map keys must be unique/)])
  })

  it('names a missing directory', () => {
    expect(() => loadLibrary(path.join(FIXTURES, 'no-such-directory'))).toThrow(/no-such-directory: cannot read the directory \(ENOENT\)/)
  })
})

// Each rule, broken once on top of the valid set: [rule, file, change, expected problem].
const cases: [string, string, (data: any) => void, string][] = [
  [
    'an option names an unknown clause',
    'baseline-v2.yaml',
    (q) => (q.sections[1].questions[0].options[1].clauses[0].clause = 'PRIV-EN'),
    'baseline-v2.yaml: sections[1].questions[0].options[1].clauses[0]: unknown clause PRIV-EN',
  ],
  [
    'an option lists the same clause twice',
    'baseline-v2.yaml',
    (q) => q.sections[1].questions[0].options[0].clauses.push({ clause: 'SEC-01', effect: 'partial' }),
    'baseline-v2.yaml: sections[1].questions[0].options[0].clauses[1]: clause SEC-01 is listed twice for option "all"',
  ],
  [
    'a scored question bears on no clause',
    'baseline-v2.yaml',
    (q) => q.sections[1].questions[1].options.forEach((option: any) => (option.clauses = [])),
    'baseline-v2.yaml: sections[1].questions[1]: SEC-02 is scored (multi_choice) but none of its options bears on a clause; map at least one clause',
  ],
  [
    'a choice question has no options',
    'baseline-v2.yaml',
    (q) => delete q.sections[1].questions[0].options,
    'baseline-v2.yaml: sections[1].questions[0].options: a single_choice question needs options',
  ],
  [
    'a single choice question has one option',
    'baseline-v2.yaml',
    (q) => q.sections[1].questions[0].options.splice(1),
    'baseline-v2.yaml: sections[1].questions[0].options: a single_choice question needs at least two options',
  ],
  [
    'a yes/no/na question has other options',
    'payment-v1.yaml',
    (q) => (q.sections[0].questions[0].options[2].id = 'unknown'),
    'payment-v1.yaml: sections[0].questions[0].options: a yes_no_na question has exactly the options yes, no and na (found yes, no, unknown)',
  ],
  [
    'two options share an id',
    'baseline-v2.yaml',
    (q) => (q.sections[1].questions[0].options[2].id = 'all'),
    'baseline-v2.yaml: sections[1].questions[0].options[2].id: duplicate option id "all" (also options[0])',
  ],
  [
    'a text question has options',
    'baseline-v2.yaml',
    (q) => (q.sections[0].questions[1].options = [{ id: 'x', label: { 'zh-CN': '甲', en: 'X' } }]),
    'baseline-v2.yaml: sections[0].questions[1].options: only yes_no_na, single_choice and multi_choice questions have options (GOV-02 is long_text)',
  ],
  [
    'a condition points at a later question',
    'baseline-v2.yaml',
    (q) => (q.sections[0].questions[1].showWhen = { question: 'SEC-01', anyOf: ['all'] }),
    'baseline-v2.yaml: sections[0].questions[1].showWhen.question: SEC-01 comes at or after this question; a condition must refer to an earlier question',
  ],
  [
    'a condition points at itself',
    'baseline-v2.yaml',
    (q) => (q.sections[1].questions[2].showWhen.question = 'SEC-03'),
    'baseline-v2.yaml: sections[1].questions[2].showWhen.question: SEC-03 comes at or after this question; a condition must refer to an earlier question',
  ],
  [
    'a condition points at an unknown question',
    'baseline-v2.yaml',
    (q) => (q.sections[0].questions[1].showWhen.question = 'GOV-99'),
    'baseline-v2.yaml: sections[0].questions[1].showWhen.question: unknown question GOV-99 (a condition refers to an earlier question of the same questionnaire)',
  ],
  [
    'a condition points at a question of another questionnaire',
    'payment-v1.yaml',
    (q) => (q.sections[0].questions[1].showWhen.question = 'GOV-01'),
    'payment-v1.yaml: sections[0].questions[1].showWhen.question: unknown question GOV-01 (a condition refers to an earlier question of the same questionnaire)',
  ],
  [
    'a condition points at a text question',
    'baseline-v2.yaml',
    (q) => (q.sections[0].questions[3].showWhen = { question: 'GOV-03', anyOf: ['x'] }),
    'baseline-v2.yaml: sections[0].questions[3].showWhen.question: GOV-03 is a number question; a condition needs a choice question',
  ],
  [
    'a condition names an unknown option',
    'baseline-v2.yaml',
    (q) => (q.sections[1].questions[2].showWhen.anyOf = ['all', 'some']),
    'baseline-v2.yaml: sections[1].questions[2].showWhen.anyOf[1]: question SEC-01 has no option "some" (options: all, admins, none)',
  ],
  [
    'evidence is required for an unknown option',
    'baseline-v2.yaml',
    (q) => (q.sections[0].questions[0].evidence.requiredWhen = ['partly']),
    'baseline-v2.yaml: sections[0].questions[0].evidence.requiredWhen[0]: unknown option "partly" (options: yes, no, na)',
  ],
  [
    'two questions of one version share an id',
    'baseline-v2.yaml',
    (q) => (q.sections[1].questions[1].id = 'GOV-01'),
    'baseline-v2.yaml: sections[1].questions[1].id: duplicate question id GOV-01 (also sections[0].questions[0])',
  ],
  [
    'two questionnaires share a question id',
    'payment-v1.yaml',
    (q) => (q.sections[0].questions[1].id = 'GOV-03'),
    'payment-v1.yaml: sections[0].questions[1].id: question id GOV-03 is already used by questionnaire "baseline" (baseline-v2.yaml); question ids must be unique across questionnaires',
  ],
  [
    'two sections share an id',
    'baseline-v2.yaml',
    (q) => (q.sections[1].id = 'governance'),
    'baseline-v2.yaml: sections[1].id: duplicate section id "governance" (also sections[0])',
  ],
  [
    'min and max on a date question',
    'baseline-v2.yaml',
    (q) => (q.sections[0].questions[3].min = 1),
    'baseline-v2.yaml: sections[0].questions[3].min: only number questions have min',
  ],
  ['max below min', 'baseline-v2.yaml', (q) => (q.sections[0].questions[2].max = -1), 'baseline-v2.yaml: sections[0].questions[2].max: max (-1) is below min (0)'],
  ['the id differs from the file name', 'payment-v1.yaml', (q) => (q.id = 'payments'), 'payment-v1.yaml: id: the file name says "payment" but the id is "payments"'],
  ['the version differs from the file name', 'payment-v1.yaml', (q) => (q.version = 2), 'payment-v1.yaml: version: the file name says version 1 but the version is 2'],
  [
    'versions of one questionnaire disagree on kind',
    'baseline-v2.yaml',
    (q) => (q.kind = 'supplement'),
    'baseline-v2.yaml: kind: is "supplement" but baseline-v1.yaml (another version of baseline) is "baseline"',
  ],
  [
    'a clause is covered by no question of the latest versions',
    'clauses.yaml',
    (library) =>
      library.clauses.push({ id: 'RET-01', title: { 'zh-CN': '删除', en: 'Deletion' }, text: { 'zh-CN': '删除。', en: 'Delete.' }, severity: 'low', sources: ['PIPL Art. 21'] }),
    'clauses.yaml: clauses[4]: clause RET-01 is not covered by any question of the latest questionnaires (baseline v2, payment v1)',
  ],
  [
    'two clauses share an id',
    'clauses.yaml',
    (library) => (library.clauses[3].id = 'SEC-01'),
    'clauses.yaml: clauses[3].id: duplicate clause id SEC-01 (first defined at clauses[1])',
  ],
  ['a clause has no source', 'clauses.yaml', (library) => (library.clauses[0].sources = []), 'clauses.yaml: clauses[0].sources: Too small: expected array to have >=1 items'],
  ['a template names an unknown clause', 'contract-templates.yaml', (t) => t.templates[2].clauses.push('MKT-01'), 'contract-templates.yaml: templates[2].clauses[2]: unknown clause MKT-01'],
  ['a template lists a clause twice', 'contract-templates.yaml', (t) => t.templates[6].clauses.push('PRIV-01'), 'contract-templates.yaml: templates[6].clauses[1]: clause PRIV-01 is listed twice'],
  ['a category has no template', 'contract-templates.yaml', (t) => t.templates.pop(), 'contract-templates.yaml: templates: no template for vendor category other'],
  [
    'a category has two templates',
    'contract-templates.yaml',
    (t) => (t.templates[6].category = 'marketing'),
    'contract-templates.yaml: templates[6].category: a second template for category marketing (first at templates[2])',
  ],
  [
    'a text has no English',
    'baseline-v2.yaml',
    (q) => delete q.sections[0].questions[0].help.en,
    'baseline-v2.yaml: sections[0].questions[0].help.en: Invalid input: expected string, received undefined',
  ],
]

describe('each cross-reference rule', () => {
  for (const [rule, file, change, expected] of cases) {
    it(`fails when ${rule}`, () => {
      expect(problemsOf(validWith(file, change))).toContain(expected)
    })
  }

  it('counts a clause covered only by an old version as not covered', () => {
    // SEC-02 (the only question on INC-01 in baseline v2) stops mapping it; baseline v1 still does.
    const files = validWith('baseline-v2.yaml', (q) => {
      q.sections[1].questions[1].options.forEach((option: any) => (option.clauses = [{ clause: 'SEC-01', effect: 'partial' }]))
    })
    expect(problemsOf(files)).toEqual([
      'clauses.yaml: clauses[2]: clause INC-01 is not covered by any question of the latest questionnaires (baseline v2, payment v1)',
    ])
  })

  it('requires the clause library, the templates and a baseline', () => {
    const onlyPayment = readFixture('valid').filter((file) => file.file === 'payment-v1.yaml')
    expect(problemsOf(onlyPayment)).toEqual([
      'clauses.yaml: file is missing: the clause library is required',
      'contract-templates.yaml: file is missing: the contract templates are required',
      'questionnaires/: no questionnaire of kind "baseline"',
    ])
  })

  it('refuses a content file with an unexpected name', () => {
    const stray: ContentFile = { file: 'baseline.yaml', data: {}, lineOf: () => undefined }
    expect(problemsOf([...readFixture('valid'), stray])).toEqual([
      'baseline.yaml: unexpected file name: questionnaires are named <id>-v<version>.yaml (e.g. baseline-v1.yaml); the other files are clauses.yaml and contract-templates.yaml',
    ])
  })

  it('refuses the same version twice', () => {
    const files = readFixture('valid')
    const twin = { ...files.find((file) => file.file === 'payment-v1.yaml')!, file: 'payment-v1.json' }
    expect(problemsOf([...files, twin])).toEqual(['payment-v1.json: version: payment version 1 is also defined in payment-v1.yaml (line 2)'])
  })
})
