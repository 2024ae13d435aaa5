declare namespace Cloudflare {
  interface Env {
    TEST_MIGRATIONS: import('cloudflare:test').D1Migration[];
    /** File name → base64 bytes of the videos in test/fixtures. */
    FIXTURES: Record<string, string>;
    /** A second ledger database (vitest.config.ts), for the shard-routing tests. */
    LEDGER_B: D1Database;
  }
}
