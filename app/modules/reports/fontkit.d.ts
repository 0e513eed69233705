// The little of fontkit (pdfkit's font engine) the report renderer uses: parse a font once and
// hand the parsed object to pdfkit, which accepts anything with a `layout` method.
declare module 'fontkit' {
  export interface Font {
    postscriptName: string
    unitsPerEm: number
    layout(text: string, features?: unknown): unknown
  }
  export function create(buffer: Uint8Array, postscriptName?: string): Font
}
