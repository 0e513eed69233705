// A closed section of the review page (a clause's trace and forms, an answer's decision form) has
// no body until it is opened: the browser renders it then, from the page's data. Without
// JavaScript there is nothing to render it, so the closed section holds this link instead, and the
// server sends the page with that section open (?open=<its id>); its forms post as usual.
import { useSearchParams } from '@remix-run/react'
import { useCallback } from 'react'

/** The link to the page with one section open: the current query, with ?open=<id>, at the section. */
export function useOpenHref() {
  const [searchParams] = useSearchParams()
  const opened = searchParams.get('open')
  const href = useCallback(
    (id: string) => {
      const params = new URLSearchParams(searchParams)
      params.set('open', id)
      return `?${params.toString()}#${id}`
    },
    [searchParams],
  )
  return { opened, href }
}

export function OpenWithoutScript({ href, label }: { href: string; label: string }) {
  return (
    <noscript>
      <a href={href} className="mt-2 inline-block text-sm text-sky-800 underline">
        {label}
      </a>
    </noscript>
  )
}
