// Secrets at rest (the two-factor seeds): AES-256-GCM with TOTP_ENCRYPTION_KEY, a fresh 96-bit IV
// per value, and the owner's id as associated data so a ciphertext copied onto another user's
// record does not decrypt. Format: "v1.<iv>.<tag>.<ciphertext>", base64url parts.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { getEnv } from '~/env.server'

function key(): Buffer {
  const hex = getEnv().TOTP_ENCRYPTION_KEY
  if (!hex) throw new Error('TOTP_ENCRYPTION_KEY is not set (server.ts generates it into the data folder)')
  return Buffer.from(hex, 'hex')
}

export function sealSecret(plain: string, ownerId: string): string {
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', key(), iv)
  cipher.setAAD(Buffer.from(ownerId))
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
  return ['v1', iv, cipher.getAuthTag(), body].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.')
}

/** The plain secret, or null when the value was tampered with, belongs to someone else or another key. */
export function openSecret(sealed: string, ownerId: string): string | null {
  const [version, iv, tag, body] = sealed.split('.')
  if (version !== 'v1' || !iv || !tag || body === undefined) return null
  try {
    const decipher = createDecipheriv('aes-256-gcm', key(), Buffer.from(iv, 'base64url'))
    decipher.setAAD(Buffer.from(ownerId))
    decipher.setAuthTag(Buffer.from(tag, 'base64url'))
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8')
  } catch {
    return null
  }
}
