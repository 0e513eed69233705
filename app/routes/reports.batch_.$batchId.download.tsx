import type { LoaderFunctionArgs } from '@remix-run/node'
import { requireUser } from '~/modules/auth/session.server'
import { openBatchZip } from '~/modules/reports/batch.server'
import { notFound } from '~/modules/http'

// The finished ZIP of a batch download (resource route), for the user who asked for it.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, 'report:download')
  const zip = await openBatchZip(String(params.batchId), user.id)
  if (!zip) throw notFound()
  return new Response(zip.body, {
    headers: {
      'Content-Type': 'application/zip',
      'Content-Length': String(zip.size),
      'Content-Disposition': `attachment; filename="${zip.filename}"`,
      'Cache-Control': 'private, no-store',
    },
  })
}
