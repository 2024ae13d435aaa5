import { applyD1Migrations } from 'cloudflare:test';
import { env } from 'cloudflare:workers';

// Setup files run before each test file; applying is idempotent (applied migrations are recorded).
await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
// The second ledger database of the shard-routing tests has the same schema, as every shard would.
await applyD1Migrations(env.LEDGER_B, env.TEST_MIGRATIONS);
