// A workbook download: attachment, never cached (the content is the bank's own).
export function workbookResponse(bytes: Buffer, filename: string): Response {
  const ascii = filename.replace(/[^A-Za-z0-9._-]/g, '_')
  return new Response(new Uint8Array(bytes), {
    headers: {
      'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'Content-Disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`,
      'Content-Length': String(bytes.length),
      'Cache-Control': 'private, no-store',
      'X-Content-Type-Options': 'nosniff',
    },
  })
}
