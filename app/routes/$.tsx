import { ErrorPage } from '~/components/error-page'
import { notFound } from '~/modules/http'

// Unknown URLs get the friendly 404 page inside the normal layout.
export const loader = () => {
  throw notFound()
}

export default function NotFound() {
  return <ErrorPage status={404} />
}
