import type { LoaderFunctionArgs } from '@remix-run/node'
import { requireUser } from '~/modules/auth/session.server'
import { getContract } from '~/modules/contracts/contracts.server'
import { readSignedCopy } from '~/modules/contracts/signed-copy.server'
import { notFound } from '~/modules/http'

// The signed copy, as stored: always served as a PDF download, never rendered inline as HTML.
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireUser(request, 'portal:read')
  const contract = await getContract(String(params.vendorId), String(params.contractId))
  if (!contract?.signedCopy) throw notFound('No signed copy')
  const bytes = await readSignedCopy(contract.signedCopy.fileId)
  if (!bytes) throw notFound('No signed copy')
  const asciiName = contract.signedCopy.filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_')
  return new Response(new Uint8Array(bytes), {
    headers: {
      'Content-Type': 'application/pdf',
      'Content-Length': String(bytes.length),
      'Content-Disposition': `attachment; filename="${asciiName}"; filename*=UTF-8''${encodeURIComponent(contract.signedCopy.filename)}`,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'private, no-store',
    },
  })
}
