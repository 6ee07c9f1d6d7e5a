import { defineConfig } from 'vitest/config';
import { hangGuard } from '../../vitest.shared';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    reporters: ['default', ['json', { outputFile: '.vitest-report.json' }]],
    pool: 'forks',
    ...hangGuard,
  },
});
