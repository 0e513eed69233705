// Texts a standard-format import brought in English only (the same English in both languages,
// docs/decisions/031): counted so the draft page can say how much is left to translate. Pure.
import type { LocalizedText, Questionnaire } from '../content-schema'

const untranslated = (text: LocalizedText | undefined) => (text && text['zh-CN'] === text.en && /[A-Za-z]{2}/.test(text.en) ? 1 : 0)

export function countUntranslated(questionnaire: Questionnaire): number {
  let count = untranslated(questionnaire.title) + untranslated(questionnaire.description)
  for (const section of questionnaire.sections) {
    count += untranslated(section.title) + untranslated(section.description)
    for (const question of section.questions) {
      count += untranslated(question.text) + untranslated(question.help) + untranslated(question.evidence?.hint)
      for (const option of question.options ?? []) count += untranslated(option.label)
    }
  }
  return count
}
