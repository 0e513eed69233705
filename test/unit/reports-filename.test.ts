import { describe, expect, it } from 'vitest'
import { filenameOf } from '~/modules/reports/issue.server'
import { sampleReportData } from '../fixtures/report-sample-data'

describe('the report file name', () => {
  it('is dated on the institution’s calendar day, like every page (not the UTC day)', () => {
    const data = sampleReportData({ locale: 'zh-CN' })
    data.institution.timeZone = 'Asia/Shanghai'
    const now = new Date('2026-12-31T17:30:00Z') // 1 January 2027, 01:30 in Beijing
    const name = filenameOf(data, now)
    expect(name.ascii).toContain('_2027-01-01_')
    expect(name.unicode).toContain('_2027-01-01.pdf')
  })
})
