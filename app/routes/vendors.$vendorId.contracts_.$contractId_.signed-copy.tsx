import type { LoaderFunctionArgs } from '@remix-run/node'
import { requireUser } from '~/modules/auth/session.server'
import { getContract } from '~/modules/contracts/contracts.server'
import { readSignedCopy } from '~/modules/contracts/signed-copy.server'
import { storedFileName } from '~/modules/files/download-name'
import { downloadHeaders } from '~/modules/files/download.server'
import { notFound } from '~/modules/http'

// The signed copy, as stored: always served as a PDF download, never rendered inline as HTML.
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireUser(request, 'portal:read')
  const contract = await getContract(String(params.vendorId), String(params.contractId))
  if (!contract?.signedCopy) throw notFound('No signed copy')
  const bytes = await readSignedCopy(contract.signedCopy.fileId)
  if (!bytes) throw notFound('No signed copy')
  const filename = storedFileName(contract.signedCopy.filename, 'pdf', 'signed-copy')
  return new Response(new Uint8Array(bytes), {
    headers: downloadHeaders(filename, 'application/pdf', { 'Content-Length': String(bytes.length) }),
  })
}
