import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData, useNavigation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { inputClass } from '~/components/forms'
import { DataTable, type Column } from '~/components/list-page/data-table'
import { FilterBar, optionsOf } from '~/components/list-page/filter-bar'
import { buttonClass, ButtonLink, Card, EmptyState, PageHeader } from '~/components/ui'
import { getEnv } from '~/env.server'
import { getLocale } from '~/i18n/i18n.server'
import type { Locale } from '~/i18n/locales'
import { can } from '~/modules/auth/roles'
import { requireUser } from '~/modules/auth/session.server'
import { formatCount, formatDay, regionName } from '~/modules/vendors/labels'
import { PAGE_SIZES, parseVendorListQuery, sortDirection, VENDOR_SORTS, vendorListSearch, type VendorListQuery, type VendorSort } from '~/modules/vendors/schemas'
import type { VendorListRow } from '~/modules/vendors/types'
import { StatusBadgeView, TierBadgeView } from '~/modules/vendors/ui/badges'
import { listVendors } from '~/modules/vendors/vendors.server'
import { useLocale } from '~/root'
import { TIERS, VENDOR_CATEGORIES, VENDOR_STATUSES, type Tier, type VendorCategory, type VendorStatus } from '~/modules/vendors/vocabulary'
import { tierLabel } from '~/i18n/glossary'

export const meta: MetaFunction = () => [{ title: 'Clausewise · Vendors / 合作机构' }]

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request, 'portal:read')
  const query = parseVendorListQuery(new URL(request.url).searchParams)
  const locale = await getLocale(request)
  const { rows, ...paging } = await listVendors(query, { locale })
  // Only what the table shows goes into the page's data (and its serialised copy for the browser).
  const page = { ...paging, rows: rows.map(({ updatedAt: _updatedAt, ...row }) => row) }
  return { query, page, canWrite: can(user.role, 'vendor:write'), timeZone: getEnv().INSTITUTION_TIMEZONE }
}

/** The order a column's header announces, when the list is sorted by it. */
function sortState(column: VendorSort, query: VendorListQuery): 'ascending' | 'descending' | undefined {
  if (query.sort !== column) return undefined
  return sortDirection(query) === 'asc' ? 'ascending' : 'descending'
}

function SortLink({ column, query, children }: { column: VendorSort; query: VendorListQuery; children: string }) {
  const { t } = useTranslation('vendors')
  const active = query.sort === column
  const direction = sortDirection(query)
  // Clicking the active column flips its direction; another column starts in its natural direction.
  const next = active ? { sort: column, dir: direction === 'asc' ? ('desc' as const) : ('asc' as const) } : { sort: column, dir: undefined }
  return (
    <Link to={vendorListSearch({ ...query, ...next, page: 1 })} className="inline-flex items-center gap-1 hover:text-slate-900" aria-label={t('list.sortBy', { column: children })}>
      {children}
      <span aria-hidden="true" className={active ? 'text-slate-700' : 'text-slate-300'}>
        {active && direction === 'desc' ? '▼' : '▲'}
      </span>
    </Link>
  )
}

type ListRow = Omit<VendorListRow, 'updatedAt'>

/** Every label a row shows, translated once per page rather than once per row. */
type RowLabels = {
  tier: Record<Tier, string>
  status: Record<VendorStatus, string>
  category: Record<VendorCategory, string>
  overridden: string
  noPersonalData: string
  crossBorder: string
  records: (records: string) => string
}

const RECORDS_SLOT = '\u0000'

function useRowLabels(): RowLabels {
  const { t } = useTranslation('vendors')
  const [recordsBefore = '', recordsAfter = ''] = t('list.records', { records: RECORDS_SLOT }).split(RECORDS_SLOT)
  return {
    tier: Object.fromEntries(TIERS.map((tier) => [tier, tierLabel(t, tier)])) as Record<Tier, string>,
    status: Object.fromEntries(VENDOR_STATUSES.map((status) => [status, t(`status.${status}`)])) as Record<VendorStatus, string>,
    category: Object.fromEntries(VENDOR_CATEGORIES.map((category) => [category, t(`category.${category}`)])) as Record<VendorCategory, string>,
    overridden: t('list.overridden'),
    noPersonalData: t('list.noPersonalData'),
    crossBorder: t('list.crossBorder'),
    records: (records) => recordsBefore + records + recordsAfter,
  }
}

function primaryName(vendor: ListRow, locale: Locale) {
  return locale === 'en' ? vendor.legalName.en || vendor.legalName['zh-CN'] : vendor.legalName['zh-CN'] || vendor.legalName.en
}

function vendorColumns({ query, locale, timeZone, labels, t }: { query: VendorListQuery; locale: Locale; timeZone: string; labels: RowLabels; t: (key: string) => string }): Column<ListRow>[] {
  const header = 'px-3 py-2 font-medium'
  return [
    {
      key: 'name',
      header: (
        <SortLink column="name" query={query}>
          {t('list.columns.name')}
        </SortLink>
      ),
      headerClassName: header,
      sort: sortState('name', query),
      className: 'px-3 py-3',
      cell: (vendor) => {
        const primary = primaryName(vendor, locale)
        const secondary = locale === 'en' ? vendor.legalName['zh-CN'] : vendor.legalName.en
        return (
          <>
            <Link to={`/vendors/${vendor.id}`} className="font-medium text-sky-800 hover:underline">
              {primary}
            </Link>
            {secondary && secondary !== primary ? <div className="text-xs text-slate-500">{secondary}</div> : null}
            <div className="mt-1 font-mono text-xs text-slate-500 md:hidden">{vendor.registration}</div>
          </>
        )
      },
    },
    {
      key: 'registration',
      header: t('list.columns.registration'),
      headerClassName: `hidden ${header} md:table-cell`,
      className: 'hidden px-3 py-3 md:table-cell',
      cell: (vendor) => (
        <>
          <span className="font-mono text-xs text-slate-700">{vendor.registration}</span>
          {vendor.country ? <div className="text-xs text-slate-500">{regionName(vendor.country, locale)}</div> : null}
        </>
      ),
    },
    {
      key: 'category',
      header: t('list.columns.category'),
      headerClassName: `hidden ${header} sm:table-cell`,
      className: 'hidden px-3 py-3 text-slate-700 sm:table-cell',
      cell: (vendor) => labels.category[vendor.category],
    },
    {
      key: 'tier',
      header: (
        <SortLink column="tier" query={query}>
          {t('list.columns.tier')}
        </SortLink>
      ),
      headerClassName: header,
      sort: sortState('tier', query),
      className: 'px-3 py-3',
      cell: (vendor) => <TierBadgeView tier={vendor.effectiveTier} label={labels.tier[vendor.effectiveTier]} overriddenLabel={vendor.overridden ? labels.overridden : null} />,
    },
    {
      key: 'status',
      header: t('list.columns.status'),
      headerClassName: `hidden ${header} sm:table-cell`,
      className: 'hidden px-3 py-3 sm:table-cell',
      cell: (vendor) => <StatusBadgeView status={vendor.status} label={labels.status[vendor.status]} />,
    },
    {
      key: 'data',
      header: t('list.columns.data'),
      headerClassName: `hidden ${header} lg:table-cell`,
      className: 'hidden px-3 py-3 text-xs text-slate-600 lg:table-cell',
      cell: (vendor) => (
        <>
          {vendor.recordCount > 0 ? (
            <>
              <span className="font-medium text-slate-700">{vendor.sensitivity}</span> · {labels.records(formatCount(vendor.recordCount, locale))}
            </>
          ) : (
            <span className="text-slate-400">{labels.noPersonalData}</span>
          )}
          {vendor.crossBorder ? <span className="ml-1 rounded bg-amber-50 px-1 text-amber-800">{labels.crossBorder}</span> : null}
        </>
      ),
    },
    {
      key: 'nextDue',
      header: t('list.columns.nextDue'),
      headerClassName: `hidden ${header} lg:table-cell`,
      className: 'hidden px-3 py-3 text-slate-600 lg:table-cell',
      cell: (vendor) => formatDay(vendor.nextDueAt, timeZone) ?? '—',
    },
  ]
}

function Filters({ query }: { query: VendorListQuery }) {
  const { t } = useTranslation('vendors')
  const select = 'flex flex-col gap-1 text-sm font-medium text-slate-700'
  return (
    <FilterBar
      testId="vendor-filters"
      className="mb-4 flex flex-col gap-3 lg:flex-row lg:flex-wrap lg:items-end"
      inputClassName={`${inputClass} sm:w-auto`}
      labelClassName={select}
      autoSubmit
      fields={[
        {
          kind: 'search',
          name: 'q',
          id: 'vendor-search',
          label: t('list.searchLabel'),
          placeholder: t('list.searchPlaceholder'),
          defaultValue: query.q,
          maxLength: 100,
          inputClassName: inputClass,
          className: 'flex min-w-[16rem] flex-1 flex-col gap-1',
        },
        {
          kind: 'group',
          className: 'grid grid-cols-2 gap-3 sm:flex sm:flex-wrap sm:items-end',
          fields: [
            { kind: 'select', name: 'tier', label: t('list.tierLabel'), defaultValue: query.tier, options: optionsOf(TIERS, (tier) => tierLabel(t, tier), t('list.allTiers')) },
            { kind: 'select', name: 'category', label: t('list.categoryLabel'), defaultValue: query.category, options: optionsOf(VENDOR_CATEGORIES, (category) => t(`category.${category}`), t('list.allCategories')) },
            { kind: 'select', name: 'status', label: t('list.statusLabel'), defaultValue: query.status, options: optionsOf(VENDOR_STATUSES, (status) => t(`status.${status}`), t('list.allStatuses')) },
            { kind: 'select', name: 'sort', label: t('list.sortLabel'), defaultValue: query.sort, options: optionsOf(VENDOR_SORTS, (sort) => t(`list.sort.${sort}`)) },
            { kind: 'select', name: 'size', label: t('list.pageSizeLabel'), defaultValue: query.size, options: optionsOf(PAGE_SIZES, String) },
          ],
        },
      ]}
      submitLabel={t('list.apply')}
      reset={{ to: '/vendors', label: t('list.reset') }}
    />
  )
}

function Pagination({ query, page, pageCount }: { query: VendorListQuery; page: number; pageCount: number }) {
  const { t } = useTranslation('vendors')
  if (pageCount <= 1) return null
  const link = 'rounded-md px-3 py-1.5 text-sm ring-1 ring-inset ring-slate-300 hover:bg-slate-50'
  const disabled = 'rounded-md px-3 py-1.5 text-sm text-slate-400 ring-1 ring-inset ring-slate-200'
  return (
    <nav aria-label={t('list.pagination')} className="flex items-center justify-between gap-3 border-t border-slate-100 pt-3">
      {page > 1 ? (
        <Link to={vendorListSearch({ ...query, page: page - 1 })} className={link} rel="prev">
          {t('list.previous')}
        </Link>
      ) : (
        <span className={disabled}>{t('list.previous')}</span>
      )}
      <span className="text-sm text-slate-600">{t('list.page', { page, pages: pageCount })}</span>
      {page < pageCount ? (
        <Link to={vendorListSearch({ ...query, page: page + 1 })} className={link} rel="next">
          {t('list.next')}
        </Link>
      ) : (
        <span className={disabled}>{t('list.next')}</span>
      )}
    </nav>
  )
}

export default function VendorListPage() {
  const { t } = useTranslation('vendors')
  const { query, page, canWrite, timeZone } = useLoaderData<typeof loader>()
  const rowLabels = useRowLabels()
  const locale = useLocale()
  const columns = vendorColumns({ query, locale, timeZone, labels: rowLabels, t })
  const navigation = useNavigation()
  const loading = navigation.state === 'loading' && navigation.location.pathname === '/vendors'
  const filtered = Boolean(query.q || query.tier || query.category || query.status)
  const from = page.total === 0 ? 0 : (page.page - 1) * page.pageSize + 1
  const to = Math.min(page.total, page.page * page.pageSize)
  const exportSearch = vendorListSearch({ ...query, page: 1 })
  return (
    <div data-testid="vendor-list">
      <PageHeader
        title={t('title')}
        subtitle={t('subtitle')}
        actions={
          <>
            <a href={`/vendors/export.csv${exportSearch}`} className={buttonClass.secondary} download data-testid="export-link">
              {t('actions.export')}
            </a>
            <a href={`/vendors/export.xlsx${exportSearch}`} className={buttonClass.secondary} download data-testid="export-xlsx-link">
              {t('spreadsheets:exports.download')}
            </a>
            {canWrite ? (
              <>
                <ButtonLink to="/vendors/import" variant="secondary">
                  {t('actions.import')}
                </ButtonLink>
                <ButtonLink to="/vendors/new">{t('actions.new')}</ButtonLink>
              </>
            ) : null}
          </>
        }
      />
      <Card>
        <Filters key={JSON.stringify(query)} query={query} />
        {page.rows.length === 0 ? (
          <EmptyState>{filtered ? t('list.empty') : t('list.emptyAll')}</EmptyState>
        ) : (
          <div className={loading ? 'opacity-60 transition-opacity' : undefined}>
            <p className="mb-2 text-sm text-slate-600" aria-live="polite" data-testid="list-summary">
              {t('list.summary', { from, to, total: page.total })}
            </p>
            <div className="-mx-5 overflow-x-auto">
              <DataTable columns={columns} rows={page.rows} rowKey={(vendor) => vendor.id} row={() => ({ testId: 'vendor-row', className: 'align-top hover:bg-slate-50' })} headClassName="border-b border-slate-200 text-xs uppercase tracking-wide text-slate-500" />
            </div>
            <div className="mt-3">
              <Pagination query={query} page={page.page} pageCount={page.pageCount} />
            </div>
          </div>
        )}
      </Card>
    </div>
  )
}
