// Scalar's browser bundle for /api/docs, from the installed package (no CDN).
import { scalarScriptResponse } from '~/modules/api/reference-page.server'

export const loader = () => scalarScriptResponse()
