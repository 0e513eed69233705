import type { TestProject } from 'vitest/node'
import { startEmbeddedMongo } from '../../scripts/embedded-db/launch'

// One in-memory mongo-java-server per test run; each worker and each app under test takes
// its own database on it.
export default async function setup(project: TestProject) {
  const mongo = await startEmbeddedMongo()
  project.provide('mongoUri', mongo.uri)
  return () => mongo.stop()
}

declare module 'vitest' {
  export interface ProvidedContext {
    mongoUri: string
  }
}
