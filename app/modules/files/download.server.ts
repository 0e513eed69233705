import contentDisposition from 'content-disposition'

/**
 * Headers for a file download: always an attachment, the Content-Disposition built by the
 * `content-disposition` package (RFC 6266 quoting with an RFC 5987 UTF-8 `filename*`), never
 * sniffed by the browser, never cached by a shared cache.
 */
export function downloadHeaders(
  filename: string,
  contentType: string,
  extra: Record<string, string> = {},
  { asciiName }: { asciiName?: string } = {},
): Record<string, string> {
  return {
    'Content-Type': contentType,
    // asciiName: what old browsers show instead of "??" when the name is not Latin-1.
    'Content-Disposition': contentDisposition(filename, { type: 'attachment', fallback: asciiName ?? true }),
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'private, no-store',
    ...extra,
  }
}
