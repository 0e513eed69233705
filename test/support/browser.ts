import { chromium, type Browser, type Page } from 'playwright-core'

// Debian's Chromium, headless, with no background traffic (this machine has no outside network).
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  })
}

export async function signIn(page: Page, baseUrl: string, email: string, password: string) {
  await page.goto(`${baseUrl}/login`)
  await page.locator('input[name="email"]').fill(email)
  await page.locator('input[name="password"]').fill(password)
  await Promise.all([page.waitForURL((url) => !url.pathname.startsWith('/login')), page.locator('button[type="submit"]').last().click()])
}

/** A fetch client that keeps cookies, for role tests over real HTTP. */
export function httpClient(baseUrl: string) {
  let cookie = ''
  async function request(path: string, init: RequestInit = {}) {
    const response = await fetch(baseUrl + path, {
      ...init,
      redirect: 'manual',
      headers: { ...(init.headers as Record<string, string>), cookie: [cookie, (init.headers as Record<string, string> | undefined)?.cookie].filter(Boolean).join('; ') },
    })
    const setCookie = response.headers.getSetCookie()
    for (const entry of setCookie) {
      const [pair] = entry.split(';')
      const [name] = pair!.split('=')
      cookie = [...cookie.split('; ').filter((c) => c && !c.startsWith(`${name}=`)), pair].join('; ')
    }
    return response
  }
  return {
    request,
    async signIn(email: string, password: string) {
      const response = await request('/login', { method: 'POST', body: new URLSearchParams({ email, password, redirectTo: '/' }) })
      if (response.status !== 302) throw new Error(`sign-in failed for ${email}: ${response.status}`)
    },
  }
}
