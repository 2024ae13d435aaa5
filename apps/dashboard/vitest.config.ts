import { defineConfig, mergeConfig } from 'vitest/config';
import viteConfig from './vite.config.js';

export default mergeConfig(
  viteConfig,
  defineConfig({
    test: {
      // Vitest runs everything at '/', which would make import.meta.env.BASE_URL '/': the app's own base keeps
      // the component tests at the addresses the worker serves (/dashboard/…).
      env: { BASE_URL: viteConfig.base! },
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
