import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['*.test.ts'],
    reporters: ['default', ['json', { outputFile: '.vitest-report.json' }]],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 30_000,
  },
});
