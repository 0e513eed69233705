// The dashboard's figures as URL segments: /schedule/<bucket>[?month=…|?tier=…&risk=…]. Pure:
// shared by the dashboard (to build links) and the list page (to parse them).
import { RESIDUAL_RISKS } from '~/modules/vendors/vocabulary'
import { z } from '~/modules/forms/validation'

export const BUCKET_SLUGS = ['overdue', 'due-30', 'due-60', 'due-90', 'in-progress', 'awaiting-review', 'uncovered', 'month', 'risk', 'contracts', 'not-issued'] as const
export type BucketSlug = (typeof BUCKET_SLUGS)[number]

export type Bucket =
  | { kind: 'overdue' | 'due30' | 'due60' | 'due90' | 'inProgress' | 'awaitingReview' | 'uncovered' | 'contracts' | 'notIssued' }
  | { kind: 'month'; month: string }
  | { kind: 'risk'; tier: number; risk: (typeof RESIDUAL_RISKS)[number] | 'unassessed' }

const SIMPLE: Record<string, Bucket['kind']> = {
  overdue: 'overdue',
  'due-30': 'due30',
  'due-60': 'due60',
  'due-90': 'due90',
  'in-progress': 'inProgress',
  'awaiting-review': 'awaitingReview',
  uncovered: 'uncovered',
  contracts: 'contracts',
  'not-issued': 'notIssued',
}

const monthParam = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/)
const riskParams = z.object({
  tier: z.coerce.number().int().min(1).max(4),
  risk: z.enum([...RESIDUAL_RISKS, 'unassessed']),
})

/** The bucket named by a URL, or null when the slug or its parameters are not valid. */
export function parseBucket(slug: string | undefined, search: URLSearchParams): Bucket | null {
  if (!slug) return null
  const simple = SIMPLE[slug]
  if (simple) return { kind: simple } as Bucket
  if (slug === 'month') {
    const month = monthParam.safeParse(search.get('month'))
    return month.success ? { kind: 'month', month: month.data } : null
  }
  if (slug === 'risk') {
    const params = riskParams.safeParse({ tier: search.get('tier'), risk: search.get('risk') })
    return params.success ? { kind: 'risk', ...params.data } : null
  }
  return null
}

export function bucketHref(bucket: Bucket): string {
  switch (bucket.kind) {
    case 'month':
      return `/schedule/month?month=${bucket.month}`
    case 'risk':
      return `/schedule/risk?tier=${bucket.tier}&risk=${bucket.risk}`
    default: {
      const slug = Object.entries(SIMPLE).find(([, kind]) => kind === bucket.kind)![0]
      return `/schedule/${slug}`
    }
  }
}
