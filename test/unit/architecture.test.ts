import { readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'

// Remix keeps *.server.ts out of the browser bundle, but cannot police imports of models/ or of
// Node-only libraries from other files. This test is that lint rule.
const root = path.resolve(__dirname, '../..')

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name)
    return statSync(full).isDirectory() ? filesUnder(full) : /\.(ts|tsx)$/.test(name) ? [full] : []
  })
}

const SERVER_ONLY = [/from ['"]~models\//, /from ['"](\.\.\/)+models\//, /from ['"]mongoose['"]/, /from ['"]nodemailer['"]/, /from ['"]node:/, /from ['"]pdfkit['"]/]
const isServerFile = (file: string) => /\.server\.tsx?$/.test(file) || file.includes(`${path.sep}.server${path.sep}`)

describe('architecture', () => {
  const appFiles = filesUnder(path.join(root, 'app'))

  it('only *.server.ts files in app/ import models, mongoose or Node-only modules', () => {
    const offenders = appFiles
      .filter((file) => !isServerFile(file))
      .flatMap((file) => {
        const source = readFileSync(file, 'utf8')
        // Route modules may import server code only through `*.server` modules; Remix strips loaders and actions.
        return SERVER_ONLY.filter((pattern) => pattern.test(source)).map((pattern) => `${path.relative(root, file)} ${pattern}`)
      })
    expect(offenders).toEqual([])
  })

  it('pure domain modules (no .server suffix) under app/modules do no I/O', () => {
    const pure = appFiles.filter((file) => file.includes(`${path.sep}modules${path.sep}`) && !isServerFile(file))
    const offenders = pure.filter((file) => /from ['"](~\/db\.server|~\/env\.server)['"]/.test(readFileSync(file, 'utf8')))
    expect(offenders.map((file) => path.relative(root, file))).toEqual([])
  })
})
