// The meta-schema of questionnaires/: every content file is checked against it at startup and in
// the tests. Pure: the types are shared by the vendor form, scoring, review and PDF reports.
import { z } from 'zod'
import { VENDOR_CATEGORIES } from '~/modules/vendors/vocabulary'

export const localizedText = z.strictObject({ 'zh-CN': z.string().trim().min(1), en: z.string().trim().min(1) })
export type LocalizedText = z.infer<typeof localizedText>

const id = (pattern: RegExp, what: string) => z.string().regex(pattern, `${what} must match ${pattern}`)
export const clauseId = id(/^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$/, 'clause id') // e.g. PRIV-01, PCI-12-8-2
export const questionId = id(/^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$/, 'question id') // e.g. GOV-01
export const optionId = id(/^[a-z0-9][a-z0-9_]*$/, 'option id') // e.g. yes, no, na, quarterly

export const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const
export type Severity = (typeof SEVERITIES)[number]

/** What one answer option says about a contract clause. */
export const CLAUSE_EFFECTS = ['meets', 'partial', 'fails', 'not_applicable'] as const
export type ClauseEffect = (typeof CLAUSE_EFFECTS)[number]

export const QUESTION_KINDS = ['yes_no_na', 'single_choice', 'multi_choice', 'short_text', 'long_text', 'number', 'date', 'file'] as const
export type QuestionKind = (typeof QUESTION_KINDS)[number]
export const CHOICE_KINDS: readonly QuestionKind[] = ['yes_no_na', 'single_choice', 'multi_choice']

export const clauseEffectSchema = z.strictObject({ clause: clauseId, effect: z.enum(CLAUSE_EFFECTS) })

export const optionSchema = z.strictObject({
  id: optionId,
  label: localizedText,
  clauses: z.array(clauseEffectSchema).default([]),
})

export const questionSchema = z.strictObject({
  id: questionId,
  kind: z.enum(QUESTION_KINDS),
  required: z.boolean().default(true),
  text: localizedText,
  help: localizedText.optional(),
  options: z.array(optionSchema).optional(), // required for choice kinds
  // Show this question only when another question's answer includes one of these options.
  showWhen: z.strictObject({ question: questionId, anyOf: z.array(optionId).min(1) }).optional(),
  // Evidence (a file upload) is required when the answer is one of these options, or always.
  evidence: z
    .strictObject({
      requiredWhen: z.union([z.literal('always'), z.array(optionId).min(1)]),
      hint: localizedText.optional(),
    })
    .optional(),
  // For number questions: bounds the vendor's answer must respect.
  min: z.number().optional(),
  max: z.number().optional(),
  // The questionnaire version in which this question's text or options last changed in meaning:
  // answers given to an earlier version are not carried over into a reassessment (carry-over.ts).
  meaningChangedIn: z.number().int().min(1).optional(),
})

export const sectionSchema = z.strictObject({
  id: id(/^[a-z][a-z0-9-]*$/, 'section id'),
  title: localizedText,
  description: localizedText.optional(),
  questions: z.array(questionSchema).min(1),
})

export const questionnaireSchema = z.strictObject({
  id: id(/^[a-z][a-z0-9-]*$/, 'questionnaire id'), // stable across versions, e.g. "baseline"
  version: z.number().int().min(1),
  kind: z.enum(['baseline', 'supplement']),
  title: localizedText,
  description: localizedText,
  publishedAt: z.iso.date(),
  // Supplements are proposed for these vendor categories (e.g. payment platforms).
  proposedFor: z.array(z.enum(VENDOR_CATEGORIES)).default([]),
  sections: z.array(sectionSchema).min(1),
})

export const clauseSchema = z.strictObject({
  id: clauseId,
  title: localizedText,
  text: localizedText,
  severity: z.enum(SEVERITIES),
  knockOut: z.boolean().default(false),
  sources: z.array(z.string().min(3)).min(1), // e.g. "PIPL Art. 21", "PCI DSS v4.0.1 12.8.2"
})

export const clauseLibrarySchema = z.strictObject({
  version: z.number().int().min(1),
  clauses: z.array(clauseSchema).min(1),
})

export const contractTemplateSchema = z.strictObject({
  category: z.enum(VENDOR_CATEGORIES),
  title: localizedText,
  clauses: z.array(clauseId).min(1),
})

export const contractTemplatesSchema = z.strictObject({
  templates: z.array(contractTemplateSchema).min(1),
})

export type Questionnaire = z.infer<typeof questionnaireSchema>
export type Section = z.infer<typeof sectionSchema>
export type Question = z.infer<typeof questionSchema>
export type QuestionOption = z.infer<typeof optionSchema>
export type Clause = z.infer<typeof clauseSchema>
export type ClauseLibrary = z.infer<typeof clauseLibrarySchema>
export type ContractTemplate = z.infer<typeof contractTemplateSchema>
export type QuestionnaireRef = { id: string; version: number }
