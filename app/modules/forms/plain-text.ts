// What counts as text a person typed. Pure, no imports: validation.ts and fields.ts both use it.
// C0 and C1 controls (tab and line breaks only where lines are allowed), DEL, noncharacters.
const CONTROL_SINGLE_LINE = /[\u0000-\u001f\u007f-\u009f\ufffe\uffff]/
const CONTROL_MULTILINE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffe\uffff]/
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/
// What does not show: spaces of every kind, zero-width and direction marks, the replacement character.
// eslint-disable-next-line no-misleading-character-class -- lone combining and format characters are what this strips
const INVISIBLE = /[\s\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufffd]/gu

/** Text a person could have typed: no control characters, no broken UTF-16, something visible. */
export function isPlainText(value: string, { multiline = false }: { multiline?: boolean } = {}): boolean {
  if (value === '') return true
  if ((multiline ? CONTROL_MULTILINE : CONTROL_SINGLE_LINE).test(value) || LONE_SURROGATE.test(value)) return false
  return value.replace(INVISIBLE, '') !== ''
}
