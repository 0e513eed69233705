// Due dates are whole days in the institution's time zone: the rules live in ~/modules/dates/dates.
// Kept as a re-export so the many readers of this path keep working.
export { dayIn, endOfDayIn, formatDateTime, formatDay } from '~/modules/dates/dates'
