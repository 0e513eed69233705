import type { ActionFunctionArgs } from '@remix-run/node'
import { redirect } from '@remix-run/node'
import { signOut } from '~/modules/auth/session.server'

export const loader = () => redirect('/')
export const action = ({ request }: ActionFunctionArgs) => signOut(request)
