// Clause-library publishing in headless Chromium against the built app: the compliance officer
// downloads the clause library, changes a clause's severity with exceljs, uploads it, sees the
// difference and cannot publish; the administrator publishes and the clause library serves it.
import { mkdirSync } from 'node:fs'
import { readFile, writeFile } from 'node:fs/promises'
import ExcelJS from 'exceljs'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_PASSWORD, startApp, TEST_ADMIN, type RunningApp } from '../support/app-server'
import { launchBrowser, signIn } from '../support/browser'

const SHOTS = '/tmp/clause-library-drafts'
let app: RunningApp
let browser: Browser

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true })
  app = await startApp('clause-library-drafts')
  browser = await launchBrowser()
})

afterAll(async () => {
  await browser?.close()
  await app?.stop()
})

describe('publishing an edited clause-library workbook', () => {
  it('export, edit, upload as a draft, four-eyes publish', async () => {
    const compliance = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 }, acceptDownloads: true })
    const page = await compliance.newPage()
    await signIn(page, app.url, 'compliance@clausewise.local', DEMO_PASSWORD)
    await page.goto(`${app.url}/library/clauses`)
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-clauses').click()])
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load((await readFile((await download.path())!)) as unknown as ExcelJS.Buffer)
    const clauses = workbook.getWorksheet('Clauses')!
    const changedId = String(clauses.getRow(2).getCell(1).value)
    clauses.getRow(2).getCell(2).value = clauses.getRow(2).getCell(2).value === 'critical' ? 'low' : 'critical'
    const edited = `${SHOTS}/edited.xlsx`
    await writeFile(edited, Buffer.from(await workbook.xlsx.writeBuffer()))

    await page.getByTestId('import-clauses').click()
    await page.getByTestId('clause-library-import').waitFor()
    await page.getByTestId('import-file').setInputFiles(edited)
    await Promise.all([page.waitForURL(/\/library\/drafts\/[0-9a-f]{24}$/), page.getByTestId('import-submit').click()])
    const draftUrl = page.url()
    expect(await page.getByTestId('clauses-changed').textContent()).toContain(`${changedId}: severity`)
    expect(await page.getByTestId('clauses-added').count()).toBe(0)
    expect(await page.getByTestId('publish').isDisabled()).toBe(true)
    await page.screenshot({ path: `${SHOTS}/draft-uploader.png`, fullPage: true })

    const admin = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } })
    const adminPage = await admin.newPage()
    await signIn(adminPage, app.url, TEST_ADMIN.email, TEST_ADMIN.password)
    await adminPage.goto(draftUrl)
    await Promise.all([adminPage.waitForURL('**/library/clauses'), adminPage.getByTestId('publish').click()])
    await adminPage.getByTestId('clause-library').waitFor()
    expect(await adminPage.getByTestId('clause-library').textContent()).toContain('library version 2')
    await adminPage.screenshot({ path: `${SHOTS}/published.png` })
    await compliance.close()
    await admin.close()
  }, 90_000)
})
