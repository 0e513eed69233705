import type { LoaderFunctionArgs } from '@remix-run/node'
import { requireUser } from '~/modules/auth/session.server'
import { exportClauseLibraryWorkbook } from '~/modules/library/formats/workbook-export.server'
import { workbookResponse } from '~/modules/library/formats/workbook-response.server'
import { getClauseLibrary, listContractTemplates } from '~/modules/library/library.server'

// The clause library and the contract templates as a workbook (resource route).
export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request, 'library:read')
  const clauseLibrary = getClauseLibrary()
  const bytes = await exportClauseLibraryWorkbook(clauseLibrary, listContractTemplates())
  return workbookResponse(bytes, `clause-library-v${clauseLibrary.version}.xlsx`)
}
