// What a vendor may attach as evidence. Pure: the browser shows the same limits it is held to.
// The type is decided by the file's content (magic bytes), never by its name or the browser's label.
export const EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
/** At most this many files per answer. */
export const EVIDENCE_MAX_FILES = 10

export const EVIDENCE_TYPES: Record<string, string> = {
  'application/pdf': 'pdf',
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'pptx',
  'application/vnd.oasis.opendocument.text': 'odt',
  'application/vnd.oasis.opendocument.spreadsheet': 'ods',
  'application/vnd.oasis.opendocument.presentation': 'odp',
}

/** For the file picker's accept attribute (a hint only; the server checks the content). */
export const EVIDENCE_ACCEPT = '.pdf,.png,.jpg,.jpeg,.gif,.webp,.docx,.xlsx,.pptx,.odt,.ods,.odp'
