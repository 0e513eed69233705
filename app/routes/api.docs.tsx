// The API reference (/api/docs): public, like the OpenAPI document it renders — the API's shape,
// no data (docs/decisions/037-api-reference-page.md).
import type { LoaderFunctionArgs } from '@remix-run/node'
import { getLocale } from '~/i18n/i18n.server'
import { referencePageResponse } from '~/modules/api/reference-page.server'

export const loader = async ({ request }: LoaderFunctionArgs) => referencePageResponse(await getLocale(request))
