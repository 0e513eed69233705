import { describe, expect, it } from 'vitest'
import { inRequestScope, oncePerRequest } from '~/request-scope.server'

describe('oncePerRequest', () => {
  it('computes a value once within a request, across awaits and concurrent callers', async () => {
    let made = 0
    const lookup = () => oncePerRequest('who', async () => ++made)
    const seen = await inRequestScope(async () => {
      const [a, b] = await Promise.all([lookup(), (async () => (await Promise.resolve(), lookup()))()])
      await new Promise((resolve) => setTimeout(resolve, 1))
      return [a, b, await lookup()]
    })
    expect(seen).toEqual([1, 1, 1])
    expect(made).toBe(1)
  })

  it('never shares a value between two requests, even when they overlap', async () => {
    let made = 0
    const lookup = () => oncePerRequest('who', async () => ++made)
    const [first, second] = await Promise.all([
      inRequestScope(async () => (await new Promise((resolve) => setTimeout(resolve, 5)), lookup())),
      inRequestScope(() => lookup()),
    ])
    expect(new Set([first, second]).size).toBe(2)
  })

  it('computes afresh on every call outside a request', async () => {
    let made = 0
    const lookup = () => oncePerRequest('who', () => ++made)
    expect([lookup(), lookup()]).toEqual([1, 2])
  })
})
