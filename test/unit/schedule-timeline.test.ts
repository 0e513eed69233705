import { describe, expect, it } from 'vitest'
import { timelineWindow } from '~/modules/schedule/timeline'

const TZ = 'Asia/Shanghai'

describe('the dashboard calendar of the coming 12 months', () => {
  it('includes a reassessment due in exactly 12 months', () => {
    const now = new Date('2026-12-01T02:00:00Z') // 1 December, Beijing
    const window = timelineWindow(now, TZ)
    const due = new Date('2027-12-01T15:59:59Z') // end of 1 December 2027, Beijing
    expect(window.months[0]).toBe('2026-12')
    expect(window.months).toContain('2027-12')
    expect(window.months).toHaveLength(13)
    expect(due.getTime()).toBeLessThanOrEqual(window.end.getTime())
    expect(window.start.getTime()).toBeLessThanOrEqual(now.getTime())
  })

  it('counts months in the institution zone: 31 December 20:00 UTC is already January in Beijing', () => {
    const window = timelineWindow(new Date('2026-12-31T20:00:00Z'), TZ)
    expect(window.months[0]).toBe('2027-01')
    expect(window.months.at(-1)).toBe('2028-01')
    expect(window.end.toISOString()).toBe('2028-01-31T15:59:59.999Z')
  })
})
