import type { LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { Card } from '~/components/ui'
import type { Locale } from '~/i18n/locales'
import { requireUser } from '~/modules/auth/session.server'
import { formatCount, formatDateTime, formatDay, regionName, tierReasonText } from '~/modules/vendors/labels'
import type { VendorView } from '~/modules/vendors/types'
import { TierBadge } from '~/modules/vendors/ui/badges'
import { useLocale } from '~/root'
import { useVendorLayoutData } from './vendors.$vendorId'
import { criticalityLabel, riskLabel } from '~/i18n/glossary'
import { completedScoreHistory } from '~/modules/assessments/history.server'
import { ScoreHistoryChart } from '~/modules/vendors/ui/score-history-chart'

// The vendor's profile; the vendor itself is loaded once by the layout route.
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireUser(request, 'portal:read')
  // Score and residual risk of every completed assessment, for the chart.
  return { scoreHistory: await completedScoreHistory(String(params.vendorId)) }
}

function Facts({ children }: { children: ReactNode }) {
  return <dl className="grid grid-cols-1 gap-x-6 gap-y-3 text-sm sm:grid-cols-[minmax(9rem,auto)_1fr]">{children}</dl>
}

function Fact({ label, children }: { label: ReactNode; children: ReactNode }) {
  return (
    <>
      <dt className="font-medium text-slate-500">{label}</dt>
      <dd className="text-slate-800">{children}</dd>
    </>
  )
}

function TierCard({ vendor, locale, timeZone, canOverride }: { vendor: VendorView; locale: Locale; timeZone: string; canOverride: boolean }) {
  const { t } = useTranslation('vendors')
  const override = vendor.tier.override
  return (
    <Card
      title={t('sections.tier')}
      actions={
        canOverride ? (
          <Link to={`/vendors/${vendor.id}/tier`} className="text-sm text-sky-800 hover:underline">
            {t('actions.overrideTier')}
          </Link>
        ) : null
      }
    >
      <div data-testid="tier-card">
        <p className="flex flex-wrap items-center gap-2 text-sm text-slate-700">
          {t('labelColon', { label: t('tier.effective') })} <TierBadge tier={vendor.effectiveTier} overridden={override !== null} />
        </p>
        {override ? (
          <div className="mt-3 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900" data-testid="tier-override">
            <p className="font-medium">{t('tier.overrideBy', { tier: override.tier, name: override.byName, date: formatDateTime(override.at, timeZone) })}</p>
            <p className="mt-1 whitespace-pre-line">{override.justification}</p>
            <p className="mt-1 text-amber-800">{t('tier.overrideComputed', { tier: vendor.tier.computed })}</p>
          </div>
        ) : null}
        <h3 className="mt-4 text-sm font-semibold text-slate-700">{t('tier.reasons')}</h3>
        <ol className="mt-1 list-decimal space-y-1 pl-5 text-sm text-slate-700" data-testid="tier-reasons">
          {vendor.tier.reasons.map((reason, index) => (
            <li key={index}>{tierReasonText(t, reason, locale)}</li>
          ))}
        </ol>
        <p className="mt-3 text-xs text-slate-500">{t('tier.howComputed')}</p>
      </div>
    </Card>
  )
}

export default function VendorProfile() {
  const { t } = useTranslation('vendors')
  const { t: tc } = useTranslation()
  const { vendor, can, timeZone } = useVendorLayoutData()
  const locale = useLocale()
  const profile = vendor.dataProfile
  const yesNo = (value: boolean) => tc(value ? 'yes' : 'no')
  const none = <span className="text-slate-400">{tc('notSet')}</span>
  const list = (items: string[]) => (items.length ? items.join(locale === 'en' ? ', ' : '、') : none)
  const summary = vendor.assessmentSummary
  const { scoreHistory } = useLoaderData<typeof loader>()
  return (
    <div className="grid gap-6 lg:grid-cols-3" data-testid="vendor-profile">
      <div className="flex flex-col gap-6 lg:col-span-2">
        {scoreHistory.length > 0 ? (
          <Card title={t('scoreHistory.title')}>
            <ScoreHistoryChart points={scoreHistory} locale={locale} timeZone={timeZone} />
          </Card>
        ) : null}
        <Card title={t('sections.identity')}>
          <Facts>
            <Fact label={t('fields.legalNameZh')}>{vendor.legalName['zh-CN'] || none}</Fact>
            <Fact label={t('fields.legalNameEn')}>{vendor.legalName.en || none}</Fact>
            {vendor.creditCode ? (
              <Fact label={t('fields.creditCode')}>
                <span className="font-mono">{vendor.creditCode}</span>
              </Fact>
            ) : (
              <Fact label={t('detail.registration')}>
                {vendor.foreignRegistration
                  ? t('detail.foreign', { number: vendor.foreignRegistration.number, country: regionName(vendor.foreignRegistration.country, locale) })
                  : none}
              </Fact>
            )}
            <Fact label={t('fields.category')}>{t(`category.${vendor.category}`)}</Fact>
            <Fact label={t('fields.services')}>{vendor.services ? <span className="whitespace-pre-line">{vendor.services}</span> : none}</Fact>
            <Fact label={t('fields.businessOwner')}>{vendor.businessOwner ? `${vendor.businessOwner.name} <${vendor.businessOwner.email}>` : none}</Fact>
            <Fact label={t('fields.status')}>{t(`status.${vendor.status}`)}</Fact>
          </Facts>
        </Card>

        <Card title={t('sections.dataProfile')}>
          <Facts>
            <Fact label={t('fields.piCategories')}>{list(profile.piCategories.map((category) => t(`piCategory.${category}`)))}</Fact>
            <Fact label={t('fields.sensitivity')}>{t(`sensitivity.${profile.sensitivity}`)}</Fact>
            <Fact label={t('fields.recordCount')}>{formatCount(profile.recordCount, locale)}</Fact>
            <Fact label={t('fields.crossBorder')}>
              {yesNo(profile.crossBorder)}
              {profile.crossBorder ? <> — {list(profile.crossBorderDestinations.map((code) => regionName(code, locale)))}</> : null}
            </Fact>
            <Fact label={t('fields.subProcessors')}>
              {profile.usesSubProcessors && profile.subProcessors.length ? (
                <ul className="space-y-0.5">
                  {profile.subProcessors.map((sub, index) => (
                    <li key={index}>
                      {sub.name} <span className="text-slate-500">({regionName(sub.country, locale)}{sub.service ? ` · ${sub.service}` : ''})</span>
                    </li>
                  ))}
                </ul>
              ) : (
                yesNo(false)
              )}
            </Fact>
            <Fact label={t('fields.transferMethods')}>{list(profile.transferMethods.map((method) => t(`transferMethod.${method}`)))}</Fact>
            <Fact label={t('fields.legalBasis')}>{profile.legalBasis ? t(`legalBasis.${profile.legalBasis}`) : none}</Fact>
            <Fact label={t('fields.consentOnRecord')}>{yesNo(profile.consentOnRecord)}</Fact>
            <Fact label={t('fields.serviceCriticality')}>{criticalityLabel(t, profile.serviceCriticality)}</Fact>
          </Facts>
        </Card>

        <Card title={t('sections.contacts')}>
          {vendor.contacts.length === 0 ? (
            <p className="text-sm text-slate-500">{t('fields.noContacts')}</p>
          ) : (
            <ul className="divide-y divide-slate-100" data-testid="vendor-contacts">
              {vendor.contacts.map((contact) => (
                <li key={contact.id} className="flex flex-wrap justify-between gap-2 py-2 text-sm">
                  <span>
                    <span className="font-medium text-slate-800">{contact.name}</span>
                    {contact.title ? <span className="text-slate-500"> · {contact.title}</span> : null}
                  </span>
                  <span className="flex flex-wrap gap-3 text-slate-600">
                    <a href={`mailto:${contact.email}`} className="text-sky-800 hover:underline">
                      {contact.email}
                    </a>
                    {contact.phone ? <span>{contact.phone}</span> : null}
                    <span className="text-slate-400">{tc(`language.${contact.locale}`)}</span>
                  </span>
                </li>
              ))}
            </ul>
          )}
        </Card>
      </div>

      <div className="flex flex-col gap-6">
        <TierCard vendor={vendor} locale={locale} timeZone={timeZone} canOverride={can.overrideTier} />
        <Card title={t('sections.assessment')}>
          <Facts>
            {summary ? (
              <>
                <Fact label={t('detail.lastAssessed')}>{formatDay(summary.lastAssessedAt, timeZone)}</Fact>
                <Fact label={t('detail.controlScore')}>{summary.controlScore ?? '—'}</Fact>
                <Fact label={t('detail.residualRisk')}>{summary.residualRisk ? riskLabel(t, summary.residualRisk) : '—'}</Fact>
              </>
            ) : (
              <Fact label={t('detail.lastAssessed')}>{t('detail.notAssessed')}</Fact>
            )}
            <Fact label={t('detail.nextDue')}>{formatDay(vendor.reassessment.nextDueAt, timeZone) ?? t('detail.notScheduled')}</Fact>
          </Facts>
        </Card>
        <p className="text-xs text-slate-500">
          {t('labelColon', { label: t('fields.createdAt') })} {formatDateTime(vendor.createdAt, timeZone)} · {t('labelColon', { label: t('fields.updatedAt') })}{' '}
          {formatDateTime(vendor.updatedAt, timeZone)}
        </p>
      </div>
    </div>
  )
}
