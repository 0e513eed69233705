import type { ReactNode } from 'react'
import { LanguageSwitch } from '~/components/app-shell'
import { useLocale } from '~/root'

/**
 * The page around a token link opened without an account (incident report /i/…, offboarding
 * attestation /o/…): the institution's name, the language switch, the content. `mark` adds the
 * square "C" logo before the name.
 */
export function LinkPageFrame({ institution, mark = false, children }: { institution?: string; mark?: boolean; children: ReactNode }) {
  const locale = useLocale()
  const name = <p className="truncate text-sm font-semibold text-slate-900">{institution ?? 'Clausewise'}</p>
  return (
    <div className="min-h-screen bg-slate-50">
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-4xl items-center justify-between gap-3 px-4 py-3">
          {mark ? (
            <div className="flex min-w-0 items-center gap-3">
              <span aria-hidden="true" className="inline-block h-8 w-8 shrink-0 rounded-md bg-sky-700 text-center text-base font-bold leading-8 text-white">
                C
              </span>
              {name}
            </div>
          ) : (
            name
          )}
          <LanguageSwitch locale={locale} />
        </div>
      </header>
      <main id="main" className="mx-auto max-w-4xl px-4 py-6 sm:py-8">
        {children}
      </main>
    </div>
  )
}
