import { ErrorPage } from '~/components/error-page'

// Unknown URLs get the friendly 404 page inside the normal layout.
export const loader = () => {
  throw new Response('Not found', { status: 404 })
}

export default function NotFound() {
  return <ErrorPage status={404} />
}
