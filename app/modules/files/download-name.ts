// File names that came from a browser: kept readable (";", "=", Chinese are fine), stripped of
// paths, control and direction characters, and given the extension of what the file really is
// (its sniffed type), so "statement.html" that is a PDF is stored and served as "statement.pdf".
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff\ufffd"<>|:*?]/g
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g
/** Names a type may legitimately carry besides its canonical extension. */
const ALIASES: Record<string, string[]> = { jpg: ['jpeg', 'jpe'], docx: [], xlsx: [], pdf: [], csv: ['txt'] }

export function storedFileName(name: string, extension: string, fallbackBase = 'file'): string {
  const base = (name.split(/[\\/]/).pop() ?? '').replace(LONE_SURROGATE, '').replace(UNSAFE, '').trim()
  const dot = base.lastIndexOf('.')
  const current = dot > 0 ? base.slice(dot + 1).toLowerCase() : ''
  const keeps = current === extension || (ALIASES[extension] ?? []).includes(current)
  const stem = (dot > 0 ? base.slice(0, dot) : base).replace(/[.\s]+$/, '') || fallbackBase
  const suffix = keeps ? base.slice(dot) : `.${extension}`
  // Cut by code points so a Chinese name is not split inside a character.
  return Array.from(stem).slice(0, 150).join('') + suffix
}
