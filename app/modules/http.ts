/** Throws an HTTP error response (shown by the error boundary) when a condition does not hold. */
export function invariantResponse(condition: unknown, message: string, init: { status: number } = { status: 400 }): asserts condition {
  if (!condition) throw new Response(message, { status: init.status, statusText: message })
}

export const notFound = (what = 'Not found') => new Response(what, { status: 404, statusText: what })
