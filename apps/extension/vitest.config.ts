import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';

export default defineConfig({
  // WXT's testing plugin: an in-memory `browser` (storage, runtime) and the build's globals.
  plugins: [WxtVitest()],
  test: {
    include: ['src/**/*.test.{ts,tsx}', 'test/**/*.test.ts'],
    globalSetup: ['./test/build-setup.ts'],
    testTimeout: 20_000,
    // The browser test starts the worker and Chromium: give its hooks room, and run files one at a time.
    hookTimeout: 120_000,
    fileParallelism: false,
    reporters: ['default', ['json', { outputFile: 'test-results/vitest.json' }]],
  },
});
