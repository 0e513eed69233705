import { isRouteErrorResponse, useRouteError, type ErrorResponse } from '@remix-run/react'
import type { ReactNode } from 'react'
import { ErrorPage } from '~/components/error-page'

export type StatusHandler = (info: { error: ErrorResponse }) => ReactNode

/**
 * A route's error boundary: thrown responses go to the handler for their status (or the default),
 * anything else to `unexpectedErrorHandler`. Rendered where the route sits, so the parents' frame
 * (staff shell, vendor header, tabs) stays. Never shows a message or stack from the error itself.
 */
export function GeneralErrorBoundary({
  statusHandlers,
  defaultStatusHandler = ({ error }) => <ErrorPage status={error.status} />,
  unexpectedErrorHandler = () => <ErrorPage status={500} />,
}: {
  statusHandlers?: Partial<Record<number, StatusHandler>>
  defaultStatusHandler?: StatusHandler
  unexpectedErrorHandler?: (error: unknown) => ReactNode
}) {
  const error = useRouteError()
  if (isRouteErrorResponse(error)) return <>{(statusHandlers?.[error.status] ?? defaultStatusHandler)({ error })}</>
  // The server logs it already (entry.server handleError); in the browser it is the only trace.
  if (typeof document !== 'undefined') console.error(error)
  return <>{unexpectedErrorHandler(error)}</>
}

/** A 404 handler that says which record is missing (an `errorPage.notFound.*` key of common). */
export function notFoundHandler(messageKey: string): StatusHandler {
  return function NotFound() {
    return <ErrorPage status={404} messageKey={messageKey} />
  }
}
