import { Link } from '@remix-run/react'
import { useTranslation } from 'react-i18next'

/** The calm page shown for 401/403/404/500 and anything unexpected; never a stack trace. */
/** `messageKey` (common namespace) replaces the generic body, e.g. to say which record is missing. */
export function ErrorPage({ status, messageKey }: { status: number; messageKey?: string }) {
  const { t } = useTranslation()
  const kind = status === 401 || status === 403 || status === 404 ? String(status) : status >= 400 && status < 500 ? '400' : '500'
  return (
    <div className="mx-auto max-w-xl px-4 py-24 text-center" data-testid="error-page" data-status={status}>
      <p className="text-sm font-semibold text-sky-700">{status}</p>
      <h1 className="mt-2 text-2xl font-semibold text-slate-900">{t(`errorPage.${kind}.title`)}</h1>
      <p className="mt-3 text-slate-600">{t(messageKey ?? `errorPage.${kind}.body`)}</p>
      <div className="mt-8 flex justify-center gap-3">
        <Link to="/" className="rounded-md bg-sky-700 px-4 py-2 text-sm font-semibold text-white hover:bg-sky-800">
          {t('errorPage.home')}
        </Link>
        {status === 401 ? (
          <Link to="/login" className="rounded-md px-4 py-2 text-sm font-semibold text-slate-700 ring-1 ring-slate-300">
            {t('errorPage.signIn')}
          </Link>
        ) : null}
      </div>
    </div>
  )
}
