// Starts the real worker under `wrangler dev` on a fresh local D1 + R2 (migrations applied, demo data seeded)
// for browser end-to-end tests and benchmarks. Usage:
//   import { startWorker } from '@series/worker/test-server';
//   const worker = await startWorker();   // { url, port, state, stop() }
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedLocal } from './seed.mjs';
import { STAND_IN_CLIENT_KEY, STAND_IN_CLIENT_SECRET, startTikTokStandIn } from './tiktok-stand-in.mjs';

const workerDir = new URL('..', import.meta.url).pathname;
const wranglerEnv = () => ({ ...process.env, WRANGLER_SEND_METRICS: 'false' });

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** A fresh local state folder with migrations applied and (unless `seed: false`) the demo data. Timed. */
export async function prepareState({ seed = true } = {}) {
  const state = mkdtempSync(join(tmpdir(), 'series-worker-'));
  const opts = { cwd: workerDir, stdio: ['ignore', 'ignore', 'inherit'], env: wranglerEnv() };
  // The storefront's page script is generated source the worker imports (src/storefront/client.gen.ts).
  execFileSync(process.execPath, ['scripts/build-client.mjs'], opts);
  let t = performance.now();
  execFileSync('wrangler', ['d1', 'migrations', 'apply', 'DB', '--local', `--persist-to=${state}`], opts);
  const migrateMs = performance.now() - t;
  t = performance.now();
  if (seed) await seedLocal({ persistTo: state });
  const seedMs = performance.now() - t;
  return { state, migrateMs, seedMs };
}

/** The SQLite file behind the local D1 binding in a state folder (for bulk seeding and ledger checks). */
export function d1File(state) {
  const dir = join(state, 'v3', 'd1', 'miniflare-D1DatabaseObject');
  const file = readdirSync(dir).find((f) => f.endsWith('.sqlite') && f !== 'metadata.sqlite');
  if (!file) throw new Error(`no D1 database in ${dir}`);
  return join(dir, file);
}

/** Optional settings wrangler does not load from an env file: TikTok's, and tax (`TEST_TAX_RATES`, `STRIPE_TAX`). */
const OPTIONAL_SETTINGS = ['TOKEN_ENCRYPTION_KEY', 'TEST_TAX_RATES', 'STRIPE_TAX'];

/** `--var NAME:value` for the optional TikTok and tax settings (see startDev). */
export const tiktokVarFlags = (vars) =>
  Object.entries(vars)
    .filter(([k]) => k.startsWith('TIKTOK_') || OPTIONAL_SETTINGS.includes(k))
    .flatMap(([k, v]) => ['--var', `${k}:${v}`]);

/** Runs `wrangler dev` on a prepared state folder until `stop()`. */
export async function startDev(state, { port, vars = {} } = {}) {
  port ??= await freePort();
  const envFile = join(state, '.dev.vars');
  const allVars = {
    SIGNING_SECRET: 'e2e-signing-secret-0123456789abcdef0123456789',
    ADMIN_EMAILS: 'admin@series.test',
    PAYMENT_PROVIDER: 'test',
    MAIL_PROVIDER: 'outbox',
    ...vars,
  };
  writeFileSync(
    envFile,
    Object.entries(allVars)
      .map(([k, v]) => `${k}=${v}`)
      .join('\n') + '\n',
  );
  const child = spawn(
    'wrangler',
    [
      'dev',
      '--port',
      String(port),
      '--ip',
      '127.0.0.1',
      `--persist-to=${state}`,
      `--env-file=${envFile}`,
      '--show-interactive-dev-session=false',
      '--log-level=warn',
      // wrangler loads from the env file only the declared vars and required secrets (wrangler.jsonc `secrets`):
      // the optional TikTok and tax settings are passed as variables.
      ...tiktokVarFlags(allVars),
    ],
    { cwd: workerDir, stdio: ['ignore', 'ignore', 'inherit'], env: wranglerEnv(), detached: true },
  );
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {}
    if (child.exitCode !== null) throw new Error(`wrangler dev exited with ${child.exitCode}`);
    if (Date.now() > deadline) throw new Error('wrangler dev did not start within 60 s');
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    port,
    async stop() {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {}
      await new Promise((r) => setTimeout(r, 300));
    },
  };
}

/**
 * Fresh state + demo data + `wrangler dev`, with its own TikTok stand-in (`tiktokUrl`); `stop()` also removes
 * the state folder.
 */
export async function startWorker({ port, vars } = {}) {
  const { state } = await prepareState();
  const tiktok = await startTikTokStandIn({ unref: true });
  const dev = await startDev(state, {
    port,
    vars: {
      TIKTOK_CLIENT_KEY: STAND_IN_CLIENT_KEY,
      TIKTOK_CLIENT_SECRET: STAND_IN_CLIENT_SECRET,
      TOKEN_ENCRYPTION_KEY: 'e2e-token-encryption-key-0123456789abcdef',
      TIKTOK_AUTH_ORIGIN: tiktok.url,
      TIKTOK_API_ORIGIN: tiktok.url,
      ...vars,
    },
  });
  return {
    url: dev.url,
    port: dev.port,
    state,
    tiktokUrl: tiktok.url,
    async stop() {
      await dev.stop();
      await tiktok.close();
      rmSync(state, { recursive: true, force: true });
    },
  };
}
