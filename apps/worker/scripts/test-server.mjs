// Starts the real worker under `wrangler dev` on a fresh local D1 + R2 (migrations applied, demo data seeded)
// for browser end-to-end tests. Usage (from any workspace's test setup):
//   import { startWorker } from '@series/worker/test-server';
//   const worker = await startWorker();   // { url, port, stop() }
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedLocal } from './seed.mjs';

const workerDir = new URL('..', import.meta.url).pathname;

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

export async function startWorker({ port, vars = {} } = {}) {
  port ??= await freePort();
  const state = mkdtempSync(join(tmpdir(), 'series-worker-'));
  const env = { ...process.env, WRANGLER_SEND_METRICS: 'false' };
  const envFile = join(state, '.dev.vars');
  const allVars = { SIGNING_SECRET: 'e2e-signing-secret-0123456789abcdef0123456789', ADMIN_EMAILS: 'admin@series.test', ...vars };
  writeFileSync(envFile, Object.entries(allVars).map(([k, v]) => `${k}=${v}`).join('\n') + '\n');
  const opts = { cwd: workerDir, stdio: ['ignore', 'ignore', 'inherit'], env };
  execFileSync('wrangler', ['d1', 'migrations', 'apply', 'DB', '--local', `--persist-to=${state}`], opts);
  await seedLocal({ persistTo: state });
  const child = spawn(
    'wrangler',
    ['dev', '--port', String(port), '--ip', '127.0.0.1', `--persist-to=${state}`, `--env-file=${envFile}`,
      '--show-interactive-dev-session=false', '--log-level=warn'],
    { cwd: workerDir, stdio: ['ignore', 'ignore', 'inherit'], env, detached: true },
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
      rmSync(state, { recursive: true, force: true });
    },
  };
}
