// Free-text search over names and registration numbers. Pure.
//
// The embedded database has no text index and cannot use an index for a substring match, so each
// vendor keeps one denormalised, pre-folded `searchKey`; a search is then a single case-sensitive
// regular expression over one short string per document (see docs/tiering.md → "The vendor list with many vendors").

/** Folds what people type differently: full-width letters and brackets, case, runs of spaces. */
export function foldForSearch(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim()
}

export function vendorSearchKey(vendor: {
  legalName?: { 'zh-CN'?: string | null; en?: string | null } | null
  creditCode?: string | null
  foreignRegistration?: { number?: string | null } | null
}): string {
  return [vendor.legalName?.['zh-CN'], vendor.legalName?.en, vendor.creditCode, vendor.foreignRegistration?.number]
    .filter((part): part is string => Boolean(part))
    .map(foldForSearch)
    .join('\n')
}

/** Escapes every character a regular expression would treat specially. */
export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&')
}

/** The pattern for a search term typed by a user: a literal, folded substring on one line of the key. */
export function searchPattern(term: string): string | null {
  const folded = foldForSearch(term).replace(/\n/g, ' ')
  return folded ? escapeRegex(folded) : null
}
