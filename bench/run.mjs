// `npm run bench`: starts the real local worker on a fresh local D1, seeds what it needs, measures, prints a
// table and writes it to BENCHMARKS.md. Speed figures are medians of several runs and come with a ratio
// against a baseline measured in the same run: machines are shared and noisy. Nothing here fails on speed.
// `npm run bench -- storefront` runs only the storefront part (a few minutes), `npm run bench -- extension` only
// the extension's (about two minutes), `npm run bench -- shards` only the scaling model (docs/scaling.md), and
// print their rows without writing BENCHMARKS.md, which always comes from a full run. `npm run bench --
// round-trips` prints the D1 round trips per request that the worker's tests measure. `--purchases N` seeds the
// big analytics creator with N purchases instead of 1,000,000 (`--purchases 10000000`: about a quarter of an
// hour to seed).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { d1File, prepareState, startDev } from '../apps/worker/scripts/test-server.mjs';
import { benchAnalytics, SCALE, seedAnalytics } from './analytics.mjs';
import { benchCharts } from './charts.mjs';
import { benchExtensionBrowser, benchFeedMemory, FEED_SCROLLS } from './extension.mjs';
import { fmt, machine, timed } from './lib.mjs';
import { benchLookups } from './lookup.mjs';
import { benchPurchases, checkLedger, seedBuyers } from './purchases.mjs';
import { benchShards } from './shards.mjs';
import { gzipOf, workerBundle } from './sizes.mjs';
import { benchStorefront, CHROMIUM, JS_BUDGET_GZIP, LIGHTHOUSE_TARGETS } from './storefront.mjs';

const root = new URL('..', import.meta.url).pathname;
const KB = (bytes) => (bytes === null || bytes === undefined ? '–' : `${fmt(bytes / 1024)} KB`);
const log = (...a) => console.error('[bench]', ...a);
const rows = [];
const row = (what, figure, target, verdict, note = '') => rows.push({ what, figure, target, verdict, note });
const check = (ok) => (ok === null ? 'n/a' : ok ? 'met' : 'missed');

/** The analytics answers measured, as the table names them (defined before the top-level run below reads it). */
const ANALYTICS = [
  ['summary', 'analytics summary, all time'],
  ['summary30d', "analytics summary, last 30 days (the dashboard's default)"],
  ['summary90d', 'analytics summary, last 90 days'],
  ['episodes', 'analytics per episode, all time'],
  ['daily', 'analytics daily, all time'],
];

const args = process.argv.slice(2);
const flag = args.indexOf('--purchases');
const bigScale = flag === -1 ? SCALE.purchases : Number(args.splice(flag, 2)[1]);
if (!Number.isInteger(bigScale) || bigScale < 10_000) throw new Error('--purchases takes a whole number ≥ 10000');
const only = args[0];
const PARTS = ['storefront', 'extension', 'shards', 'round-trips'];
if (only !== undefined && !PARTS.includes(only))
  throw new Error(`unknown part "${only}": npm run bench [-- ${PARTS.join(' | ')}] [--purchases N]`);
if (only === 'round-trips') {
  roundTripRows();
  console.log(`\n${renderTable()}\n\nNot written to BENCHMARKS.md: only a full \`npm run bench\` writes it.`);
  process.exit(0);
}
if (only === 'shards') {
  // The scaling model of docs/scaling.md: one shard's measured costs, and what N shards carry at peak.
  const { lines, state } = await benchShards({ prepareState, startDev, d1File, row, log });
  rmSync(state, { recursive: true, force: true });
  console.log(
    `\n${renderTable()}\n\n${lines.join('\n')}\n\nNot written to BENCHMARKS.md: only a full \`npm run bench\` writes it.`,
  );
  process.exit(0);
}
if (only === 'extension') {
  log('extension');
  extensionSizeRow();
  await extensionBrowserRows();
  console.log(`\n${renderTable()}\n\nNot written to BENCHMARKS.md: only a full \`npm run bench\` writes it.`);
  process.exit(0);
}
if (only === 'storefront') {
  const { state } = await prepareState();
  const dev = await startDev(state);
  try {
    await storefrontRows(dev.url);
  } finally {
    await dev.stop();
    rmSync(state, { recursive: true, force: true });
  }
  console.log(`\n${renderTable()}\n\nNot written to BENCHMARKS.md: only a full \`npm run bench\` writes it.`);
  process.exit(0);
}

// 1. Migrations and demo seed on a fresh local D1.
log('migrations and seed');
const { state, migrateMs, seedMs } = await prepareState();
row('apply all migrations (fresh local D1)', `${fmt(migrateMs, 0)} ms`, 'report', '–');
row('seed the demo data', `${fmt(seedMs, 0)} ms`, 'report', '–');

// 2. D1 round trips per request, as the worker's tests count them (deterministic, so not timed).
roundTripRows();

// Analytics at 10,000 purchases first, on its own database: the figures the big run is compared with.
log('analytics at 10,000 purchases');
const small = await analyticsAt(10_000);

// 3. One million purchases for analytics, and buyers for the purchase run, written before the worker starts.
const scale = scaleOf(bigScale);
log(`seeding ${scale.purchases.toLocaleString()} purchases`);
const file = d1File(state);
const seeded = await timed(() => seedAnalytics(file, scale));
row(
  `bulk-seed ${scale.purchases.toLocaleString()} paid purchases + rollups`,
  `${fmt(seeded.ms / 1000)} s`,
  'report',
  '–',
);
const buyers = seedBuyers(file, 200);

const dev = await startDev(state);
let ledger;
try {
  log('lookups');
  const lookups = await benchLookups(dev.url);
  row(
    'bare GET /healthz (baseline)',
    `${fmt(lookups.bare.rps, 0)} req/s, p50 ${lookups.bare.p50} ms, p99 ${lookups.bare.p99} ms`,
    '–',
    '–',
  );
  for (const [name, label] of [
    ['video', 'GET /v1/videos/:id'],
    ['prefix', 'GET /v1/lookup/videos/:prefix'],
  ]) {
    const l = lookups[name];
    // Two targets in one row: say which one holds.
    const verdict = `ratio ${check(l.ratio >= 0.95)}, p99 ${check(l.p99 < 20)}`;
    row(
      `${label} at 64 connections`,
      `${fmt(l.rps, 0)} req/s (${fmt(l.ratio, 2)}× bare), p50 ${l.p50} ms, p99 ${l.p99} ms`,
      '≥ 0.95× bare, p99 < 20 ms',
      verdict,
    );
  }
  const one = lookups.single;
  row(
    'the same three at 1 connection (latency without queueing)',
    `bare p50 ${one.bare.p50} / p99 ${one.bare.p99} ms; video p50 ${one.video.p50} / p99 ${one.video.p99} ms; prefix p50 ${one.prefix.p50} / p99 ${one.prefix.p99} ms`,
    'report',
    '–',
  );

  await storefrontRows(dev.url);

  log('analytics');
  const analytics = await benchAnalytics(dev.url, seeded.value, file);
  for (const [name, label] of ANALYTICS) {
    const a = analytics[name];
    const same =
      a.matches === undefined ? '' : a.matches ? ', same answer as the scan' : ', DIFFERENT answer from the scan';
    // Flat: the figure at this scale within 1.5× of the same answer at 10,000 purchases.
    const flat = a.ms / small[name].ms;
    row(
      `${label} at ${scale.purchases.toLocaleString()} purchases`,
      `${fmt(a.ms)} ms, ${fmt(flat, 2)}× the 10,000 figure (${fmt(small[name].ms)} ms); scan of purchases: ${fmt(a.scanMs)} ms, ${fmt(a.ratio)}× slower${same}`,
      '< 10 ms, within 1.5× of 10,000',
      `${check(a.ms < 10)}, flat ${check(flat <= 1.5)}`,
    );
  }

  log('purchases');
  const purchases = await benchPurchases(dev.url, buyers);
  const failures =
    (Object.keys(purchases.failures).length ? ` failures ${JSON.stringify(purchases.failures)}` : '') +
    (purchases.retries ? `, ${purchases.retries} dropped connections retried` : '');
  // Each purchase is two requests (checkout, then the test page's pay): compared with the bare route's rate.
  const requestRatio = (2 * purchases.perSecond) / lookups.bare.rps;
  row(
    `complete ${purchases.attempted.toLocaleString()} test-mode purchases, 64 concurrent`,
    `${fmt(purchases.perSecond)} completed/s (${fmt(purchases.seconds)} s), ${fmt(2 * purchases.perSecond, 0)} purchase requests/s = ${fmt(requestRatio, 2)}× bare${failures}`,
    '≥ 0.5× bare',
    check(requestRatio >= 0.5),
  );
  ledger = { ...purchases, buyerIds: buyers.buyers.map((b) => b.id) };
} finally {
  await dev.stop();
}
const checked = checkLedger(file, ledger.buyerIds);
row(
  'ledger after the purchase run',
  `${checked.paid.toLocaleString()} paid, ${checked.doubled} doubled, rollups ${checked.rollupsMatchLedger ? 'equal' : 'DIFFER from'} the ledger`,
  '0 lost, 0 doubled',
  check(checked.paid === ledger.attempted && checked.doubled === 0 && checked.rollupsMatchLedger),
);
rmSync(state, { recursive: true, force: true });

// 4. Bundle budgets from real builds.
log('worker bundle');
const worker = workerBundle();
row(
  'worker bundle (wrangler deploy --dry-run)',
  `${KB(worker.bytes)}, ${KB(worker.gzipBytes)} gzipped`,
  '< 1 MB gzipped',
  check(worker.gzipBytes < 1024 * 1024),
);

log('extension');
extensionSizeRow();
const chromium = existsSync('/usr/bin/chromium');
if (chromium) await extensionBrowserRows();
else
  row(
    'extension in Chromium (navigation, feed)',
    'skipped: no /usr/bin/chromium (apt-get install chromium)',
    'p95 ≤ 100 ms',
    'n/a',
  );

log('dashboard');
const dash = join(root, 'apps/dashboard');
if (existsSync(join(dash, 'index.html'))) {
  execFileSync('npx', ['vite', 'build'], { cwd: dash, stdio: ['ignore', 'ignore', 'inherit'] });
  // Where vite.config.ts builds it (the worker's static assets), and the /dashboard/ addresses it loads from.
  const out = join(dash, 'worker-assets/dashboard');
  const html = readFileSync(join(out, 'index.html'), 'utf8');
  const initial = [...html.matchAll(/(?:src|href)="\/dashboard\/(assets\/[^"]+\.js)"/g)].map((m) => join(out, m[1]));
  const initialGz = initial.reduce((sum, f) => sum + gzipOf(join(f, '..'), (p) => p === f), 0);
  row('dashboard initial JS, gzipped', KB(initialGz), '≤ 120 KB', check(initialGz <= 120 * 1024));
  if (chromium) {
    log('dashboard charts (Chromium)');
    const charts = await benchCharts();
    row(
      'dashboard: per-episode chart (80 episodes) + daily chart (365 points) drawn',
      `${fmt(charts.ms)} ms (median of ${charts.runs})`,
      '< 100 ms',
      check(charts.ms < 100),
    );
  }
}

// 5. Report.
const m = machine();
const when = new Date().toISOString().slice(0, 16).replace('T', ' ');
const table = renderTable();
const report = `# Benchmarks

Measured by \`npm run bench\` on ${when} UTC, on ${m.cores} cores (${m.cpu}) with ${m.memoryGiB} GiB of memory, against
the real worker under \`wrangler dev\` with a local D1. Speed figures are medians of several runs; each comes
with a baseline measured in the same run (a bare route, or the same answer computed by scanning purchases),
because the machine is shared and noisy. Lighthouse scores are per-category medians of several runs with its
default mobile preset (simulated slow 4G, 4× CPU slowdown) in Debian's Chromium. Benchmarks never fail CI on speed.

${table}
`;
writeFileSync(join(root, 'BENCHMARKS.md'), report);
console.log(`\n${table}\n\nWritten to BENCHMARKS.md`);

/** The scale of the big analytics run: enough buyers that none buys an episode twice (20 each at most). */
function scaleOf(purchases) {
  return { ...SCALE, purchases, buyers: Math.max(SCALE.buyers, Math.ceil(purchases / 20)) };
}

/** Analytics figures on a database of its own seeded with `purchases` purchases. */
async function analyticsAt(purchases) {
  const fresh = await prepareState();
  const token = seedAnalytics(d1File(fresh.state), scaleOf(purchases));
  const worker = await startDev(fresh.state);
  try {
    return await benchAnalytics(worker.url, token, d1File(fresh.state));
  } finally {
    await worker.stop();
    rmSync(fresh.state, { recursive: true, force: true });
  }
}

/**
 * D1 round trips per request, from the worker's budget tests (test/round-trips.test.ts counts them around env.DB;
 * each test prints a `round-trips {route, trips, budget}` line): one row per route.
 */
function roundTripRows() {
  log('D1 round trips per request (the worker tests that count them)');
  const run = spawnSync('npx', ['vitest', 'run', 'test/round-trips.test.ts'], {
    cwd: join(root, 'apps/worker'),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const plain = `${run.stdout}${run.stderr}`.replace(/\x1b\[[0-9;]*m/g, '');
  const counted = [...plain.matchAll(/round-trips (\{.*\})/g)].map((m) => JSON.parse(m[1]));
  if (!counted.length)
    return row('D1 round trips per request', 'could not run test/round-trips.test.ts', 'see test', 'n/a');
  // Variants of one route (a retry, a cache hit, a series filter) share its row.
  const byRoute = new Map();
  for (const c of counted) {
    const variant = /^(.*?)(?: \((.*)\)|\?(seriesId))$/.exec(c.route);
    const base = variant ? variant[1] : c.route;
    const list = byRoute.get(base) ?? [];
    list.push({ ...c, variant: variant ? (variant[2] ?? `with ${variant[3]}`) : '' });
    byRoute.set(base, list);
  }
  for (const [route, list] of byRoute) {
    const figure = list.map((c) => `${c.trips}${c.variant ? ` ${c.variant}` : ''}`).join(', ');
    const budget = list.map((c) => `${c.budget}${c.variant ? ` ${c.variant}` : ''}`).join(', ');
    row(`D1 round trips: ${route}`, figure, `≤ ${budget}`, check(list.every((c) => c.trips <= c.budget)));
  }
}

function extensionSizeRow() {
  const ext = join(root, 'apps/extension');
  execFileSync('npx', ['wxt', 'build'], { cwd: ext, stdio: ['ignore', 'ignore', 'inherit'] });
  const contentGz = gzipOf(join(ext, '.output/chrome-mv3/content-scripts'), (p) => p.endsWith('.js'));
  row(
    'extension content script, gzipped',
    KB(contentGz),
    '≤ 25 KB',
    check(contentGz !== null && contentGz <= 25 * 1024),
  );
}

/** Navigation and feed timing, memory over a long feed, and long tasks, from one run of the browser test. */
async function extensionBrowserRows() {
  log(`extension in Chromium (the browser test, with ${FEED_SCROLLS} feed scrolls)`);
  const run = benchExtensionBrowser();
  const failed = 'could not run (see npm test -w @series/extension)';
  const n = run?.navigation;
  if (n)
    row(
      `navigation → overlay in Chromium (${n.navigations} in-app navigations)`,
      `p50 ${fmt(n.p50)} ms, p95 ${fmt(n.p95)} ms, max ${fmt(n.max)} ms`,
      'p95 ≤ 100 ms',
      check(n.p95 <= 100),
    );
  else row('navigation → overlay in Chromium', failed, 'p95 ≤ 100 ms', 'n/a');
  const f = run?.feed;
  if (!f) return row('feed scroll → button in Chromium', failed, 'p95 ≤ 100 ms', 'n/a');
  row(
    `feed scroll → button in Chromium (${f.buttons} items with a button, of ${f.scrolls} scrolls)`,
    `p50 ${fmt(f.p50)} ms, p95 ${fmt(f.p95)} ms, max ${fmt(f.max)} ms`,
    'p95 ≤ 100 ms',
    check(f.p95 <= 100),
  );
  log(`extension: memory over ${FEED_SCROLLS} feed items, with and without the extension`);
  const memory = await benchFeedMemory();
  const MB = (bytes) => `${fmt(bytes / 1e6)} MB`;
  const series = (samples, key) => samples.map((m) => MB(m[key])).join(' → ');
  const growth = (samples, key) => samples.at(-1)[key] - samples.at(-2)[key];
  // Flat: from the middle to the end of the scroll, the extension adds under 0.25 MB to the tab beyond what
  // the same scroll adds without it, and its service worker grows by under a tenth.
  const added = growth(memory.extension, 'tabHeap') - growth(memory.baseline, 'tabHeap');
  const worker = memory.extension.map((m) => m.workerHeap);
  row(
    `memory after scrolling ${memory.extension.map((m) => m.items.toLocaleString('en')).join(' → ')} feed items (after a collection)`,
    `tab JS heap ${series(memory.extension, 'tabHeap')} (without the extension, same run: ${series(memory.baseline, 'tabHeap')}); extension service worker ${series(memory.extension, 'workerHeap')}; DOM ${memory.extension.map((m) => m.domNodes).join(' → ')} nodes`,
    'flat',
    check(added < 2.5e5 && worker.at(-1) - worker.at(-2) < worker.at(-2) * 0.1),
  );
  const ours = f.ourCallbacks;
  row(
    `long tasks while scrolling the feed (${f.scrolls} scrolls)`,
    `our callbacks: ${ours.calls} runs, longest ${fmt(ours.maxMs)} ms (${ours.longest}), ${ours.over16ms} over 16 ms, ${ours.over50ms} over 50 ms; long animation frames on the page (any source): ${f.longAnimationFrames.count}, longest ${fmt(f.longAnimationFrames.maxMs)} ms`,
    'none over 50 ms from our code',
    check(ours.over50ms === 0),
  );
}

function renderTable() {
  return [
    '| what | figure | target | |',
    '|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.what} | ${r.figure}${r.note ? ` (${r.note.replace(/\n/g, ' ')})` : ''} | ${r.target} | ${r.verdict} |`,
    ),
  ].join('\n');
}

/** The storefront's rows: Lighthouse per page, bytes against the JavaScript budget, cached-page TTFB. */
async function storefrontRows(api) {
  if (!existsSync(CHROMIUM)) {
    row(
      'storefront pages, Lighthouse mobile',
      `skipped: no ${CHROMIUM} (apt-get install chromium)`,
      'see README',
      'n/a',
    );
    return;
  }
  const s = await benchStorefront(api, { log });
  const targetText = `perf ≥ ${LIGHTHOUSE_TARGETS.performance}, a11y ${LIGHTHOUSE_TARGETS.accessibility}, BP ≥ ${LIGHTHOUSE_TARGETS['best-practices']}, SEO ${LIGHTHOUSE_TARGETS.seo}`;
  const lighthouseRow = (label, r) => {
    const sc = r.scores;
    const figure = `perf ${sc.performance}, a11y ${sc.accessibility}, BP ${sc['best-practices']}, SEO ${sc.seo}; LCP ${fmt(r.lcpMs / 1000, 2)} s; ${KB(r.bytes)} transferred in ${r.requests} requests`;
    const note = r.failing.length ? `below 0.9 in some run: ${r.failing.join('; ')}` : '';
    row(
      `${label}, Lighthouse ${r.lighthouseVersion} mobile (median of ${r.runs})`,
      figure,
      targetText,
      r.missed.length ? `missed: ${r.missed.join(', ')}` : 'met',
      note,
    );
  };
  const path = (url) => new URL(url).pathname;
  lighthouseRow(`storefront creator page ${path(s.pages.creator)}`, s.lighthouse.creator);
  lighthouseRow(`storefront series page ${path(s.pages.series)}`, s.lighthouse.series);
  if (s.withCover.error)
    row(
      'storefront pages with a cover image, Lighthouse mobile',
      `could not run: ${s.withCover.error}`,
      targetText,
      'n/a',
    );
  else {
    const kb = KB(s.withCover.imageBytes);
    lighthouseRow(`the creator page with a ${kb} https JPEG cover`, s.withCover.pages.creator);
    lighthouseRow(`the series page with the same cover`, s.withCover.pages.series);
  }
  const js = Math.max(s.bytes.creator.js.gzipBytes, s.bytes.series.js.gzipBytes);
  const scripts = s.bytes.series.scripts.map((x) => `${x.src}, ${KB(x.bytes)} raw`).join('; ');
  row(
    'storefront JavaScript per page, gzipped',
    `${KB(js)} (${scripts})`,
    `≤ ${KB(JS_BUDGET_GZIP)}`,
    check(js <= JS_BUDGET_GZIP),
  );
  const html = (p) => `${KB(p.html.gzipBytes)} (${KB(p.html.bytes)} raw)`;
  row(
    'storefront HTML, gzipped (stylesheet inlined)',
    `creator page ${html(s.bytes.creator)}, series page ${html(s.bytes.series)}`,
    'report',
    '–',
  );
  const t = s.ttfb;
  row(
    `TTFB of a cached public page (${t.path}, warm) at 1 connection`,
    `p50 ${fmt(t.page.p50, 2)} ms (${fmt(t.ratio, 2)}× bare), p99 ${fmt(t.page.p99, 1)} ms; bare /healthz p50 ${fmt(t.bare.p50, 2)} ms, p99 ${fmt(t.bare.p99, 1)} ms`,
    'report',
    '–',
    `${t.page.n} requests each, interleaved rounds`,
  );
}
