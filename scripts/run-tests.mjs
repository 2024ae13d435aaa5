// `npm test`: every workspace's tests through turbo, then one closing line totalled over all of them.
// Each workspace's vitest writes a JSON report to <workspace>/test-results/vitest*.json.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const workspaces = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).workspaces;
const dirs = workspaces.flatMap((pattern) => {
  const base = join(root, pattern.replace('/*', ''));
  return existsSync(base)
    ? spawnSync('ls', [base], { encoding: 'utf8' })
        .stdout.split('\n')
        .filter(Boolean)
        .map((d) => join(base, d))
    : [];
});
for (const dir of dirs) rmSync(join(dir, 'test-results'), { recursive: true, force: true });

// Formatting first (prettier, .prettierrc.json): one failure if any file is not formatted, the tests run anyway.
const format = spawnSync('prettier', ['--check', '.', '--log-level', 'warn'], { stdio: 'inherit', cwd: root });
if (format.status !== 0)
  console.error('\nSome files are not formatted: run `npx prettier --write .` from the repository root.\n');

const run = spawnSync('turbo', ['run', 'test', '--concurrency=1', '--continue', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' },
});

let passed = 0;
let failed = 0;
let skipped = 0;
// A workspace may run more than one vitest project (the worker: workerd tests, then browser tests).
const reports = dirs.flatMap((dir) => {
  const results = join(dir, 'test-results');
  if (!existsSync(results)) return [];
  return readdirSync(results)
    .filter((f) => /^vitest.*\.json$/.test(f))
    .map((f) => join(results, f));
});
for (const report of reports) {
  const r = JSON.parse(readFileSync(report, 'utf8'));
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  skipped += r.numPendingTests + r.numTodoTests;
  // A test file that failed to load has no tests to count, but it failed.
  failed += r.testResults.filter((f) => f.status === 'failed' && f.assertionResults.length === 0).length;
}
if (format.status !== 0) failed += 1;
const code = format.status !== 0 ? 1 : (run.status ?? 1);
// A step that failed before its tests ran (type check, build) still counts as a failure.
if (code !== 0 && failed === 0) failed = 1;
console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(code);
