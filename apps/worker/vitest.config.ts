import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { STAND_IN_CLIENT_KEY, STAND_IN_CLIENT_SECRET, startTikTokStandIn } from './scripts/tiktok-stand-in.mjs';

// The wrangler config declares SIGNING_SECRET as required; tests use a fixed one.
process.env.SIGNING_SECRET ??= 'test-signing-secret-0123456789abcdef0123456789';

const fixturesDir = fileURLToPath(new URL('./test/fixtures', import.meta.url));
/** The fixture videos and images, base64-encoded, as a binding: tests run inside workerd, which has no file system. */
const fixtures = Object.fromEntries(
  readdirSync(fixturesDir)
    .filter((name) => /\.(mp4|webm|png|jpg|webp)$/.test(name))
    .map((name) => [name, readFileSync(`${fixturesDir}/${name}`).toString('base64')]),
);

/** TikTok's Login Kit and v2 API, our stand-in (scripts/tiktok-stand-in.mjs), for as long as the tests run. */
const tiktok = await startTikTokStandIn({ redirectUris: ['http://api.test/v1/auth/tiktok/callback'], unref: true });

export default defineConfig({
  plugins: [
    cloudflareTest(async () => ({
      wrangler: { configPath: './wrangler.jsonc' },
      miniflare: {
        // A second ledger database (docs/scaling.md): test/shard-routing.test.ts places a creator on it through
        // LEDGER_SHARDS; every other test keeps the deploy's one ledger, the directory's own database (DB).
        d1Databases: { DB: '00000000-0000-0000-0000-000000000000', LEDGER_B: 'ledger-b-test' },
        bindings: {
          ADMIN_EMAILS: 'admin@example.test',
          PAYMENT_PROVIDER: 'test',
          MAIL_PROVIDER: 'outbox',
          FIXTURES: fixtures,
          TIKTOK_CLIENT_KEY: STAND_IN_CLIENT_KEY,
          TIKTOK_CLIENT_SECRET: STAND_IN_CLIENT_SECRET,
          TOKEN_ENCRYPTION_KEY: 'test-token-encryption-key-0123456789abcdef',
          TIKTOK_AUTH_ORIGIN: tiktok.url,
          TIKTOK_API_ORIGIN: tiktok.url,
          TEST_MIGRATIONS: await readD1Migrations(fileURLToPath(new URL('./migrations', import.meta.url))),
        },
      },
    })),
  ],
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Node-side tests (the code's structure, the browser runs) have their own config: vitest.node.config.ts.
    exclude: ['test/node/**', 'test/e2e/**'],
    setupFiles: ['./test/apply-migrations.ts'],
    globalSetup: ['./test/stripe-api-server.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    reporters: ['default', ['json', { outputFile: 'test-results/vitest.json' }]],
  },
});
