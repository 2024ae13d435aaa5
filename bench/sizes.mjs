// Bundle budgets, measured from real build output.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const root = new URL('..', import.meta.url).pathname;
const gz = (file) => gzipSync(readFileSync(file), { level: 9 }).length;

export function workerBundle() {
  const out = mkdtempSync(join(tmpdir(), 'series-bundle-'));
  execFileSync('wrangler', ['deploy', '--dry-run', `--outdir=${out}`], {
    cwd: join(root, 'apps/worker'),
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
  });
  const file = join(out, 'index.js');
  return { bytes: statSync(file).size, gzipBytes: gz(file) };
}

/** Gzipped size of each file matching `test` below `dir`, summed. */
export function gzipOf(dir, test) {
  if (!existsSync(dir)) return null;
  let total = 0;
  const walk = (d) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (test(p)) total += gz(p);
    }
  };
  walk(dir);
  return total;
}
