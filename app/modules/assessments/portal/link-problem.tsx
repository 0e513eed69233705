import { useTranslation } from 'react-i18next'
import type { TFunction } from 'i18next'

const KINDS = ['invalid', 'revoked', 'superseded', 'expired', 'withdrawn']

/**
 * Why a vendor link does not open, and what to do about it; never a technical error. Shown in the
 * reader's language with the other language below, since the link may be opened by anyone at the vendor.
 */
export function LinkProblemPage({ problem, institution }: { problem: string; institution?: string }) {
  const { t, i18n } = useTranslation('vendorPortal')
  const kind = KINDS.includes(problem) ? problem : 'error'
  const other = i18n.language === 'en' ? 'zh-CN' : 'en'
  const otherT = i18n.getFixedT(other, 'vendorPortal')
  return (
    <div className="mx-auto max-w-xl rounded-xl border border-slate-200 bg-white p-6 shadow-sm sm:p-8" data-testid="link-problem" data-problem={kind}>
      <Explanation t={t} kind={kind} institution={institution} />
      <div lang={other} className="mt-8 border-t border-slate-200 pt-6 opacity-80">
        <Explanation t={otherT} kind={kind} institution={institution} small />
      </div>
    </div>
  )
}

function Explanation({ t, kind, institution, small }: { t: TFunction; kind: string; institution?: string; small?: boolean }) {
  const name = institution ?? t('linkProblem.theInstitution')
  return (
    <div>
      <h1 className={small ? 'text-base font-semibold text-slate-800' : 'text-xl font-semibold text-slate-900'}>{t(`linkProblem.${kind}.title`)}</h1>
      <p className={`mt-2 ${small ? 'text-sm' : ''} text-slate-700`}>{t(`linkProblem.${kind}.body`, { institution: name })}</p>
      <div className={`mt-4 rounded-md bg-slate-50 p-4 text-sm text-slate-700`}>
        <p className="font-medium text-slate-900">{t('linkProblem.whatNow')}</p>
        <p className="mt-1">{t('linkProblem.contact', { institution: name })}</p>
      </div>
    </div>
  )
}
