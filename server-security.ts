// HTTP hardening in front of the Remix handler (docs/security.md): helmet's headers with a strict
// Content-Security-Policy whose script nonce is fresh per request, and a 403 for state-changing
// requests a browser sends from another site. See docs/decisions/012-helmet-and-csp.md.
import { randomBytes } from 'node:crypto'
import type { Express, NextFunction, Request, Response } from 'express'
import helmet from 'helmet'

/** What every loader and action gets as `context` (read with clientAddressOf, useNonce). */
export interface SecurityContext {
  clientAddress: string
  cspNonce: string
  [key: string]: unknown
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

export function installSecurity(server: Express, { dev, appUrl }: { dev: boolean; appUrl?: string }) {
  const https = /^https:\/\//i.test(appUrl ?? '')
  server.use((_req: Request, res: Response, next: NextFunction) => {
    res.locals.cspNonce = randomBytes(16).toString('base64')
    next()
  })
  server.use(
    helmet({
      // Vite's dev server injects its own inline scripts; the policy is for the built app.
      contentSecurityPolicy: dev
        ? false
        : {
            useDefaults: false,
            directives: {
              defaultSrc: ["'self'"],
              scriptSrc: ["'self'", (_req, res) => `'nonce-${(res as Response).locals.cspNonce}'`],
              scriptSrcAttr: ["'none'"],
              // Charts and a few components set style attributes; no script can run from a style.
              styleSrc: ["'self'", "'unsafe-inline'"],
              imgSrc: ["'self'", 'data:', 'blob:'],
              fontSrc: ["'self'", 'data:'],
              connectSrc: ["'self'"],
              objectSrc: ["'none'"],
              baseUri: ["'self'"],
              formAction: ["'self'"],
              frameAncestors: ["'none'"],
              ...(https ? { upgradeInsecureRequests: [] } : {}),
            },
          },
      strictTransportSecurity: https ? { maxAge: 180 * 24 * 3600 } : false,
      referrerPolicy: { policy: 'same-origin' },
      frameguard: { action: 'deny' },
    }),
  )
  server.use(refuseCrossSiteWrites(appUrl))
  // Routes set nosniff (and the like) on downloads themselves; helmet already did: send it once.
  server.use((_req: Request, res: Response, next: NextFunction) => {
    const append = res.append.bind(res)
    res.append = (field: string, value?: string | string[]) => {
      const current = res.getHeader(field)
      if (typeof value === 'string' && typeof current === 'string' && current.toLowerCase() === value.toLowerCase()) return res
      return append(field, value)
    }
    next()
  })
}

/** A browser tells where a request comes from (Sec-Fetch-Site, Origin); writes only from our own pages. */
function refuseCrossSiteWrites(appUrl: string | undefined) {
  const configured = appUrl ? new URL(appUrl).origin : null
  return (req: Request, res: Response, next: NextFunction) => {
    if (SAFE_METHODS.has(req.method)) return next()
    const site = req.get('sec-fetch-site')
    const origin = req.get('origin')
    const own = `${req.protocol}://${req.get('host')}`
    const crossSite = (site !== undefined && site !== 'same-origin' && site !== 'none') || (origin !== undefined && origin !== own && origin !== configured)
    if (!crossSite) return next()
    res.status(403).type('text/plain').set('Cache-Control', 'no-store').send('Forbidden: this request did not come from a Clausewise page.')
  }
}

export function securityContext(req: Request, res: Response): SecurityContext {
  return { clientAddress: req.socket.remoteAddress ?? 'unknown', cspNonce: String(res.locals.cspNonce ?? '') }
}
