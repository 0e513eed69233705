// Fetches mongo-java-server 1.47.0 and its dependencies from Maven Central into .tools/,
// so the app can run without a MongoDB deployment. Skipped when the jars are already there.
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, readdirSync, mkdirSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const libDir = path.join(root, '.tools', 'mongo-java-server', 'lib')
const pom = path.join(root, 'scripts', 'embedded-db', 'pom.xml')

const have = (cmd) => spawnSync(cmd, ['-version'], { stdio: 'ignore' }).status === 0
const installed = () =>
  existsSync(libDir) && readdirSync(libDir).some((f) => f.startsWith('mongo-java-server-h2-backend-1.47.0'))

if (installed()) {
  console.log('[clausewise] embedded database jars already present')
} else if (!have('java') || !have('mvn')) {
  console.warn(
    '[clausewise] Java 17+ and Maven were not found, so the embedded database was not installed: install them (e.g. apt-get install default-jdk-headless maven) or set MONGODB_URI.',
  )
} else {
  mkdirSync(libDir, { recursive: true })
  console.log('[clausewise] fetching mongo-java-server 1.47.0 with Maven…')
  execFileSync('mvn', ['-q', '-B', '-f', pom, 'dependency:copy-dependencies', `-DoutputDirectory=${libDir}`], {
    stdio: 'inherit',
  })
  console.log(`[clausewise] embedded database installed in ${path.relative(root, libDir)}`)
}
