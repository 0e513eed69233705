// One Intl.DateTimeFormat per (language, options), reused: building one costs far more than
// formatting with it, and a page formats a date per row (review answers, dashboard timeline).
// Pure; runs in the browser and on the server.
const formats = new Map<string, Intl.DateTimeFormat>()

export function dateTimeFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`
  let format = formats.get(key)
  if (!format) {
    format = new Intl.DateTimeFormat(locale, options)
    if (formats.size > 200) formats.clear() // a handful of languages × zones × styles in practice
    formats.set(key, format)
  }
  return format
}
