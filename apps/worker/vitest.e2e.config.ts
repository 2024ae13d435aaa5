import { defineConfig } from 'vitest/config';

/** Browser end-to-end tests: Node, the real worker under `wrangler dev`, Debian's Chromium (see test/e2e/). */
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    reporters: ['default', ['json', { outputFile: 'test-results/vitest-e2e.json' }]],
  },
});
