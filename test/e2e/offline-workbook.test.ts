// The vendor's offline fill in headless Chromium against the built app: the portal's offline page →
// workbook download → two answers edited with exceljs → upload → preview "2 answers will change" →
// a colleague changes one of them online meanwhile → apply: one saved, one reported as a conflict
// with both values and not overwritten (checked on the questionnaire after a reload).
import { mkdirSync, readFileSync } from 'node:fs'
import ExcelJS from 'exceljs'
import mongoose from 'mongoose'
import { VendorModel } from '~models/vendor'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadLibrary } from '~/modules/library/library.server'
import { sectionsOf } from '~/modules/assessments/questions'
import { DEMO_PASSWORD, freePort, type RunningApp, startApp } from '../support/app-server'
import { launchBrowser, signIn } from '../support/browser'
import { startControlledSmtp, type SmtpControls } from '../support/smtp'

const SHOTS = '/tmp/offline'
let app: RunningApp
let browser: Browser
let smtp: SmtpControls
let vendorId = ''
let vendorLink = ''

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true })
  smtp = await startControlledSmtp()
  const appPort = await freePort()
  app = await startApp('offline', { SMTP_URL: smtp.url, PORT: String(appPort), APP_URL: `http://127.0.0.1:${appPort}` })
  browser = await launchBrowser()
  await mongoose.connect(app.databaseUri)
  const vendor = await VendorModel.create({
    legalName: { 'zh-CN': '云途支付科技有限公司', en: 'Yuntu Payment Technology Co., Ltd.' },
    category: 'payment_platform',
    contacts: [{ name: 'David Chen', email: 'david.chen@yuntu-pay.test', locale: 'en', title: 'DPO' }],
    dataProfile: { piCategories: ['identity', 'transactions'], sensitivity: 'C3', recordCount: 250000 },
    tier: { computed: 1 },
    effectiveTier: 1,
  })
  vendorId = vendor._id.toString()
})

afterAll(async () => {
  await mongoose.disconnect()
  await browser?.close()
  await app?.stop()
  await smtp?.close()
})

function linkIn(raw: string): string | null {
  const match = /https?:\/\/[^\s"<>]+\/v\/([A-Za-z0-9_-]{43})/.exec(raw.replace(/=\r?\n/g, '').replace(/=3D/g, '='))
  return match ? match[0] : null
}

/** The labels a list validation offers: an inline "a,b,c" list or a range on another sheet. */
function listChoices(workbook: ExcelJS.Workbook, formula: string): string[] {
  if (formula.startsWith('"')) return formula.slice(1, -1).split(',')
  const match = /^'?([^'!]+)'?!\$?([A-Z]+)\$?(\d+)(?::\$?([A-Z]+)\$?(\d+))?$/.exec(formula)
  if (!match) throw new Error(`unexpected list formula ${formula}`)
  const sheet = workbook.getWorksheet(match[1]!)!
  const choices: string[] = []
  for (let row = Number(match[3]); row <= Number(match[5] ?? match[3]); row++) choices.push(String(sheet.getCell(`${match[2]}${row}`).value))
  return choices
}

describe('vendor offline fill in the browser', () => {
  it('downloads, edits, uploads, previews and applies; a colleague’s online edit meanwhile is a conflict', async () => {
    // Procurement starts the assessment; the invitation carries the vendor's link.
    const staff = await (await browser.newContext({ locale: 'en' })).newPage()
    await signIn(staff, app.url, 'procurement@clausewise.local', DEMO_PASSWORD)
    await staff.goto(`${app.url}/assessments/new?vendorId=${vendorId}`)
    await Promise.all([staff.waitForURL(/\/assessments\/[a-f0-9]{24}$/), staff.getByTestId('start-assessment').click()])
    // Only this vendor's invitation (the start-up sweep may mail the demo vendors too).
    const invitation = () => smtp.received.filter((mail) => mail.to.includes('david.chen@yuntu-pay.test')).map((mail) => linkIn(mail.raw)).find(Boolean)
    await expect.poll(invitation, { timeout: 15_000 }).toBeTruthy()
    const link = invitation()!
    const token = link.split('/v/')[1]!
    vendorLink = link

    // Two plain yes/no questions of the first section that no other question depends on.
    const first = sectionsOf(loadLibrary().latest)[0]!.section
    const controllers = new Set(first.questions.flatMap((question) => (question.showWhen ? [question.showWhen.question] : [])))
    const [conflicted, saved] = first.questions.filter((question) => question.kind === 'yes_no_na' && !question.showWhen && !controllers.has(question.id))
    expect(conflicted && saved, 'two independent yes/no questions').toBeTruthy()

    const context = await browser.newContext({ locale: 'en', viewport: { width: 1280, height: 900 }, acceptDownloads: true })
    const page = await context.newPage()
    await page.goto(link)
    await Promise.all([page.waitForURL(/\/offline$/), page.getByTestId('open-offline').click()])
    await page.screenshot({ path: `${SHOTS}/offline-page.png`, fullPage: true })

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('offline-download').click()])
    expect(download.suggestedFilename()).toMatch(/\.xlsx$/)
    await download.saveAs(`${SHOTS}/downloaded.xlsx`)
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load(readFileSync(`${SHOTS}/downloaded.xlsx`) as unknown as ExcelJS.Buffer)
    const sheet = workbook.worksheets[0]!
    // Structure: hidden id columns, a protected sheet, dropdowns on choice answers.
    expect([1, 2, 3].map((column) => sheet.getColumn(column).hidden)).toEqual([true, true, true])
    expect((sheet as unknown as { sheetProtection?: { sheet?: boolean } }).sheetProtection?.sheet).toBe(true)
    const rowOf = (questionId: string) => {
      let found: ExcelJS.Row | undefined
      sheet.eachRow((row) => {
        if (row.getCell(4).value === questionId) found = row
      })
      if (!found) throw new Error(`no row for ${questionId}`)
      return found
    }
    const answerCell = rowOf(saved!.id).getCell(8)
    expect(answerCell.dataValidation?.type).toBe('list')
    expect(answerCell.protection?.locked).toBe(false)
    expect(rowOf(saved!.id).getCell(6).protection?.locked).not.toBe(false)
    const choices = listChoices(workbook, String(answerCell.dataValidation!.formulae![0]))
    // The dropdown offers exactly the question's options, in the vendor's language.
    expect(choices).toEqual(saved!.options!.map((option) => option.label.en))
    expect(choices).toContain('Yes')
    rowOf(conflicted!.id).getCell(8).value = 'Yes'
    rowOf(saved!.id).getCell(8).value = 'Yes'
    rowOf(saved!.id).getCell(9).value = 'Filled in offline'

    await page.getByTestId('offline-file').setInputFiles({ name: 'answers.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: Buffer.from(await workbook.xlsx.writeBuffer()) })
    await page.getByTestId('offline-upload').click()
    await expect.poll(() => page.getByTestId('offline-preview-title').textContent().catch(() => ''), { timeout: 15_000 }).toBe('2 answers will change')
    expect(await page.getByTestId(`change-${saved!.id}`).count()).toBe(1)
    await page.screenshot({ path: `${SHOTS}/offline-preview.png`, fullPage: true })

    // Meanwhile a colleague answers one of them online (the questionnaire's autosave).
    const colleague = await (await browser.newContext({ locale: 'en' })).newPage()
    await colleague.goto(`${app.url}/v/${token}/questionnaire`)
    await colleague.waitForFunction(() => document.querySelector('[data-testid="save-status"]') !== null)
    await colleague.locator(`[data-question="${conflicted!.id}"]`).locator('input[value="no"]').check()
    await expect.poll(() => colleague.getByTestId('save-status').getAttribute('data-status'), { timeout: 10_000 }).toBe('saved')

    await page.getByTestId('offline-apply').click()
    await page.waitForSelector('[data-testid="offline-applied"]')
    expect(await page.getByTestId('offline-applied').locator('h2').textContent()).toBe('1 answer saved')
    const conflictRow = page.getByTestId(`conflict-${conflicted!.id}`)
    expect(await conflictRow.count()).toBe(1)
    const conflictText = (await conflictRow.textContent())!
    expect(conflictText).toContain('No') // theirs, online
    expect(conflictText).toContain('Yes') // yours, from the workbook
    expect(conflictText).toContain('David Chen') // who saved it online
    await page.screenshot({ path: `${SHOTS}/offline-result.png`, fullPage: true })

    // On the questionnaire after a reload: the offline answer is saved, the colleague's is kept.
    await page.goto(`${app.url}/v/${token}/questionnaire`)
    await page.waitForSelector('[data-question]')
    const q = (id: string) => page.locator(`[data-question="${id}"]`)
    expect(await q(saved!.id).locator('input[value="yes"]').isChecked()).toBe(true)
    expect(await q(conflicted!.id).locator('input[value="no"]').isChecked()).toBe(true)
  })

  it('names the sheet, row and column of an invalid cell in the vendor’s language, and saves nothing', async () => {
    expect(vendorLink, 'the first test ran').not.toBe('')
    const page = await (await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } })).newPage()
    await page.goto(`${vendorLink}/offline`)
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load(readFileSync(`${SHOTS}/downloaded.xlsx`) as unknown as ExcelJS.Buffer)
    const sheet = workbook.worksheets[0]!
    let rowNumber = 0
    sheet.eachRow((row, number) => {
      if (!rowNumber && row.getCell(8).dataValidation?.type === 'list') {
        row.getCell(8).value = 'Maybe'
        rowNumber = number
      }
    })
    await page.getByTestId('offline-file').setInputFiles({ name: 'answers.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: Buffer.from(await workbook.xlsx.writeBuffer()) })
    await page.getByTestId('offline-upload').click()
    await page.waitForSelector('[data-testid="offline-problems"]')
    const problems = (await page.getByTestId('offline-problems').textContent())!
    expect(problems).toMatch(/[\u4e00-\u9fff]/)
    expect(problems).toContain(sheet.name)
    expect(problems).toContain(String(rowNumber))
    expect(await page.getByTestId('offline-preview').count()).toBe(0)
    await page.screenshot({ path: `${SHOTS}/offline-problems-zh.png`, fullPage: true })
  })
})
