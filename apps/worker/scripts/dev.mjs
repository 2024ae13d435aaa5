// `npm start` for the worker: the dashboard built into its static assets, local D1 with migrations applied,
// demo data, then `wrangler dev`.
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { replacedMigrationsApplied, resetAdvice } from './local-database.mjs';
import { DEMO, DEMO_PASSWORD, seedLocal } from './seed.mjs';
import { tiktokVarFlags } from './test-server.mjs';
import { STAND_IN_CLIENT_KEY, STAND_IN_CLIENT_SECRET } from './tiktok-stand-in.mjs';

const PORT = process.env.PORT ?? '8787';
// TikTok's Login Kit and v2 API, our local stand-in (scripts/tiktok-stand-in.mjs), on the next port.
const TIKTOK_PORT = process.env.TIKTOK_STAND_IN_PORT ?? String(Number(PORT) + 1);
const TIKTOK = `http://127.0.0.1:${TIKTOK_PORT}`;
const env = { ...process.env, WRANGLER_SEND_METRICS: 'false' };

// Local-only settings, never committed: a per-machine signing key and the demo admin.
const devVars = {
  SIGNING_SECRET: () => randomBytes(32).toString('hex'),
  ADMIN_EMAILS: () => DEMO.admin,
  PAYMENT_PROVIDER: () => 'test',
  // TikTok sign-in against the stand-in; refresh tokens sealed with a per-machine key.
  TIKTOK_CLIENT_KEY: () => STAND_IN_CLIENT_KEY,
  TIKTOK_CLIENT_SECRET: () => STAND_IN_CLIENT_SECRET,
  TOKEN_ENCRYPTION_KEY: () => randomBytes(32).toString('hex'),
  TIKTOK_AUTH_ORIGIN: () => TIKTOK,
  TIKTOK_API_ORIGIN: () => TIKTOK,
  // Mails kept in the local D1 and shown at /outbox (reset links included): never in a deploy.
  MAIL_PROVIDER: () => 'outbox',
};
const present = existsSync('.dev.vars') ? readFileSync('.dev.vars', 'utf8') : '';
for (const [name, value] of Object.entries(devVars)) {
  if (!new RegExp(`^${name}=`, 'm').test(present)) appendFileSync('.dev.vars', `${name}=${value()}\n`);
}
// A local database made by an older checkout may have applied a migration that was replaced since: say so, and
// how to reset it, rather than let wrangler fail halfway through.
const stateDir = resolve('.wrangler/state');
const replaced = await replacedMigrationsApplied(stateDir);
if (replaced.length) {
  console.error(`\n${resetAdvice(replaced, stateDir)}`);
  process.exit(1);
}
// The latest dashboard, served at /dashboard/ (src/dashboard/routes.ts).
execFileSync(process.execPath, ['scripts/build-dashboard.mjs'], { stdio: ['ignore', 'inherit', 'inherit'], env });
// The storefront's page script, rebuilt on every change while the worker runs (wrangler reloads with it).
execFileSync(process.execPath, ['scripts/build-client.mjs'], { stdio: ['ignore', 'inherit', 'inherit'], env });
const client = spawn(process.execPath, ['scripts/build-client.mjs', '--watch'], {
  stdio: ['ignore', 'inherit', 'inherit'],
  env,
});
// stdin ignored: wrangler then applies without an interactive confirmation.
execFileSync('wrangler', ['d1', 'migrations', 'apply', 'DB', '--local'], {
  stdio: ['ignore', 'inherit', 'inherit'],
  env,
});
await seedLocal();

const tiktok = spawn(process.execPath, ['scripts/tiktok-stand-in.mjs', TIKTOK_PORT], {
  stdio: ['ignore', 'inherit', 'inherit'],
  env,
});

const base = `http://localhost:${PORT}`;
console.log(`
  Series API (local D1, test-mode payments)   ${base}
    storefront        ${base}/@${DEMO.handle}   (the demo creator's link in bio)
    creator dashboard ${base}/dashboard/
    health            ${base}/healthz
    demo profile      ${base}/v1/creators/${DEMO.handle}
    demo series       ${base}/v1/series/${DEMO.seriesId}

  Demo accounts (password: ${DEMO_PASSWORD})
    admin     ${DEMO.admin}
    creator   ${DEMO.creator}   (@${DEMO.handle}, approved, verified)
    viewer    ${DEMO.viewer}

  TikTok stand-in (Login Kit + v2 API)  ${TIKTOK}
    "Connect TikTok" / "Continue with TikTok" open its authorize page: pick a test account there
    (@seriesdemo is the demo creator; @lumen.studio, @tinyfilms, @jo.watches are others)
`);

// wrangler loads from .dev.vars only the declared vars and required secrets: the optional TikTok and tax settings
// kept there (TEST_TAX_RATES, see README "Tax") are passed as variables.
const kept = Object.fromEntries(
  readFileSync('.dev.vars', 'utf8')
    .split('\n')
    .map((line) => /^([A-Z_]+)=(.*)$/.exec(line))
    .filter(Boolean)
    .map((m) => [m[1], m[2]]),
);
const dev = spawn(
  'wrangler',
  ['dev', '--port', PORT, '--ip', '127.0.0.1', '--show-interactive-dev-session=false', ...tiktokVarFlags(kept)],
  {
    stdio: ['ignore', 'inherit', 'inherit'],
    env,
  },
);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    client.kill(signal);
    tiktok.kill(signal);
    dev.kill(signal);
  });
}
dev.on('exit', (code) => {
  client.kill();
  tiktok.kill();
  process.exit(code ?? 0);
});
