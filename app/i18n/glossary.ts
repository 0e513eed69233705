// The labels of the domain's vocabularies, from the one glossary (locales/*/glossary.json) that
// pages, e-mails and PDFs share. Pure; takes any i18next t. See docs/decisions/017-one-glossary.md.
type Translate = (key: string, options?: Record<string, unknown>) => string

/** "1 级 · 极高" / "Tier 1 · Very high". */
export const tierLabel = (t: Translate, tier: number | string) => t('glossary:tier.badge', { tier, name: t(`glossary:tier.name.${tier}`) })
/** "1 级" / "Tier 1". */
export const tierShort = (t: Translate, tier: number | string) => t('glossary:tier.short', { tier })
export const riskLabel = (t: Translate, risk: string) => t(`glossary:risk.${risk}`)
export const severityLabel = (t: Translate, severity: string) => t(`glossary:severity.${severity}`)
export const criticalityLabel = (t: Translate, criticality: string) => t(`glossary:criticality.${criticality}`)
