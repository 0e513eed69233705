// A space between Latin words and Chinese characters, as Chinese typesetting does: the zh-CN texts
// already write "PDF 文件", but names interpolated into a sentence arrived glued to it
// ("Clausewise Demo Bank每年"). Pure; applied to every translated string (pages, e-mails, PDFs) by
// the i18next post-processor below, and to whole e-mails by the mail layout.
import type { PostProcessorModule } from 'i18next'

const LATIN_THEN_HAN = /([A-Za-z])(\p{Script=Han})/gu
const HAN_THEN_LATIN = /(\p{Script=Han})([A-Za-z])/gu

/** Digits are left alone so dates such as "2026年12月31日" keep their usual form. */
export function spaceMixedScript(text: string): string {
  return text.replace(LATIN_THEN_HAN, '$1 $2').replace(HAN_THEN_LATIN, '$1 $2')
}

export const mixedScriptSpacing: PostProcessorModule = {
  type: 'postProcessor',
  name: 'mixedScriptSpacing',
  process: (value: string) => (typeof value === 'string' ? spaceMixedScript(value) : value),
}
