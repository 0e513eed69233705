import tsconfigPaths from 'vite-tsconfig-paths'
import { defineConfig } from 'vitest/config'

// Three kinds of tests (shared/STYLE.md): unit (pure modules), integration (a real embedded
// mongo-java-server over a real connection, one database per worker) and e2e (the built app in
// Debian's headless Chromium).
export default defineConfig({
  plugins: [tsconfigPaths()],
  test: {
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/unit/**/*.test.{ts,tsx}'], setupFiles: ['test/support/no-console-error.ts'] },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.{ts,tsx}'],
          globalSetup: ['test/support/global-setup.ts'],
          setupFiles: ['test/support/no-console-error.ts', 'test/support/db-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.{ts,tsx}'],
          globalSetup: ['test/support/global-setup.ts'],
          setupFiles: ['test/support/no-console-error.ts'],
          testTimeout: 90_000,
          hookTimeout: 120_000,
          // One app and one browser at a time: the machine has two cores.
          poolOptions: { forks: { singleFork: true } },
        },
      },
    ],
  },
})
