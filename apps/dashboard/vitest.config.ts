import { defineConfig, mergeConfig } from 'vitest/config';
import viteConfig from './vite.config.js';

export default mergeConfig(
  viteConfig,
  defineConfig({
    test: {
      include: ['test/**/*.test.{ts,tsx}'],
      environment: 'happy-dom',
      setupFiles: ['./test/setup.ts'],
      // One production build, shared by the bundle budget and the browser end-to-end tests.
      globalSetup: ['./test/build.global.ts'],
      testTimeout: 15_000,
      reporters: ['default', ['json', { outputFile: 'test-results/vitest.json' }]],
    },
  }),
);
