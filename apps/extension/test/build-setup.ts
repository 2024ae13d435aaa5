// Builds the extension once before the tests (Chrome MV3 and Firefox), with the default API address: the
// bundle-size and manifest tests read these builds, and the browser test loads the Chrome one.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export default function setup() {
  const cwd = fileURLToPath(new URL('..', import.meta.url));
  const env = { ...process.env, WXT_API_URL: '' };
  for (const args of [['build'], ['build', '-b', 'firefox']]) {
    execFileSync('npx', ['--no-install', 'wxt', ...args], { cwd, env, stdio: ['ignore', 'ignore', 'inherit'] });
  }
}
