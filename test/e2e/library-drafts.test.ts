// Library publishing in headless Chromium against the built app: the demo compliance officer
// downloads the baseline workbook, removes a question with exceljs, uploads it, sees the
// difference and cannot publish their own draft; the administrator publishes it (four-eyes).
import { mkdirSync } from 'node:fs'
import { readFile, writeFile } from 'node:fs/promises'
import ExcelJS from 'exceljs'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { exportQuestionnaireWorkbook } from '~/modules/library/formats/workbook-export.server'
import { loadLibrary, type Library } from '~/modules/library/library.server'
import { DEMO_PASSWORD, startApp, TEST_ADMIN, type RunningApp } from '../support/app-server'
import { launchBrowser, signIn } from '../support/browser'

const SHOTS = '/tmp/library-drafts'
let app: RunningApp
let browser: Browser
let library: Library

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true })
  library = loadLibrary()
  app = await startApp('library-drafts')
  browser = await launchBrowser()
})

afterAll(async () => {
  await browser?.close()
  await app?.stop()
})

describe('publishing an edited questionnaire workbook', () => {
  it('an upload from a questionnaire’s page refuses another questionnaire’s workbook, naming both', async () => {
    const baseline = library.latest.find((questionnaire) => questionnaire.id === 'baseline')!
    const supplement = library.latest.find((questionnaire) => questionnaire.id === 'payment-supplement')!
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } })
    const page = await context.newPage()
    await signIn(page, app.url, 'compliance@clausewise.local', DEMO_PASSWORD)
    await page.goto(`${app.url}/library/${baseline.id}/${baseline.version}`)
    const form = page.getByTestId('import-from-questionnaire')
    await form.waitFor()
    await page.screenshot({ path: `${SHOTS}/questionnaire-upload-form.png` })
    const other = `${SHOTS}/${supplement.id}.xlsx`
    await writeFile(other, await exportQuestionnaireWorkbook(supplement, library.clauseLibrary))
    await form.locator('input[type="file"]').setInputFiles(other)
    await Promise.all([page.waitForURL(/\/library\/drafts$/), form.locator('button[type="submit"]').click()])
    await page.getByTestId('import-problems').waitFor()
    const cells = await page.getByTestId('import-problems').locator('tbody tr').first().locator('td').allTextContents()
    expect(cells).toEqual(['Questionnaire', '2', 'B', `This workbook is for questionnaire ${supplement.id}, not ${baseline.id}.`])
    expect(await page.getByTestId('draft-list').count()).toBe(0)
    await page.screenshot({ path: `${SHOTS}/questionnaire-upload-refused.png`, fullPage: true })
    await context.close()
  }, 60_000)

  it('export, edit, upload as a draft, four-eyes publish', async () => {
    const baseline = library.latest.find((questionnaire) => questionnaire.id === 'baseline')!
    const compliance = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 }, acceptDownloads: true })
    const page = await compliance.newPage()
    await signIn(page, app.url, 'compliance@clausewise.local', DEMO_PASSWORD)
    await page.goto(`${app.url}/library`)
    await page.getByTestId('library-drafts-link').waitFor()

    // A file that is not a workbook is refused with a reason and nothing is stored.
    await page.goto(`${app.url}/library/drafts`)
    const notWorkbook = `${SHOTS}/not-a-workbook.xlsx`
    await writeFile(notWorkbook, 'question,answer\nGOV-01,yes\n')
    await page.getByTestId('import-file').setInputFiles(notWorkbook)
    await page.getByTestId('import-submit').click()
    await page.getByTestId('import-problems').waitFor()
    expect(await page.getByTestId('import-problems').textContent()).toContain('not an Excel workbook')
    expect(await page.getByTestId('draft-list').count()).toBe(0)

    // Download the current baseline from its page.
    await page.goto(`${app.url}/library/${baseline.id}/${baseline.version}`)
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-questionnaire').click()])
    expect(download.suggestedFilename()).toBe(`${baseline.id}-v${baseline.version}.xlsx`)
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load((await readFile((await download.path())!)) as unknown as ExcelJS.Buffer)

    // A wrong cell is reported with its sheet, row and column, and nothing is stored.
    const firstEffect = workbook.getWorksheet('Options')!.getCell('E2')
    const original = firstEffect.value
    firstEffect.value = 'NOPE-99'
    const broken = `${SHOTS}/broken.xlsx`
    await writeFile(broken, Buffer.from(await workbook.xlsx.writeBuffer()))
    firstEffect.value = original
    await page.goto(`${app.url}/library/drafts`)
    await page.getByTestId('import-file').setInputFiles(broken)
    await page.getByTestId('import-submit').click()
    await page.getByTestId('import-problems').waitFor()
    const cells = await page.getByTestId('import-problems').locator('tbody tr').first().locator('td').allTextContents()
    expect(cells.slice(0, 3)).toEqual(['Options', '2', 'E'])
    expect(cells[3]).toContain('NOPE-99')
    await page.screenshot({ path: `${SHOTS}/import-problems.png`, fullPage: true })
    expect(await page.getByTestId('draft-list').count()).toBe(0)

    // Remove the last question of the first section and its option rows.
    const questions = workbook.getWorksheet('Questions')!
    const options = workbook.getWorksheet('Options')!
    const removedId = String(questions.getRow(3).getCell(2).value)
    expect(baseline.sections[0]!.questions.map((question) => question.id)).toContain(removedId)
    questions.spliceRows(3, 1)
    for (let row = options.rowCount; row >= 2; row--) if (options.getRow(row).getCell(1).value === removedId) options.spliceRows(row, 1)
    const edited = `${SHOTS}/edited.xlsx`
    await writeFile(edited, Buffer.from(await workbook.xlsx.writeBuffer()))

    await page.goto(`${app.url}/library/drafts`)
    await page.getByTestId('import-file').setInputFiles(edited)
    await Promise.all([page.waitForURL(/\/library\/drafts\/[0-9a-f]{24}$/), page.getByTestId('import-submit').click()])
    const draftUrl = page.url()
    expect(await page.getByTestId('questions-removed').textContent()).toContain(removedId)
    expect(await page.getByTestId('questions-added').count()).toBe(0)
    expect(await page.getByTestId('mappings-changed').count()).toBe(0)
    // The uploader may not publish: the button is disabled with the reason.
    expect(await page.getByTestId('publish').isDisabled()).toBe(true)
    expect(await page.getByTestId('publish-refusal').textContent()).toContain('someone else must publish')
    await page.screenshot({ path: `${SHOTS}/draft-uploader.png`, fullPage: true })

    // The server refuses too, whatever the browser sends.
    const forced = await page.evaluate(async () => {
      const response = await fetch(location.pathname, { method: 'POST', body: new URLSearchParams({ intent: 'publish' }) })
      return response.status
    })
    expect(forced).toBe(409)

    // The drafts list shows it with its uploader and source version.
    await page.goto(`${app.url}/library/drafts`)
    const listed = await page.getByTestId('draft-list').textContent()
    expect(listed).toContain(`${baseline.id} version ${baseline.version + 1}`)
    expect(listed).toContain(`Version ${baseline.version}`)

    // Someone else publishes it.
    const admin = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } })
    const adminPage = await admin.newPage()
    await signIn(adminPage, app.url, TEST_ADMIN.email, TEST_ADMIN.password)
    await adminPage.goto(draftUrl)
    expect(await adminPage.getByTestId('publish').isDisabled()).toBe(false)
    await adminPage.screenshot({ path: `${SHOTS}/draft-reviewer.png`, fullPage: true })
    await Promise.all([adminPage.waitForURL(`**/library/${baseline.id}/${baseline.version + 1}`), adminPage.getByTestId('publish').click()])
    await adminPage.getByTestId('questionnaire-preview').waitFor()
    await adminPage.screenshot({ path: `${SHOTS}/published.png` })
    const questionCount = baseline.sections.reduce((sum, section) => sum + section.questions.length, 0)
    expect(await adminPage.getByTestId('question').count()).toBe(questionCount - 1)
    expect(await adminPage.locator(`li[id="${removedId}"]`).count()).toBe(0)

    // The new version is listed as current and the draft is no longer open.
    await page.goto(`${app.url}/library`)
    expect(await page.getByTestId(`export-${baseline.id}-${baseline.version + 1}`).count()).toBe(1)
    await page.goto(`${app.url}/library/drafts`)
    expect(await page.getByTestId('draft-list').count()).toBe(0)

    // The clause library downloads as a workbook too.
    await page.goto(`${app.url}/library/clauses`)
    const [clauses] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-clauses').click()])
    const clauseBook = new ExcelJS.Workbook()
    await clauseBook.xlsx.load((await readFile((await clauses.path())!)) as unknown as ExcelJS.Buffer)
    expect(clauseBook.worksheets.length).toBeGreaterThan(0)
    await admin.close()
    await compliance.close()
  }, 120_000)
})
