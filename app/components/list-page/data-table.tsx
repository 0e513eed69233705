import type { ReactNode } from 'react'
import { EmptyState } from '~/components/ui'

export type Column<Row> = {
  key: string
  header: ReactNode
  cell: (row: Row) => ReactNode
  align?: 'left' | 'right' | 'center'
  /** Classes of the column's cells. */
  className?: string | ((row: Row) => string)
  /** Classes of the column's header cell. */
  headerClassName?: string
  /** Set on a sortable column's header so assistive technology hears the order. */
  sort?: 'ascending' | 'descending'
}

/** What a row carries besides its cells: test hooks and data attributes the tests and styles read. */
export type RowAttributes = { testId?: string; className?: string; data?: Record<string, string | boolean | undefined> }

export type DataTableProps<Row> = {
  columns: readonly Column<Row>[]
  rows: readonly Row[]
  rowKey: (row: Row) => string
  row?: (row: Row) => RowAttributes
  /** Shown instead of the table when there are no rows; without it an empty table is the caller's call. */
  empty?: ReactNode
  caption?: ReactNode
  testId?: string
  className?: string
  headClassName?: string
  bodyClassName?: string
}

const ALIGN = { left: 'text-left', right: 'text-right', center: 'text-center' } as const

/** A list page's table: typed columns, one row per record, an empty state. */
export function DataTable<Row>(props: DataTableProps<Row>) {
  if (props.rows.length === 0 && props.empty !== undefined) return <EmptyState>{props.empty}</EmptyState>
  return (
    <table className={props.className ?? 'w-full text-left text-sm'} data-testid={props.testId}>
      {props.caption ? <caption className="sr-only">{props.caption}</caption> : null}
      <thead className={props.headClassName ?? 'text-xs uppercase text-slate-500'}>
        <tr>
          {props.columns.map((column) => (
            <th key={column.key} scope="col" className={classes(column.headerClassName, column.align)} aria-sort={column.sort}>
              {column.header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody className={props.bodyClassName ?? 'divide-y divide-slate-100'}>
        {props.rows.map((row) => {
          const attributes = props.row?.(row) ?? {}
          const data = Object.fromEntries(Object.entries(attributes.data ?? {}).map(([name, value]) => [`data-${name}`, value === false ? undefined : value]))
          return (
            <tr key={props.rowKey(row)} className={attributes.className} data-testid={attributes.testId} {...data}>
              {props.columns.map((column) => (
                <td key={column.key} className={classes(typeof column.className === 'function' ? column.className(row) : column.className, column.align)}>
                  {column.cell(row)}
                </td>
              ))}
            </tr>
          )
        })}
      </tbody>
    </table>
  )
}

function classes(className: string | undefined, align: Column<unknown>['align']): string | undefined {
  const joined = [className, align && align !== 'left' ? ALIGN[align] : undefined].filter(Boolean).join(' ')
  return joined || undefined
}
