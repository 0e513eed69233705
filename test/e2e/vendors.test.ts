import { parse } from 'csv-parse/sync'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildCreditCode } from '~/modules/vendors/credit-code'
import { startApp, TEST_ADMIN, DEMO_PASSWORD, type RunningApp } from '../support/app-server'
import { httpClient, launchBrowser, signIn } from '../support/browser'

let app: RunningApp
let browser: Browser

// The first demo vendor (云汇支付科技有限公司) and a code nobody uses yet.
const TAKEN_CODE = buildCreditCode('310115', 'MA1FL2XK')
const FRESH_CODE = buildCreditCode('310104', 'MA1E2E01')

beforeAll(async () => {
  app = await startApp('vendors')
  browser = await launchBrowser()
})

afterAll(async () => {
  await browser?.close()
  await app?.stop()
})

describe('procurement in the browser', () => {
  it('creates a vendor through the form: browser checks first, the server refuses a duplicate code, then it is in the list', async () => {
    const context = await browser.newContext({ locale: 'zh-CN' })
    const page = await context.newPage()
    const posts: string[] = []
    page.on('request', (request) => {
      if (request.method() === 'POST' && new URL(request.url()).pathname.startsWith('/vendors/new')) posts.push(request.url())
    })
    await signIn(page, app.url, 'procurement@clausewise.local', DEMO_PASSWORD)
    await page.goto(`${app.url}/vendors/new`)
    await page.waitForFunction(() => document.querySelector('[data-testid="vendor-form"]') !== null)

    // 1. The browser's own check: every problem at once, nothing posted.
    await page.locator('input[name="creditCode"]').fill('91440300708461136A')
    await page.getByRole('button', { name: '创建合作机构' }).click()
    await expect.poll(() => page.locator('input[name="creditCode"]').getAttribute('aria-invalid')).toBe('true')
    expect(await page.getByText('该代码的校验位不正确，请检查是否输入有误。').count()).toBe(1)
    expect(await page.getByText('境内注册的合作机构请填写中文法定名称。').count()).toBe(1)
    expect(await page.locator('select[name="category"]').getAttribute('aria-invalid')).toBe('true')
    expect(posts).toEqual([])

    // 2. A complete form with a code another vendor has: the server refuses it on the field.
    await page.locator('input[name="legalName.zh-CN"]').fill('端到端测试数据服务有限公司')
    await page.locator('input[name="legalName.en"]').fill('E2E Test Data Services Co., Ltd.')
    await page.locator('input[name="creditCode"]').fill(TAKEN_CODE.toLowerCase())
    await page.locator('select[name="category"]').selectOption('cloud_it')
    await page.getByRole('button', { name: '添加联系人' }).click()
    await page.locator('input[name="contacts.0.name"]').fill('测试联系人')
    await page.locator('input[name="contacts.0.email"]').fill('contact@e2e-vendor.example')
    await page.locator('input[name="dataProfile.piCategories"][value="identity"]').check()
    await page.locator('input[name="dataProfile.piCategories"][value="contact"]').check()
    await page.locator('select[name="dataProfile.sensitivity"]').selectOption('C2')
    await page.locator('input[name="dataProfile.recordCount"]').fill('120,000')
    // The tier preview follows the profile as it is typed: C2 of 120,000 customers is tier 2.
    await expect.poll(() => page.getByTestId('tier-preview').getByTestId('tier-badge').getAttribute('data-tier')).toBe('2')
    await page.getByRole('button', { name: '创建合作机构' }).click()
    await expect.poll(() => page.getByText('已存在使用该统一社会信用代码的合作机构。').count()).toBe(1)
    expect(posts).toHaveLength(1)
    expect(new URL(page.url()).pathname).toBe('/vendors/new')

    // 3. A fresh code: saved, and shown with its computed tier.
    await page.locator('input[name="creditCode"]').fill(FRESH_CODE)
    await Promise.all([page.waitForURL(/\/vendors\/[0-9a-f]{24}$/), page.getByRole('button', { name: '创建合作机构' }).click()])
    // The message the redirect left, shown once on the page it led to.
    await expect.poll(() => page.getByTestId('flash').textContent()).toContain('已创建合作机构。')
    const vendorPage = page.url()
    expect(await page.getByTestId('vendor-name').textContent()).toBe('端到端测试数据服务有限公司')
    expect(await page.getByTestId('tier-card').getByTestId('tier-badge').first().getAttribute('data-tier')).toBe('2')
    expect(await page.getByTestId('vendor-contacts').textContent()).toContain('contact@e2e-vendor.example')
    await page.reload()
    expect(await page.getByTestId('vendor-name').textContent()).toBe('端到端测试数据服务有限公司')
    expect(await page.getByTestId('flash').count(), 'a reload does not show the message again').toBe(0)
    expect(vendorPage).toBe(page.url())

    // 4. Found in the list by part of its English name and by its code.
    for (const search of ['e2e test', FRESH_CODE.slice(0, 10)]) {
      await page.goto(`${app.url}/vendors`)
      await page.locator('input[name="q"]').fill(search)
      await Promise.all([page.waitForURL(/q=/), page.locator('input[name="q"]').press('Enter')])
      await expect.poll(() => page.getByTestId('vendor-row').count()).toBe(1)
      expect(await page.getByTestId('vendor-row').textContent()).toContain('端到端测试数据服务有限公司')
    }
    await context.close()
  })

  it('filters by tier and keeps the filters in the URL', async () => {
    const context = await browser.newContext({ locale: 'en-US' })
    const page = await context.newPage()
    await signIn(page, app.url, 'viewer@clausewise.local', DEMO_PASSWORD)
    await page.goto(`${app.url}/vendors?lng=en`)
    await Promise.all([page.waitForURL(/tier=4/), page.locator('select[name="tier"]').selectOption('4')])
    await expect.poll(async () => new Set(await page.getByTestId('vendor-row').getByTestId('tier-badge').evaluateAll((badges) => badges.map((b) => b.getAttribute('data-tier'))))).toEqual(new Set(['4']))
    expect(await page.getByTestId('vendor-row').count()).toBeGreaterThan(0)
    // A viewer sees no write actions.
    expect(await page.getByRole('link', { name: 'New vendor' }).count()).toBe(0)
    await context.close()
  })
})

describe('vendor pages over HTTP', () => {
  it('guards each page by role', async () => {
    const accounts = {
      admin: TEST_ADMIN,
      procurement: { email: 'procurement@clausewise.local', password: DEMO_PASSWORD },
      viewer: { email: 'viewer@clausewise.local', password: DEMO_PASSWORD },
    }
    const expected: [string, Record<keyof typeof accounts, number>][] = [
      ['/vendors', { admin: 200, procurement: 200, viewer: 200 }],
      ['/vendors/new', { admin: 200, procurement: 200, viewer: 403 }],
      ['/vendors/import', { admin: 200, procurement: 200, viewer: 403 }],
      ['/vendors/import-template.csv', { admin: 200, procurement: 200, viewer: 403 }],
      ['/vendors/export.csv', { admin: 200, procurement: 200, viewer: 200 }],
    ]
    for (const [role, account] of Object.entries(accounts) as [keyof typeof accounts, { email: string; password: string }][]) {
      const client = httpClient(app.url)
      await client.signIn(account.email, account.password)
      for (const [path, statuses] of expected) {
        expect({ role, path, status: (await client.request(path)).status }).toEqual({ role, path, status: statuses[role] })
      }
    }
    expect((await httpClient(app.url).request('/vendors')).status).toBe(302)
    const client = httpClient(app.url)
    await client.signIn('procurement@clausewise.local', DEMO_PASSWORD)
    expect((await client.request('/vendors/0123456789abcdef01234567')).status).toBe(404)
    expect((await client.request('/vendors/not-an-id')).status).toBe(404)
  })

  it('refuses a tier override from procurement, and answers a form posted without JavaScript with 400 and field messages', async () => {
    const client = httpClient(app.url)
    await client.signIn('procurement@clausewise.local', DEMO_PASSWORD)
    const csv = await (await client.request('/vendors/export.csv?q=云汇')).text()
    const [header, row] = parse(csv, { bom: true }) as string[][]
    expect(row![header!.indexOf('统一社会信用代码')]).toBe(TAKEN_CODE)
    const list = await (await client.request('/vendors?q=云汇')).text()
    const vendorId = /\/vendors\/([0-9a-f]{24})/.exec(list)![1]
    const override = await client.request(`/vendors/${vendorId}/tier`, { method: 'POST', body: new URLSearchParams({ tier: '4', justification: 'Trying to lower it without the right.', version: '0' }) })
    expect(override.status).toBe(403)

    const body = new URLSearchParams({ registration: 'domestic', 'legalName.zh-CN': '', creditCode: '123', category: 'bakery', status: 'active', 'dataProfile.sensitivity': 'C2', 'dataProfile.recordCount': 'many', 'dataProfile.serviceCriticality': 'standard' })
    const response = await client.request('/vendors/new?lng=en', { method: 'POST', body })
    expect(response.status).toBe(400)
    const html = await response.text()
    expect(html).toContain('A unified social credit code has 18 characters.')
    expect(html).toContain('Enter the Chinese legal name of a vendor registered in mainland China.')
    expect(html).toContain('Choose one of the listed options.')
    expect(html).not.toMatch(/at .*\.(ts|js):\d+/)
  })

  it('exports the filtered list as CSV with a BOM, and refuses a garbage upload with a clear message', async () => {
    const client = httpClient(app.url)
    await client.signIn('procurement@clausewise.local', DEMO_PASSWORD)
    const response = await client.request('/vendors/export.csv?tier=4&lng=en')
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8')
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="vendors-\d{4}-\d{2}-\d{2}\.csv"/)
    const bytes = new Uint8Array(await response.arrayBuffer())
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const [header, ...rows] = parse(Buffer.from(bytes), { bom: true }) as string[][]
    expect(rows.length).toBeGreaterThan(0)
    expect(rows.every((row) => row[header!.indexOf('Tier in force')] === '4')).toBe(true)

    const form = new FormData()
    form.set('file', new Blob([new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x2d, 0x31, 0x2e, 0x34, 0x0a, 0x25, 0xe2, 0xe3, 0xcf, 0xd3])], { type: 'text/csv' }), 'vendors.csv')
    const upload = await client.request('/vendors/import?lng=en', { method: 'POST', body: form })
    expect(upload.status).toBe(400)
    expect(await upload.text()).toContain('This is not a CSV text file (it looks like PDF).')
  })
})
