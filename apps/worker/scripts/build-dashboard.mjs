// Builds the creator dashboard into the worker's static assets (wrangler.jsonc "assets"), before `npm start`,
// the tests and a deploy serve or upload them. With --if-missing, only when there is no build yet: the tests
// need one, not necessarily the latest.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const index = new URL('../../dashboard/worker-assets/dashboard/index.html', import.meta.url);
if (!(process.argv.includes('--if-missing') && existsSync(index))) {
  execFileSync('npm', ['run', 'build', '--workspace', '@series/dashboard', '--', '--logLevel', 'warn'], {
    cwd: new URL('../../..', import.meta.url),
    stdio: ['ignore', 'inherit', 'inherit'],
  });
}
