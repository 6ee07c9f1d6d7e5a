// The vitest settings every package shares: tests in test/, a JSON report for the root summary,
// forked workers with --expose-gc (lifetime and leak tests), and the error-queue check after each test.
import { defineConfig } from 'vitest/config';

/**
 * Timeouts that only catch a hang: no test may fail because the machine is slow or busy (tests bound
 * their work by count, never by time), so these are far above what any test takes on a loaded machine.
 */
export const hangGuard = { testTimeout: 600_000, hookTimeout: 300_000 };

export function packageConfig(options: { setup?: boolean } = {}) {
  return defineConfig({
    test: {
      include: ['test/**/*.test.ts'],
      setupFiles: options.setup === false ? [] : ['./test/support/setup.ts'],
      reporters: ['default', ['json', { outputFile: '.vitest-report.json' }]],
      pool: 'forks',
      poolOptions: { forks: { execArgv: ['--expose-gc'] } },
      ...hangGuard,
    },
  });
}
