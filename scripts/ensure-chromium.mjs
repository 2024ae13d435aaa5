// Before `npm test`: the browser tests drive Debian's Chromium and Debian's firefox-esr (never a downloaded
// browser). Installs what is missing when this machine allows it (root with apt-get, as on CI), otherwise says
// what to run.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const BROWSERS = [
  { path: '/usr/bin/chromium', pkg: 'chromium' },
  { path: '/usr/bin/firefox-esr', pkg: 'firefox-esr' },
];
const missing = BROWSERS.filter((b) => !existsSync(b.path));
if (missing.length) {
  const root = process.getuid?.() === 0;
  const apt = spawnSync('sh', ['-c', 'command -v apt-get'], { encoding: 'utf8' }).status === 0;
  const pkgs = missing.map((b) => b.pkg);
  if (!root || !apt) {
    console.error(
      `The browser tests need ${missing.map((b) => b.path).join(' and ')}: run \`sudo apt-get install -y ${pkgs.join(' ')}\`, then \`npm test\` again.`,
    );
    process.exit(1);
  }
  console.error(`Installing Debian ${pkgs.join(' and ')} for the browser tests…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', ...pkgs], { stdio: 'inherit', env });
}
