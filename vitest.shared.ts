// The vitest settings every package shares: tests in test/, a JSON report for the root summary,
// forked workers with --expose-gc (lifetime and leak tests), and the error-queue check after each test.
import { defineConfig } from 'vitest/config';

export function packageConfig(options: { setup?: boolean; testTimeout?: number } = {}) {
  return defineConfig({
    test: {
      include: ['test/**/*.test.ts'],
      setupFiles: options.setup === false ? [] : ['./test/support/setup.ts'],
      reporters: ['default', ['json', { outputFile: '.vitest-report.json' }]],
      pool: 'forks',
      poolOptions: { forks: { execArgv: ['--expose-gc'] } },
      testTimeout: options.testTimeout ?? 30_000,
    },
  });
}
