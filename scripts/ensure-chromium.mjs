// Before `npm test`: the browser tests drive Debian's Chromium (never a downloaded browser). Installs it when
// missing and this machine allows it (root with apt-get, as on CI), otherwise says what to run.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CHROMIUM = '/usr/bin/chromium';
if (!existsSync(CHROMIUM)) {
  const root = process.getuid?.() === 0;
  const apt = spawnSync('sh', ['-c', 'command -v apt-get'], { encoding: 'utf8' }).status === 0;
  if (!root || !apt) {
    console.error(
      `The browser tests need Chromium at ${CHROMIUM}: run \`sudo apt-get install -y chromium\`, then \`npm test\` again.`,
    );
    process.exit(1);
  }
  console.error('Installing Debian chromium for the browser tests…');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env });
}
