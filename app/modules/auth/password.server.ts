import { hash, verify } from '@node-rs/argon2'

// Argon2id with the library's defaults (19 MiB, 2 passes): OWASP's recommended floor.
export function hashPassword(password: string): Promise<string> {
  return hash(password)
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password)
  } catch {
    return false
  }
}

// Verifying against this when the e-mail is unknown keeps the response time the same,
// so sign-in does not reveal which addresses have accounts.
let dummyHash: Promise<string> | undefined
export async function burnPasswordCheck(password: string): Promise<void> {
  dummyHash ??= hash('clausewise-timing-equaliser')
  await verifyPassword(await dummyHash, password)
}
