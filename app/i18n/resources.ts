// Every translation namespace, bundled for both server and browser (they are small).
// A domain adds its texts to its own namespace file in locales/en and locales/zh-CN.
import en_common from './locales/en/common.json'
import zh_common from './locales/zh-CN/common.json'
import en_auth from './locales/en/auth.json'
import zh_auth from './locales/zh-CN/auth.json'
import en_errors from './locales/en/errors.json'
import zh_errors from './locales/zh-CN/errors.json'
import en_vendors from './locales/en/vendors.json'
import zh_vendors from './locales/zh-CN/vendors.json'
import en_library from './locales/en/library.json'
import zh_library from './locales/zh-CN/library.json'
import en_contracts from './locales/en/contracts.json'
import zh_contracts from './locales/zh-CN/contracts.json'
import en_assessments from './locales/en/assessments.json'
import zh_assessments from './locales/zh-CN/assessments.json'
import en_vendorPortal from './locales/en/vendorPortal.json'
import zh_vendorPortal from './locales/zh-CN/vendorPortal.json'
import en_review from './locales/en/review.json'
import zh_review from './locales/zh-CN/review.json'
import en_findings from './locales/en/findings.json'
import zh_findings from './locales/zh-CN/findings.json'
import en_schedule from './locales/en/schedule.json'
import zh_schedule from './locales/zh-CN/schedule.json'
import en_reports from './locales/en/reports.json'
import zh_reports from './locales/zh-CN/reports.json'
import en_admin from './locales/en/admin.json'
import zh_admin from './locales/zh-CN/admin.json'
import en_mail from './locales/en/mail.json'
import zh_mail from './locales/zh-CN/mail.json'
// One word for one thing: the domain terms every page, e-mail and PDF uses (docs/decisions/017).
import en_glossary from './locales/en/glossary.json'
import zh_glossary from './locales/zh-CN/glossary.json'
import en_incidents from './locales/en/incidents.json'
import zh_incidents from './locales/zh-CN/incidents.json'
import en_offboarding from './locales/en/offboarding.json'
import zh_offboarding from './locales/zh-CN/offboarding.json'
import en_documents from './locales/en/documents.json'
import zh_documents from './locales/zh-CN/documents.json'
import en_spreadsheets from './locales/en/spreadsheets.json'
import zh_spreadsheets from './locales/zh-CN/spreadsheets.json'
import en_offline from './locales/en/offline.json'
import en_api from './locales/en/api.json'
import zh_api from './locales/zh-CN/api.json'
import zh_offline from './locales/zh-CN/offline.json'
import en_webhooks from './locales/en/webhooks.json'
import zh_webhooks from './locales/zh-CN/webhooks.json'
import en_libraryImport from './locales/en/libraryImport.json'
import zh_libraryImport from './locales/zh-CN/libraryImport.json'

// One entry per line, so that namespaces added side by side merge cleanly.
export const resources = {
  en: {
    common: en_common,
    auth: en_auth,
    errors: en_errors,
    vendors: en_vendors,
    library: en_library,
    contracts: en_contracts,
    assessments: en_assessments,
    vendorPortal: en_vendorPortal,
    review: en_review,
    findings: en_findings,
    schedule: en_schedule,
    reports: en_reports,
    admin: en_admin,
    mail: en_mail,
    glossary: en_glossary,
    incidents: en_incidents,
    offboarding: en_offboarding,
    documents: en_documents,
    spreadsheets: en_spreadsheets,
    offline: en_offline,
    api: en_api,
    webhooks: en_webhooks,
    libraryImport: en_libraryImport,
  },
  'zh-CN': {
    common: zh_common,
    auth: zh_auth,
    errors: zh_errors,
    vendors: zh_vendors,
    library: zh_library,
    contracts: zh_contracts,
    assessments: zh_assessments,
    vendorPortal: zh_vendorPortal,
    review: zh_review,
    findings: zh_findings,
    schedule: zh_schedule,
    reports: zh_reports,
    admin: zh_admin,
    mail: zh_mail,
    glossary: zh_glossary,
    incidents: zh_incidents,
    offboarding: zh_offboarding,
    documents: zh_documents,
    spreadsheets: zh_spreadsheets,
    offline: zh_offline,
    api: zh_api,
    webhooks: zh_webhooks,
    libraryImport: zh_libraryImport,
  },
} as const

export type Namespace = keyof (typeof resources)['en']
export const NAMESPACES = Object.keys(resources.en) as Namespace[]
