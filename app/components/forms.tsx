import { zodResolver } from '@hookform/resolvers/zod'
import { Form, useActionData, useNavigation, useSubmit } from '@remix-run/react'
import { useEffect, useId, useRef, useState, type ComponentProps, type ReactNode } from 'react'
import { useForm, type DefaultValues, type FieldValues, type Path, type UseFormReturn } from 'react-hook-form'
import { useTranslation } from 'react-i18next'
import { translateError, type FieldErrors, type z } from '~/modules/forms/validation'

type ActionResult = { ok?: boolean; fieldErrors?: FieldErrors; formError?: string } | undefined

/**
 * react-hook-form bound to the zod schema the action re-validates. The browser checks first;
 * a valid form is posted as ordinary FormData, so it also works without JavaScript.
 * Errors the server returns are shown on the same fields.
 */
export function useValidatedForm<S extends z.ZodType<FieldValues, any>>(
  schema: S,
  options: { defaultValues?: DefaultValues<z.input<S>>; action?: string } = {},
) {
  const submit = useSubmit()
  const actionData = useActionData() as ActionResult
  const form = useForm<z.input<S>, unknown, z.output<S>>({
    resolver: zodResolver(schema as any) as any,
    defaultValues: options.defaultValues,
    mode: 'onTouched',
    shouldFocusError: true,
  })
  useEffect(() => {
    if (!actionData) return
    const fieldErrors = actionData.fieldErrors ?? {}
    for (const [path, messages] of Object.entries(fieldErrors)) {
      if (path === '_form') continue
      form.setError(path as Path<z.input<S>>, { type: 'server', message: messages[0] }, { shouldFocus: false })
    }
    const formLevel = actionData.formError ?? fieldErrors._form?.[0]
    if (!formLevel && Object.keys(fieldErrors).length === 0) return
    return bringErrorIntoView(Boolean(formLevel))
  }, [actionData, form])

  const onSubmit = form.handleSubmit((_values, event) => {
    const element = (event?.target as HTMLFormElement | undefined) ?? undefined
    if (element) submit(element, { method: 'post', action: options.action, encType: element.enctype as any })
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

/**
 * The field's error: the browser's own check once hydrated (server errors are copied into it),
 * or, before hydration and for a form posted without JavaScript, the action's message.
 */
function useFieldError(form: UseFormReturn<any>, name: string): string | undefined {
  const actionData = useActionData() as ActionResult
  const hydrated = useHydrated()
  const { errors, touchedFields, submitCount } = form.formState
  // A field someone has not reached yet (say, a contact row just added, which react-hook-form
  // validates with its whole array) shows no complaint until it is touched or submitted.
  const submitsBeforeMount = useRef(submitCount)
  const at = (tree: unknown) => name.split('.').reduce<any>((cursor, part) => cursor?.[part], tree)
  const fieldError = at(errors)
  const shown = fieldError?.type === 'server' || submitCount > submitsBeforeMount.current || at(touchedFields) === true
  const clientError = shown ? (fieldError?.message as string | undefined) : undefined
  return clientError ?? (hydrated ? undefined : actionData?.fieldErrors?.[name]?.[0])
}

type TextFieldProps = {
  form: UseFormReturn<any>
  name: string
  label: ReactNode
  hint?: ReactNode
  required?: boolean
} & Omit<ComponentProps<'input'>, 'name' | 'form'>

export function TextField({ form, name, label, hint, required, ...inputProps }: TextFieldProps) {
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
        defaultValue={inputProps.type === 'file' ? undefined : asDefault(form.getValues(name))}
        {...inputProps}
        {...form.register(name)}
      />
    </FieldShell>
  )
}

export function TextAreaField({
  form,
  name,
  label,
  hint,
  required,
  ...props
}: { form: UseFormReturn<any>; name: string; label: ReactNode; hint?: ReactNode; required?: boolean } & Omit<
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
        defaultValue={asDefault(form.getValues(name))}
        {...props}
        {...form.register(name)}
      />
    </FieldShell>
  )
}

export function SelectField({
  form,
  name,
  label,
  hint,
  required,
  options,
  placeholder,
}: {
  form: UseFormReturn<any>
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
        defaultValue={asDefault(form.getValues(name))}
        {...form.register(name)}
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

export function CheckboxGroupField({
  form,
  name,
  label,
  hint,
  options,
}: {
  form: UseFormReturn<any>
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
              defaultChecked={toArray(form.getValues(name)).includes(option.value)}
              className="h-4 w-4 rounded border-slate-300"
              {...form.register(name)}
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
