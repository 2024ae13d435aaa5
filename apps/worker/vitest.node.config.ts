import { defineConfig } from 'vitest/config';

/**
 * The worker's tests that run in Node rather than workerd: the code's structure (test/node/) and the browser
 * end-to-end tests against the real worker under `wrangler dev` in Debian's Chromium (test/e2e/).
 */
export default defineConfig({
  test: {
    include: ['test/node/**/*.test.ts', 'test/e2e/**/*.e2e.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    reporters: ['default', ['json', { outputFile: 'test-results/vitest-node.json' }]],
  },
});
