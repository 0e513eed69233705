// The months of the dashboard's reassessment calendar. Pure. "The coming 12 months" runs from this
// month through the month twelve months ahead, so a reassessment due in exactly 12 months (the
// yearly cadence) is on the calendar rather than one month past its end.
import { TZDate } from '@date-fns/tz'
import { addMonths, endOfMonth, format, startOfMonth } from 'date-fns'

export const TIMELINE_MONTHS_AHEAD = 12

export function timelineWindow(now: Date, timeZone: string, monthsAhead = TIMELINE_MONTHS_AHEAD) {
  const zonedNow = new TZDate(now.getTime(), timeZone)
  return {
    start: new Date(startOfMonth(zonedNow).getTime()),
    end: new Date(endOfMonth(addMonths(zonedNow, monthsAhead)).getTime()),
    /** "yyyy-MM" of each month, this month first: monthsAhead + 1 of them. */
    months: Array.from({ length: monthsAhead + 1 }, (_, index) => format(addMonths(zonedNow, index), 'yyyy-MM')),
  }
}
