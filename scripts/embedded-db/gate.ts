// While the embedded database is down (the supervisor is restarting it), every request that would
// need it is answered at once: 503 with Retry-After, a calm page in both languages for pages, JSON
// for fetches (autosave, uploads, Remix data requests). Static assets are served before this runs.
import type { NextFunction, Request, Response } from 'express'
import type { DatabaseState } from './supervisor'

export const RETRY_AFTER_SECONDS = 5

const message = {
  'zh-CN': '数据库正在重新启动，几秒钟后即可恢复。您已保存的内容不会丢失，请稍后重试。',
  en: 'The database is restarting and will be back in a few seconds. Nothing you have saved is lost; please try again shortly.',
}

const page = `<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="${RETRY_AFTER_SECONDS}">
<title>请稍候 · Please wait — Clausewise</title>
<style>
body{font-family:system-ui,-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;background:#f6f7f9;color:#1f2933;margin:0;display:flex;min-height:100vh;align-items:center;justify-content:center}
main{background:#fff;border:1px solid #e1e4e8;border-radius:8px;padding:2rem 2.5rem;max-width:34rem;line-height:1.6}
h1{font-size:1.25rem;margin:0 0 1rem}
p{margin:.5rem 0}
</style>
</head>
<body>
<main>
<h1>请稍候 · Please wait</h1>
<p lang="zh-CN">${message['zh-CN']}</p>
<p lang="en">${message.en}</p>
<p lang="zh-CN">本页面将在 ${RETRY_AFTER_SECONDS} 秒后自动刷新。</p>
<p lang="en">This page reloads by itself in ${RETRY_AFTER_SECONDS} seconds.</p>
</main>
</body>
</html>
`

/** JSON for fetch/resource requests (Remix `_data` requests, JSON, text or multipart bodies sent by fetch, JSON accepted), HTML for pages. */
function wantsJson(req: Request): boolean {
  if ('_data' in req.query) return true
  if ((req.headers.accept ?? '').includes('text/html')) return false // a browser navigation or form post
  if (req.is(['application/json', 'text/plain', 'multipart/form-data'])) return true
  return req.accepts(['html', 'json']) === 'json'
}

/**
 * database: the supervisor (its state, and how many restarts it has made). A request that was under
 * way when the database died, or while it hangs (stopped, or its liveness pings unanswered), fails
 * inside the app (a 5xx after the driver's short timeout, or when the hung process is killed); its
 * status becomes 503 with Retry-After as well, so clients see one kind of "try again".
 */
// Just after a restart the driver can still hand out a pooled connection to the old process; the
// first use of each fails once. Those failures are "try again" too.
const SETTLING_MS = 10_000

export function databaseGate(database: { readonly state: DatabaseState; readonly restarts: number; readonly running: boolean; readonly answering?: boolean; readonly upSince?: number }) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (database.state === 'up') {
      const restarts = database.restarts
      const writeHead = res.writeHead
      res.writeHead = function (this: Response, statusCode: number, ...rest: unknown[]) {
        const settling = database.restarts > 0 && Date.now() - (database.upSince ?? 0) < SETTLING_MS
        const failing = database.state !== 'up' || database.restarts !== restarts || !database.running || database.answering === false
        if (statusCode >= 500 && statusCode !== 503 && (failing || settling)) {
          statusCode = 503
          this.statusMessage = 'Service Unavailable'
          if (typeof rest[0] === 'string') rest[0] = 'Service Unavailable'
          this.setHeader('Retry-After', String(RETRY_AFTER_SECONDS))
        }
        return (writeHead as (...args: unknown[]) => Response).call(this, statusCode, ...rest)
      } as typeof res.writeHead
      return next()
    }
    res.status(503)
    res.set({ 'Retry-After': String(RETRY_AFTER_SECONDS), 'Cache-Control': 'no-store' })
    if (wantsJson(req)) {
      res.json({ ok: false, unavailable: true, retryAfter: RETRY_AFTER_SECONDS, message })
    } else {
      res.type('html').send(page)
    }
  }
}
