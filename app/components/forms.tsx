import { zodResolver } from '@hookform/resolvers/zod'
import { Form, useActionData, useNavigation, useSubmit } from '@remix-run/react'
import { useEffect, useId, useRef, useState, type ComponentProps, type ReactNode } from 'react'
import { useForm, type DefaultValues, type FieldValues, type Path, type UseFormReturn } from 'react-hook-form'
import { useTranslation } from 'react-i18next'
import { translateError, type FieldErrors, type z } from '~/modules/forms/validation'

type ActionResult = { ok?: boolean; fieldErrors?: FieldErrors; formError?: string } | undefined

/**
 * The one react-hook-form set-up every staff and fetcher form shares: the zod schema the action
 * re-validates is the resolver, fields are checked once touched, and the first error takes focus.
 * Both types come from the schema: the fields and `defaultValues` hold its input (`z.input`, e.g.
 * the text of a number input for a `z.coerce.number()`), a valid submit yields its output.
 */
export function useSchemaForm<Input extends FieldValues, Output extends FieldValues>(
  schema: z.ZodType<Output, Input>,
  defaultValues: DefaultValues<Input> | undefined,
): UseFormReturn<Input, unknown, Output> {
  return useForm<Input, unknown, Output>({
    resolver: zodResolver(schema),
    defaultValues,
    mode: 'onTouched',
    shouldFocusError: true,
  })
}

/** What a field component needs from its form, whatever the form's values: fields are addressed by dotted name. */
export type FieldForm<T extends FieldValues> = Pick<UseFormReturn<T>, 'register' | 'getValues' | 'formState'>

/**
 * react-hook-form bound to the zod schema the action re-validates. The browser checks first;
 * a valid form is posted as ordinary FormData, so it also works without JavaScript.
 * Errors the server returns are shown on the same fields.
 */
export function useValidatedForm<Input extends FieldValues, Output extends FieldValues>(
  schema: z.ZodType<Output, Input>,
  options: { defaultValues?: DefaultValues<Input>; action?: string } = {},
) {
  const submit = useSubmit()
  const actionData = useActionData() as ActionResult
  const form = useSchemaForm(schema, options.defaultValues)
  useEffect(() => {
    if (!actionData) return
    const fieldErrors = actionData.fieldErrors ?? {}
    for (const [path, messages] of Object.entries(fieldErrors)) {
      if (path === '_form') continue
      form.setError(path as Path<Input>, { type: 'server', message: messages[0] }, { shouldFocus: false })
    }
    const formLevel = actionData.formError ?? fieldErrors._form?.[0]
    if (!formLevel && Object.keys(fieldErrors).length === 0) return
    return bringErrorIntoView(Boolean(formLevel))
  }, [actionData, form])

  const onSubmit = form.handleSubmit((_values, event) => {
    const element = (event?.target as HTMLFormElement | undefined) ?? undefined
    if (element) submit(element, { method: 'post', action: options.action, encType: element.enctype as 'application/x-www-form-urlencoded' | 'multipart/form-data' })
  })
  return { form, onSubmit, formError: actionData?.formError ?? actionData?.fieldErrors?._form?.[0] }
}

/**
 * After a refused submit, the person must see why: the form-level message when there is one,
 * otherwise the first invalid field (in page order), scrolled into view and focused. Runs after
 * the errors have rendered; returns the cleanup.
 */
export function bringErrorIntoView(preferFormMessage: boolean): () => void {
  let inner = 0
  const outer = requestAnimationFrame(() => {
    inner = requestAnimationFrame(() => {
      const banner = document.querySelector<HTMLElement>('[data-form-error]')
      const field = document.querySelector<HTMLElement>('[aria-invalid="true"]')
      const target = (preferFormMessage ? banner : null) ?? field ?? banner
      if (!target) return
      target.scrollIntoView({ block: 'center' })
      // A group (fieldset) takes focus on its first control.
      const focusable = target.matches('fieldset') ? (target.querySelector<HTMLElement>('input, select, textarea') ?? target) : target
      focusable.focus({ preventScroll: true })
    })
  })
  return () => {
    cancelAnimationFrame(outer)
    cancelAnimationFrame(inner)
  }
}

export function FormErrorBanner({ message }: { message?: string }) {
  const { t } = useTranslation()
  if (!message) return null
  return (
    <div role="alert" tabIndex={-1} data-form-error="" className="mb-4 rounded-md outline-none border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-800">
      {translateError(t, message)}
    </div>
  )
}

export function FieldShell({
  id,
  label,
  hint,
  error,
  required,
  children,
}: {
  id: string
  label: ReactNode
  hint?: ReactNode
  error?: string
  required?: boolean
  children: ReactNode
}) {
  const { t } = useTranslation()
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-sm font-medium text-slate-700">
        {label}
        {required ? <span className="ml-0.5 text-red-600" aria-hidden="true">*</span> : null}
      </label>
      {children}
      {hint ? (
        <p id={`${id}-hint`} className="text-xs text-slate-500">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={`${id}-error`} className="text-sm text-red-700" role="alert">
          {translateError(t, error)}
        </p>
      ) : null}
    </div>
  )
}

export const inputClass =
  'block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm focus:border-sky-600 focus:outline-none focus:ring-2 focus:ring-sky-600/30 aria-[invalid=true]:border-red-500 disabled:bg-slate-50'

function describedBy(id: string, hint: unknown, error: unknown) {
  return [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ') || undefined
}

// Default values go into the server-rendered HTML too, so a form posted before hydration (or
// without JavaScript) sends what the user saw, not an empty field or a select's first option.
function asDefault(value: unknown): string | number | undefined {
  if (value === undefined || value === null) return undefined
  if (typeof value === 'number') return value
  if (value instanceof Date) return value.toISOString().slice(0, 10)
  return typeof value === 'string' ? value : undefined
}

function toArray(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : value === undefined || value === null || value === '' ? [] : [String(value)]
}

function useHydrated() {
  const [hydrated, setHydrated] = useState(false)
  useEffect(() => setHydrated(true), [])
  return hydrated
}

/** The value at a dotted path ("contacts.0.email") in a nested tree of errors, values or flags. */
export function valueAtPath(tree: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((cursor, part) => (cursor !== null && typeof cursor === 'object' ? (cursor as Record<string, unknown>)[part] : undefined), tree)
}

/**
 * The field's error: the browser's own check once hydrated (server errors are copied into it),
 * or, before hydration and for a form posted without JavaScript, the action's message.
 */
function useFieldError<T extends FieldValues>(form: FieldForm<T>, name: string): string | undefined {
  const actionData = useActionData() as ActionResult
  const hydrated = useHydrated()
  const { errors, touchedFields, submitCount } = form.formState
  // A field someone has not reached yet (say, a contact row just added, which react-hook-form
  // validates with its whole array) shows no complaint until it is touched or submitted.
  const submitsBeforeMount = useRef(submitCount)
  const fieldError = valueAtPath(errors, name) as { type?: unknown; message?: unknown } | undefined
  const shown = fieldError?.type === 'server' || submitCount > submitsBeforeMount.current || valueAtPath(touchedFields, name) === true
  const clientError = shown && typeof fieldError?.message === 'string' ? fieldError.message : undefined
  return clientError ?? (hydrated ? undefined : actionData?.fieldErrors?.[name]?.[0])
}

type TextFieldProps<T extends FieldValues> = {
  form: FieldForm<T>
  name: string
  label: ReactNode
  hint?: ReactNode
  required?: boolean
} & Omit<ComponentProps<'input'>, 'name' | 'form'>

export function TextField<T extends FieldValues>({ form, name, label, hint, required, ...inputProps }: TextFieldProps<T>) {
  const id = useId()
  const error = useFieldError(form, name)
  return (
    <FieldShell id={id} label={label} hint={hint} error={error} required={required}>
      <input
        id={id}
        className={inputClass}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        aria-required={required || undefined}
        defaultValue={inputProps.type === 'file' ? undefined : asDefault(form.getValues(name as Path<T>))}
        {...inputProps}
        {...form.register(name as Path<T>)}
      />
    </FieldShell>
  )
}

export function TextAreaField<T extends FieldValues>({
  form,
  name,
  label,
  hint,
  required,
  ...props
}: { form: FieldForm<T>; name: string; label: ReactNode; hint?: ReactNode; required?: boolean } & Omit<
  ComponentProps<'textarea'>,
  'name' | 'form'
>) {
  const id = useId()
  const error = useFieldError(form, name)
  return (
    <FieldShell id={id} label={label} hint={hint} error={error} required={required}>
      <textarea
        id={id}
        rows={3}
        className={inputClass}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        defaultValue={asDefault(form.getValues(name as Path<T>))}
        {...props}
        {...form.register(name as Path<T>)}
      />
    </FieldShell>
  )
}

export function SelectField<T extends FieldValues>({
  form,
  name,
  label,
  hint,
  required,
  options,
  placeholder,
}: {
  form: FieldForm<T>
  name: string
  label: ReactNode
  hint?: ReactNode
  required?: boolean
  placeholder?: string
  options: { value: string; label: ReactNode }[]
}) {
  const id = useId()
  const error = useFieldError(form, name)
  return (
    <FieldShell id={id} label={label} hint={hint} error={error} required={required}>
      <select
        id={id}
        className={inputClass}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        defaultValue={asDefault(form.getValues(name as Path<T>))}
        {...form.register(name as Path<T>)}
      >
        {placeholder !== undefined ? <option value="">{placeholder}</option> : null}
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </FieldShell>
  )
}

export function CheckboxGroupField<T extends FieldValues>({
  form,
  name,
  label,
  hint,
  options,
}: {
  form: FieldForm<T>
  name: string
  label: ReactNode
  hint?: ReactNode
  options: { value: string; label: ReactNode }[]
}) {
  const id = useId()
  const { t } = useTranslation()
  const error = useFieldError(form, name)
  return (
    <fieldset aria-describedby={describedBy(id, hint, error)} aria-invalid={error ? true : undefined}>
      <legend className="text-sm font-medium text-slate-700">{label}</legend>
      <div className="mt-1 grid grid-cols-1 gap-1 sm:grid-cols-2">
        {options.map((option) => (
          <label key={option.value} className="flex items-center gap-2 text-sm text-slate-700">
            <input
              type="checkbox"
              value={option.value}
              defaultChecked={toArray(form.getValues(name as Path<T>)).includes(option.value)}
              className="h-4 w-4 rounded border-slate-300"
              {...form.register(name as Path<T>)}
            />
            {option.label}
          </label>
        ))}
      </div>
      {hint ? (
        <p id={`${id}-hint`} className="mt-1 text-xs text-slate-500">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={`${id}-error`} className="mt-1 text-sm text-red-700" role="alert">
          {translateError(t, error)}
        </p>
      ) : null}
    </fieldset>
  )
}

export function SubmitButton({ children, className = '', ...props }: ComponentProps<'button'>) {
  const navigation = useNavigation()
  const busy = navigation.state === 'submitting'
  return (
    <button
      type="submit"
      disabled={busy || props.disabled}
      aria-busy={busy || undefined}
      className={`inline-flex items-center justify-center rounded-md bg-sky-700 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-sky-800 focus:outline-none focus:ring-2 focus:ring-sky-600 focus:ring-offset-2 disabled:opacity-60 ${className}`}
      {...props}
    >
      {children}
    </button>
  )
}

export { Form }
