// A validated form posted through its own fetcher, for pages with many small forms (one per
// answer, one per clause): each keeps its own pending state and server errors, and the page's
// data revalidates after it. Same contract as useValidatedForm: one zod schema for the browser and
// the action, errors as i18n keys, and a plain <form> post when JavaScript is off.
import { useFetcher } from '@remix-run/react'
import { useEffect } from 'react'
import { type DefaultValues, type FieldValues, type Path } from 'react-hook-form'
import { useSchemaForm } from '~/components/forms'
import type { FieldErrors, z } from '~/modules/forms/validation'

export type FetcherResult = { ok?: boolean; fieldErrors?: FieldErrors; formError?: string } | undefined

export function useFetcherForm<Input extends FieldValues, Output extends FieldValues>(
  schema: z.ZodType<Output, Input>,
  options: { defaultValues?: DefaultValues<Input>; action?: string; onDone?: () => void } = {},
) {
  const fetcher = useFetcher<FetcherResult>()
  const form = useSchemaForm(schema, options.defaultValues)
  const result = fetcher.data
  const { onDone } = options
  useEffect(() => {
    if (fetcher.state !== 'idle' || !result) return
    if (result.ok) {
      form.reset(options.defaultValues)
      onDone?.()
      return
    }
    let first = true
    for (const [path, messages] of Object.entries(result.fieldErrors ?? {})) {
      if (path === '_form') continue
      form.setError(path as Path<Input>, { type: 'server', message: messages[0] }, { shouldFocus: first })
      first = false
    }
    // The defaults are stable per render of the owning row; resetting on their identity would loop.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [result, fetcher.state])

  const onSubmit = form.handleSubmit((_values, event) => {
    const element = event?.target as HTMLFormElement | undefined
    if (element) fetcher.submit(element, { method: 'post', action: options.action })
  })
  const formError = result && !result.ok ? (result.formError ?? result.fieldErrors?._form?.[0]) : undefined
  return { form, fetcher, onSubmit, formError, busy: fetcher.state !== 'idle' }
}
