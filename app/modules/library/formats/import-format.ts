// The formats the drafts page imports, shared by its form and the server. Pure.
export const IMPORT_FORMATS = ['auto', 'workbook', 'vsaq', 'caiq'] as const
export type ImportFormat = (typeof IMPORT_FORMATS)[number]

export function importFormatOf(value: unknown): ImportFormat {
  return (IMPORT_FORMATS as readonly unknown[]).includes(value) ? (value as ImportFormat) : 'auto'
}
