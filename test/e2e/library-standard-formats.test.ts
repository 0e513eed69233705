// Importing a VSAQ questionnaire in headless Chromium against the built app: a file with a broken
// condition is refused naming the item; the fixture and its extension become a draft whose page
// shows the sections added and the tips to map; the drafts list shows it.
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeFile } from 'node:fs/promises'
import { DEMO_PASSWORD, startApp, type RunningApp } from '../support/app-server'
import { launchBrowser, signIn } from '../support/browser'

const SHOTS = '/tmp/library-standard-formats'
const FIXTURES = path.resolve(__dirname, '../fixtures/vsaq')
let app: RunningApp
let browser: Browser

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true })
  app = await startApp('library-standard-formats')
  browser = await launchBrowser()
})

afterAll(async () => {
  await browser?.close()
  await app?.stop()
})

describe('importing a VSAQ questionnaire', () => {
  it('refuses a broken condition naming the item, then imports the fixture as a draft', async () => {
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } })
    const page = await context.newPage()
    await signIn(page, app.url, 'compliance@clausewise.local', DEMO_PASSWORD)
    await page.goto(`${app.url}/library/drafts`)

    const broken = `${SHOTS}/broken.json`
    await writeFile(broken, JSON.stringify({ questionnaire: [{ type: 'block', id: 'main', text: 'Main', items: [{ type: 'yesno', id: 'a', text: 'A?' }, { type: 'line', id: 'b', text: 'B', cond: 'a ||' }] }] }))
    await page.getByTestId('import-file').setInputFiles(broken)
    await page.getByTestId('import-questionnaire-id').fill('vendor-security')
    await page.getByTestId('import-submit').click()
    await page.getByTestId('import-problems').waitFor()
    const cells = await page.getByTestId('import-problems').locator('tbody tr').first().locator('td').allTextContents()
    expect(cells[0]).toBe('b')
    expect(cells[4]).toContain('“a ||” cannot be read at character 5')
    await page.screenshot({ path: `${SHOTS}/vsaq-problems.png`, fullPage: true })
    expect(await page.getByTestId('draft-list').count()).toBe(0)

    await page.getByTestId('import-file').setInputFiles([path.join(FIXTURES, 'vendor-security.json'), path.join(FIXTURES, 'vendor-security-extension.json')])
    await page.getByTestId('import-format').selectOption('vsaq')
    await page.getByTestId('import-questionnaire-id').fill('vendor-security')
    await page.getByTestId('import-submit').click()
    await page.getByTestId('library-draft').waitFor()
    expect(await page.getByTestId('questions-added').textContent()).toContain('VENDOR-SECURITY-ENCRYPTION-GAP')
    expect(await page.getByTestId('draft-suggestions').textContent()).toContain('Data at rest should be encrypted.')
    expect(await page.getByTestId('draft-untranslated').textContent()).toMatch(/\d+ texts came in English only/)
    await page.screenshot({ path: `${SHOTS}/vsaq-draft.png`, fullPage: true })

    await page.goto(`${app.url}/library/drafts`)
    expect(await page.getByTestId('draft-list').textContent()).toContain('vendor-security version 1 (draft)')
    await page.screenshot({ path: `${SHOTS}/drafts-with-vsaq.png`, fullPage: true })
    await context.close()
  })
})
