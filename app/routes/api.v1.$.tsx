// The REST API (/api/v1/*): one resource route in front of app/modules/api/handler.server.ts.
import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { handleApiRequest } from '~/modules/api/handler.server'

export const loader = ({ request }: LoaderFunctionArgs) => handleApiRequest(request)
export const action = ({ request }: ActionFunctionArgs) => handleApiRequest(request)
