import { renderToStaticMarkup } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import { DataTable, type Column } from '~/components/list-page/data-table'
import { optionsOf } from '~/components/list-page/filter-bar'
import { withSearchParams } from '~/components/list-page/search-params'

type Row = { id: string; name: string; overdue: boolean }
const columns: Column<Row>[] = [
  { key: 'name', header: 'Name', cell: (row) => row.name, sort: 'ascending' },
  { key: 'due', header: 'Due', cell: (row) => (row.overdue ? 'late' : 'on time'), align: 'right', className: (row) => (row.overdue ? 'text-red-700' : 'text-slate-700') },
]

describe('data table', () => {
  it('renders one row per record with its test hook, data attributes and per-row cell classes', () => {
    const html = renderToStaticMarkup(
      <DataTable columns={columns} rows={[{ id: 'a', name: 'Alpha', overdue: true }, { id: 'b', name: 'Beta', overdue: false }]} rowKey={(row) => row.id} row={(row) => ({ testId: 'thing-row', data: { overdue: row.overdue || undefined } })} caption="Things" />,
    )
    expect(html.match(/data-testid="thing-row"/g)).toHaveLength(2)
    expect(html.match(/data-overdue="true"/g)).toHaveLength(1)
    expect(html).toContain('<caption class="sr-only">Things</caption>')
    expect(html).toContain('aria-sort="ascending"')
    expect(html).toContain('<td class="text-red-700 text-right">late</td>')
    expect(html).toContain('<td class="text-slate-700 text-right">on time</td>')
  })

  it('shows the empty state instead of a table when there are no rows and one is given', () => {
    const html = renderToStaticMarkup(<DataTable columns={columns} rows={[]} rowKey={(row) => row.id} empty="Nothing yet" />)
    expect(html).not.toContain('<table')
    expect(html).toContain('Nothing yet')
    expect(renderToStaticMarkup(<DataTable columns={columns} rows={[]} rowKey={(row) => row.id} />)).toContain('<table')
  })
})

describe('list query helpers', () => {
  it('sets and drops parameters while keeping the others', () => {
    const params = new URLSearchParams('status=open&q=yun&page=2')
    expect(withSearchParams(params, { page: 3 })).toBe('?status=open&q=yun&page=3')
    expect(withSearchParams(params, { page: null, before: 'x' })).toBe('?status=open&q=yun&before=x')
  })

  it('builds select options from a vocabulary, with the "any" choice first when asked', () => {
    expect(optionsOf([1, 2] as const, (tier) => `Tier ${tier}`, 'All')).toEqual([
      { value: '', label: 'All' },
      { value: '1', label: 'Tier 1' },
      { value: '2', label: 'Tier 2' },
    ])
    expect(optionsOf(['a'], (value) => value.toUpperCase())).toEqual([{ value: 'a', label: 'A' }])
  })
})
