import { describe, expect, it } from 'vitest'
import { settingsFormSchema, settingsFromForm } from '~/modules/schedule/settings'

const valid = {
  defaultCadenceMonths: '12', tier1: '6', tier2: '', tier3: '', tier4: '', issueAheadDays: '30', reminderOffsetsDays: '1, 14 7',
  escalationEnabled: 'on', escalationEveryDays: '7', contractExpiryWarningDays: '60', version: '3',
}
const errorsOf = (input: Record<string, unknown>) => {
  const result = settingsFormSchema.safeParse(input)
  return result.success ? {} : Object.fromEntries(result.error.issues.map((issue) => [issue.path.join('.'), issue.message.split('|')[0]]))
}

describe('the settings form', () => {
  it('reads a posted form into settings (offsets sorted, empty tiers use the default)', () => {
    const parsed = settingsFormSchema.parse(valid)
    expect(settingsFromForm(parsed)).toEqual({
      defaultCadenceMonths: 12,
      tierCadenceMonths: { 1: 6, 2: null, 3: null, 4: null },
      issueAheadDays: 30,
      reminderOffsetsDays: [14, 7, 1],
      escalation: { enabled: true, everyDays: 7 },
      contractExpiryWarningDays: 60,
      documentExpiryWarningDays: 30, // not posted: the default
    })
    expect(settingsFromForm(settingsFormSchema.parse({ ...valid, documentExpiryWarningDays: '45' })).documentExpiryWarningDays).toBe(45)
    expect(errorsOf({ ...valid, documentExpiryWarningDays: '0' })).toEqual({ documentExpiryWarningDays: 'errors:tooSmall' })
    expect(settingsFromForm(settingsFormSchema.parse({ ...valid, escalationEnabled: undefined, reminderOffsetsDays: '' })).escalation.enabled).toBe(false)
    expect(settingsFromForm(settingsFormSchema.parse({ ...valid, reminderOffsetsDays: '' })).reminderOffsetsDays).toEqual([])
  })

  // [field changes, field with the error, message key]
  const cases: [Record<string, string>, string, string][] = [
    [{ defaultCadenceMonths: '0' }, 'defaultCadenceMonths', 'errors:tooSmall'],
    [{ defaultCadenceMonths: '37' }, 'defaultCadenceMonths', 'errors:tooBig'],
    [{ defaultCadenceMonths: 'twelve' }, 'defaultCadenceMonths', 'errors:invalidType'],
    [{ tier1: '18' }, 'tier1', 'schedule:settings.errors.tierLonger'],
    [{ tier3: '2.5' }, 'tier3', 'errors:invalidType'],
    [{ reminderOffsetsDays: '14, seven' }, 'reminderOffsetsDays', 'schedule:settings.errors.offsets'],
    [{ reminderOffsetsDays: '14, 0' }, 'reminderOffsetsDays', 'schedule:settings.errors.offsets'],
    [{ reminderOffsetsDays: '7, 7' }, 'reminderOffsetsDays', 'schedule:settings.errors.offsetsRepeat'],
    [{ reminderOffsetsDays: '1,2,3,4,5,6,7' }, 'reminderOffsetsDays', 'schedule:settings.errors.offsets'],
    [{ reminderOffsetsDays: '30, 7' }, 'reminderOffsetsDays', 'schedule:settings.errors.offsetBeyondIssue'],
    [{ issueAheadDays: '0' }, 'issueAheadDays', 'errors:tooSmall'],
    [{ escalationEveryDays: '' }, 'escalationEveryDays', 'errors:tooSmall'],
    [{ contractExpiryWarningDays: '400' }, 'contractExpiryWarningDays', 'errors:tooBig'],
  ]
  it.each(cases)('refuses %o on %s', (change, field, message) => {
    expect(errorsOf({ ...valid, ...change })[field]).toBe(message)
  })
})
