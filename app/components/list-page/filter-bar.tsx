import { Form, Link, useSubmit } from '@remix-run/react'
import type { ChangeEvent, ReactNode } from 'react'
import { inputClass } from '~/components/forms'
import { buttonClass } from '~/components/ui'

/** One option of a select; `value: ''` is the "any" choice that drops the filter from the URL. */
export type FilterOption = { value: string; label: string }

type FieldBase = {
  name: string
  label: string
  /** Classes of the wrapping label (layout: spans, widths). */
  className?: string
  /** Classes of the control, when it differs from the bar's. */
  inputClassName?: string
}

export type SearchField = FieldBase & {
  kind: 'search'
  defaultValue?: string
  placeholder?: string
  /** `date` and `text` reuse the same descriptor: a free value typed into the URL. */
  inputType?: 'search' | 'text' | 'date'
  maxLength?: number
  /** With an id the label stands above the input (`htmlFor`), otherwise it wraps it. */
  id?: string
  /** A translated message from the loader: marks the input invalid and is read with it. */
  error?: string
}

export type SelectField = FieldBase & {
  kind: 'select'
  options: readonly FilterOption[]
  defaultValue?: string | number
}

export type CheckboxField = FieldBase & {
  kind: 'checkbox'
  value?: string
  defaultChecked?: boolean
}

/** Fields laid out together (a grid or row inside the bar). */
export type FieldGroup = { kind: 'group'; className: string; fields: readonly FilterField[] }

export type FilterField = SearchField | SelectField | CheckboxField

export type FilterBarProps = {
  fields: readonly (FilterField | FieldGroup)[]
  submitLabel: string
  /** Where "reset" leads (the list without a query); null hides it, e.g. when nothing is filtered. */
  reset?: { to: string; label: string } | null
  /** Other query parameters the list needs kept when the filters are applied. */
  keep?: Record<string, string | undefined>
  /** With JavaScript, a changed select applies at once; without it the submit button does. */
  autoSubmit?: boolean
  className: string
  actionsClassName?: string
  labelClassName?: string
  inputClassName?: string
  submitClassName?: string
  resetClassName?: string
  testId?: string
  /** Prefix of the ids of the fields' error messages (`<prefix>-<name>-error`). */
  idPrefix?: string
}

const defaultLabel = 'flex flex-col gap-1 text-sm font-medium text-slate-700'

/** The filters of a list page: a GET form, so the filters live in the URL and work without JavaScript. */
export function FilterBar(props: FilterBarProps) {
  const submit = useSubmit()
  const onChange = props.autoSubmit
    ? (event: ChangeEvent<HTMLFormElement>) => {
        if (event.target instanceof HTMLSelectElement) submit(event.currentTarget, { replace: true })
      }
    : undefined
  return (
    <Form method="get" role="search" className={props.className} onChange={onChange} data-testid={props.testId}>
      {Object.entries(props.keep ?? {}).map(([name, value]) => (value ? <input key={name} type="hidden" name={name} value={value} /> : null))}
      {props.fields.map((field) =>
        field.kind === 'group' ? (
          <div key={field.fields.map((inner) => inner.name).join(' ')} className={field.className}>
            {field.fields.map((inner) => (
              <Field key={inner.name} field={inner} bar={props} />
            ))}
          </div>
        ) : (
          <Field key={field.name} field={field} bar={props} />
        ),
      )}
      <div className={props.actionsClassName ?? 'flex gap-2'}>
        <button type="submit" className={props.submitClassName ?? buttonClass.primary}>
          {props.submitLabel}
        </button>
        {props.reset ? (
          <Link to={props.reset.to} className={props.resetClassName ?? buttonClass.secondary}>
            {props.reset.label}
          </Link>
        ) : null}
      </div>
    </Form>
  )
}

function Field({ field, bar }: { field: FilterField; bar: FilterBarProps }) {
  const labelClass = field.className ?? bar.labelClassName ?? defaultLabel
  const input = field.inputClassName ?? bar.inputClassName ?? inputClass
  if (field.kind === 'checkbox') {
    return (
      <label className={field.className ?? 'flex items-center gap-2 pb-2 text-sm font-medium text-slate-700'}>
        <input type="checkbox" name={field.name} value={field.value ?? '1'} defaultChecked={field.defaultChecked} className="h-4 w-4 rounded border-slate-300" />
        {field.label}
      </label>
    )
  }
  if (field.kind === 'select') {
    return (
      <label className={labelClass}>
        {field.label}
        <select name={field.name} defaultValue={field.defaultValue === undefined ? '' : String(field.defaultValue)} className={input}>
          {field.options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      </label>
    )
  }
  const errorId = field.error ? `${field.id ?? `${bar.idPrefix ?? 'filter'}-${field.name}`}-error` : undefined
  const control = (
    <input
      id={field.id}
      type={field.inputType ?? 'search'}
      name={field.name}
      defaultValue={field.defaultValue ?? ''}
      placeholder={field.placeholder}
      maxLength={field.maxLength}
      className={input}
      aria-invalid={field.error ? true : undefined}
      aria-describedby={errorId}
    />
  )
  const error: ReactNode = field.error ? (
    <p className="mt-1 text-xs text-red-700" id={errorId}>
      {field.error}
    </p>
  ) : null
  if (field.id) {
    return (
      <div className={labelClass}>
        <label htmlFor={field.id} className="text-sm font-medium text-slate-700">
          {field.label}
        </label>
        {control}
        {error}
      </div>
    )
  }
  return (
    <label className={labelClass}>
      {field.label}
      {control}
      {error}
    </label>
  )
}

/** Select options from a vocabulary, after the "any" choice. */
export function optionsOf<Value extends string | number>(values: readonly Value[], label: (value: Value) => string, any?: string): FilterOption[] {
  const options = values.map((value) => ({ value: String(value), label: label(value) }))
  return any === undefined ? options : [{ value: '', label: any }, ...options]
}
