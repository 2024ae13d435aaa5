// The scaling model of docs/scaling.md, fed by what one shard measures here. `npm run bench -- shards`:
//  1. per-purchase costs on one shard from the worker's own test (test/ledger-costs.test.ts, D1's meta): rows
//     read and written, statements and round trips of a checkout and its completion;
//  2. bytes per purchase from a seeded shard (SQLite's dbstat: each ledger table with its indexes);
//  3. the database's time per purchase: the test's statements replayed on that shard (SQLite, one thread), and
//     CPU per purchase: test-mode purchases against `wrangler dev` on that shard, workerd's CPU time read from
//     /proc (the worker and its local D1 share that process, so it bounds the database's part from above);
//  4. the model: 10,000 purchases a second at peak and 100 million in all, spread over N shards by creator
//     (creators' sales Zipf-distributed), per shard. Every shard runs in this one process locally, so nothing here
//     is a speed-up: the model divides measured per-purchase work by the peak and compares it with the limits.
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { fmt, openD1 } from './lib.mjs';
import { benchPurchases, checkLedger, seedBuyers } from './purchases.mjs';
import { seedAnalytics } from './analytics.mjs';

const root = new URL('..', import.meta.url).pathname;
const workerDir = join(root, 'apps/worker');

/** The load to plan for (issue 23) and the platform's documented limits (docs/scaling.md cites them). */
export const LOAD = { peakPerSecond: 10_000, totalPurchases: 100_000_000 };
export const LIMITS = {
  d1Bytes: 10e9, // D1: 10 GB per database
  d1QueriesPerSecond: 1_000, // D1: single-threaded, ~1,000 queries/s when a query takes 1 ms
  doBytes: 10e9, // SQLite-backed Durable Object: 10 GB each
  doRequestsPerSecond: 1_000, // a Durable Object: soft limit of ~1,000 requests/s
};

/** 1. Runs the worker test that measures one purchase's D1 costs and reads its `ledger-costs` line. */
export function measureLedgerCosts() {
  execFileSync(process.execPath, ['scripts/build-client.mjs'], { cwd: workerDir, stdio: 'ignore' });
  execFileSync(process.execPath, ['scripts/build-dashboard.mjs', '--if-missing'], { cwd: workerDir, stdio: 'ignore' });
  const run = spawnSync(join(root, 'node_modules/.bin/vitest'), ['run', 'test/ledger-costs.test.ts'], {
    cwd: workerDir,
    encoding: 'utf8',
    env: { ...process.env, FORCE_COLOR: '0' },
    maxBuffer: 64 * 1024 * 1024,
  });
  const lines = `${run.stdout}\n${run.stderr}`.split('\n');
  const read = (tag) => {
    const line = lines.find((l) => l.includes(`${tag} {`));
    if (run.status !== 0 || !line) throw new Error(`test/ledger-costs.test.ts failed:\n${run.stdout}\n${run.stderr}`);
    return JSON.parse(line.slice(line.indexOf('{')));
  };
  return { ...read('ledger-costs'), trace: read('ledger-trace') };
}

/**
 * SQLite's own time for one purchase on a big shard: the ledger statements the test ran for its last sale
 * (checkout and completion, with their values, each batch in one transaction as D1 runs it), replayed here
 * against the seeded shard for `runs` new buyers of one of its episodes (ids swapped for the shard's). Every
 * replayed purchase must end paid, or the replay did not do the work it times.
 */
export function replayTrace(file, trace, { runs = 2000 } = {}) {
  const db = openD1(file);
  const episode = db
    .prepare(
      `SELECT e.id, e.series_id FROM episodes e JOIN series s ON s.id = e.series_id
       WHERE s.creator_id = 'cr_benchCreator000000001' AND s.currency = 'USD' AND e.media_key IS NOT NULL
       ORDER BY e.position LIMIT 1 OFFSET 5`,
    )
    .get();
  const trips = [];
  for (const st of trace.statements) {
    if (trips.at(-1)?.trip === st.trip) trips.at(-1).statements.push(st);
    else trips.push({ trip: st.trip, statements: [st] });
  }
  const prepared = new Map();
  const statement = (sql) => {
    if (!prepared.has(sql)) prepared.set(sql, db.prepare(sql));
    return prepared.get(sql);
  };
  const addUser = db.prepare('INSERT INTO users (id, email, password_hash, created_at) VALUES (?, ?, ?, ?)');
  let ns = 0n;
  for (let i = 0; i < runs; i++) {
    const buyer = `usr_replay${String(i).padStart(14, '0')}`;
    addUser.run(buyer, `replay${i}@bench.test`, 'x', Date.now());
    const ids = [
      [trace.purchaseId, `pur_replay${String(i).padStart(14, '0')}`],
      [trace.buyerId, buyer],
      [trace.creatorId, 'cr_benchCreator000000001'],
      [trace.seriesId, episode.series_id],
      [trace.episodeId, episode.id],
    ];
    const value = (v) =>
      typeof v === 'string'
        ? ids.reduce((s, [from, to]) => s.split(from).join(to), v)
        : v === true
          ? 1
          : v === false
            ? 0
            : v;
    const t = process.hrtime.bigint();
    for (const { statements } of trips) {
      if (statements.length > 1) db.exec('BEGIN');
      for (const st of statements) statement(st.sql).all(...st.params.map(value));
      if (statements.length > 1) db.exec('COMMIT');
    }
    ns += process.hrtime.bigint() - t;
  }
  const paid = db
    .prepare(`SELECT COUNT(*) AS n FROM purchases WHERE id LIKE 'pur_replay%' AND status = 'paid'`)
    .get().n;
  db.close();
  return { runs, paid, msPerPurchase: Number(ns) / 1e6 / runs };
}

/** Per purchase, from the test's figures: checkout plus completion. */
export function perPurchase(costs) {
  const { checkout, completion } = costs.episode;
  const add = (key) => checkout.shard[key] + completion.shard[key];
  return {
    roundTrips: checkout.roundTrips + completion.roundTrips,
    statements: add('statements'),
    rowsRead: add('rowsRead'),
    rowsWritten: add('rowsWritten'),
    directoryStatements: checkout.directory.statements + completion.directory.statements,
    written: Object.fromEntries(
      [...new Set([...Object.keys(checkout.written), ...Object.keys(completion.written)])].map((t) => [
        t,
        (checkout.written[t] ?? 0) + (completion.written[t] ?? 0),
      ]),
    ),
  };
}

const LEDGER_TABLES = ['purchases', 'sales_daily', 'sales_totals', 'buyer_days', 'buyer_day_counts', 'funnel_daily'];

/** 2. What the ledger takes on disk per purchase in a seeded shard: each table with its indexes (dbstat). */
export function ledgerBytes(file) {
  const db = openD1(file);
  const indexes = db.prepare(`SELECT name, tbl_name FROM sqlite_master WHERE type = 'index'`).all();
  const owner = new Map(indexes.map((i) => [i.name, i.tbl_name]));
  const bytes = {};
  for (const { name, size } of db.prepare('SELECT name, SUM(pgsize) AS size FROM dbstat GROUP BY name').all()) {
    const table = owner.get(name) ?? name;
    if (LEDGER_TABLES.includes(table)) bytes[table] = (bytes[table] ?? 0) + size;
  }
  const rows = Object.fromEntries(LEDGER_TABLES.map((t) => [t, db.prepare(`SELECT COUNT(*) AS n FROM ${t}`).get().n]));
  const purchases = rows.purchases;
  // How the buyer's latest day is found on this shard, with its statistics (ANALYZE ran after seeding).
  const plan = (sql) =>
    db
      .prepare(`EXPLAIN QUERY PLAN ${sql}`)
      .all()
      .map((r) => r.detail)
      .join('; ');
  const latestDay = `SELECT MAX(b.day) FROM buyer_days b WHERE b.creator_id = 'cr_benchCreator000000001' AND b.currency = 'USD' AND b.buyer_id = 'usr_new' AND b.day <= '9999-12-31'`;
  const hinted = latestDay.replace('buyer_days b', 'buyer_days b INDEXED BY buyer_days_by_buyer');
  const plans = { analyzed: plan(latestDay), hinted: plan(hinted) };
  db.close();
  // A new D1 has no statistics (nothing runs ANALYZE): the same question on the bare schema.
  const fresh = new DatabaseSync(':memory:');
  const migrations = join(workerDir, 'migrations');
  for (const name of readdirSync(migrations)
    .filter((n) => /^\d{4}_.+\.sql$/.test(n))
    .sort())
    fresh.exec(readFileSync(join(migrations, name), 'utf8'));
  const freshPlan = (sql) =>
    fresh
      .prepare(`EXPLAIN QUERY PLAN ${sql}`)
      .all()
      .map((r) => r.detail)
      .join('; ');
  plans.fresh = freshPlan(latestDay);
  plans.freshHinted = freshPlan(hinted);
  fresh.close();
  const total = Object.values(bytes).reduce((a, b) => a + b, 0);
  return {
    purchases,
    rows,
    bytes,
    perPurchase: total / purchases,
    purchaseRowBytes: bytes.purchases / purchases,
    plans,
  };
}

/** CPU time (ms) used so far by the workerd processes serving a `wrangler dev` on this state folder. */
function workerdCpuMs(state) {
  const tick = 100; // USER_HZ on Linux
  const procs = readdirSync('/proc').filter((p) => /^\d+$/.test(p));
  const info = new Map();
  for (const pid of procs) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      info.set(pid, { ppid: fields[1], cpu: (Number(fields[11]) + Number(fields[12])) * (1000 / tick), cmd });
    } catch {}
  }
  const roots = [...info].filter(([, p]) => p.cmd.includes(`--persist-to=${state}`)).map(([pid]) => pid);
  let ms = 0;
  const seen = new Set();
  const walk = (pid) => {
    for (const [child, p] of info) {
      if (p.ppid !== pid || seen.has(child)) continue;
      seen.add(child);
      if (p.cmd.includes('workerd')) ms += p.cpu;
      walk(child);
    }
  };
  roots.forEach(walk);
  return ms;
}

/** 3. CPU per purchase on one shard: test-mode purchases against `wrangler dev`, workerd's CPU before and after. */
export async function cpuPerPurchase(api, state, file, { buyers = 40, perBuyer = 25 } = {}) {
  const set = seedBuyers(file, buyers);
  // A warm-up, so compilation and first reads are not counted.
  await benchPurchases(
    api,
    { buyers: set.buyers.slice(0, 4), episodes: set.episodes },
    { perBuyer: 2, concurrency: 4 },
  );
  const before = workerdCpuMs(state);
  const run = await benchPurchases(
    api,
    { buyers: set.buyers.slice(4), episodes: set.episodes.slice(2) },
    { perBuyer, concurrency: 16 },
  );
  const cpuMs = workerdCpuMs(state) - before;
  return { ...run, cpuMsPerPurchase: cpuMs / Math.max(run.completed, 1), buyerIds: set.buyers.map((b) => b.id) };
}

/** Zipf weights over `creators` creators (the k-th sells in proportion to 1/k^s). */
function zipf(creators, s) {
  const w = Array.from({ length: creators }, (_, k) => 1 / (k + 1) ** s);
  const sum = w.reduce((a, b) => a + b, 0);
  return w.map((x) => x / sum);
}

/** A deterministic shuffle (mulberry32), so creators land on shards the same way on every run. */
function shuffled(n, seed = 23) {
  let a = seed;
  const rand = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

/**
 * 4. What N shards carry at peak. Creators are placed on shards by a hash of their id (a fixed shuffle here); a
 * creator's ledger never splits, so the busiest shard is the one holding the best sellers. Per shard: purchases
 * a second, statements (D1 counts each statement of a batch as a query), rows written, round trips, database
 * time under D1's planning figure (1 ms a query) and under this machine's measured CPU per purchase (an upper
 * bound on the SQL part), and the bytes its share of 100 million purchases takes.
 */
export function model(
  cost,
  { bytesPerPurchase, cpuMsPerPurchase, sqlMsPerPurchase },
  { creators = 100_000, s = 1, shards } = {},
) {
  const weights = zipf(creators, s);
  const order = shuffled(creators);
  const rows = [];
  for (const n of shards) {
    const load = new Float64Array(n);
    order.forEach((creator, i) => (load[i % n] += weights[creator]));
    const hottest = Math.max(...load);
    const perSecond = hottest * LOAD.peakPerSecond;
    const mean = LOAD.peakPerSecond / n;
    rows.push({
      shards: n,
      meanPerSecond: mean,
      hottestPerSecond: perSecond,
      statementsPerSecond: perSecond * cost.statements,
      rowsWrittenPerSecond: perSecond * cost.rowsWritten,
      roundTripsPerSecond: perSecond * cost.roundTrips,
      // Share of one second the database is busy: statements × 1 ms (D1's rule), or CPU per purchase here.
      busyAtOneMsPerQuery: (perSecond * cost.statements) / LIMITS.d1QueriesPerSecond,
      busyAtMeasuredCpu: (perSecond * cpuMsPerPurchase) / 1000,
      busyAtMeasuredSql: (perSecond * sqlMsPerPurchase) / 1000,
      hottestBytes: hottest * LOAD.totalPurchases * bytesPerPurchase,
    });
  }
  const top = weights[0];
  return {
    rows,
    topCreatorShare: top,
    topCreatorPerSecond: top * LOAD.peakPerSecond,
    topCreatorBytes: top * LOAD.totalPurchases * bytesPerPurchase,
  };
}

const pct = (x) => `${fmt(x * 100, 0)}%`;
const GB = (b) => `${fmt(b / 1e9, 2)} GB`;

/** The model as Markdown lines (printed by `npm run bench -- shards`). */
export function renderModel(cost, measured, m, opts) {
  const out = [];
  out.push(
    `| shards | purchases/s per shard (mean / busiest) | statements/s | rows written/s | round trips/s | busy at 1 ms a query | busy at ${fmt(measured.sqlMsPerPurchase, 3)} ms SQLite a purchase | busy at ${fmt(measured.cpuMsPerPurchase, 2)} ms CPU a purchase | busiest shard's bytes at 100 M |`,
  );
  out.push('|---|---|---|---|---|---|---|---|---|');
  for (const r of m.rows) {
    out.push(
      `| ${r.shards} | ${fmt(r.meanPerSecond, 0)} / ${fmt(r.hottestPerSecond, 0)} | ${fmt(r.statementsPerSecond, 0)} | ${fmt(r.rowsWrittenPerSecond, 0)} | ${fmt(r.roundTripsPerSecond, 0)} | ${pct(r.busyAtOneMsPerQuery)} | ${pct(r.busyAtMeasuredSql)} | ${pct(r.busyAtMeasuredCpu)} | ${GB(r.hottestBytes)}${r.hottestBytes > LIMITS.d1Bytes ? ' (over 10 GB)' : ''} |`,
    );
  }
  out.push('');
  // Perfectly balanced, each shard kept at half its limit: the floor on the number of shards, whatever the skew.
  const half = (need) => Math.ceil(need / 0.5);
  out.push(
    `Shards needed at 50% of a limit, perfectly balanced: storage ${half((LOAD.totalPurchases * measured.bytesPerPurchase) / LIMITS.d1Bytes)}, ` +
      `queries at 1 ms ${half((LOAD.peakPerSecond * cost.statements) / LIMITS.d1QueriesPerSecond)}, ` +
      `SQLite at ${fmt(measured.sqlMsPerPurchase, 3)} ms a purchase ${half((LOAD.peakPerSecond * measured.sqlMsPerPurchase) / 1000)}, ` +
      `CPU at ${fmt(measured.cpuMsPerPurchase, 2)} ms a purchase ${half((LOAD.peakPerSecond * measured.cpuMsPerPurchase) / 1000)}.`,
  );
  out.push(
    `Creators: ${opts.creators.toLocaleString()}, sales Zipf s = ${opts.s}: the best seller makes ${pct(m.topCreatorShare)} of sales, ` +
      `${fmt(m.topCreatorPerSecond, 0)} purchases/s at peak (${fmt(m.topCreatorPerSecond * 2, 0)} requests/s to a per-creator ` +
      `Durable Object, checkout + completion, against its soft limit of ${LIMITS.doRequestsPerSecond.toLocaleString()}) and ` +
      `${GB(m.topCreatorBytes)} of the 100 M purchases (a Durable Object holds 10 GB).`,
  );
  return out;
}

/** `npm run bench -- shards`: the whole section, its rows for the table and the model's lines. */
export async function benchShards({ prepareState, startDev, d1File, row, log, purchases = 200_000 }) {
  log('ledger costs (test/ledger-costs.test.ts)');
  const costs = measureLedgerCosts();
  const cost = perPurchase(costs);
  row(
    'one purchase on its shard (checkout + completion, D1 meta)',
    `${cost.roundTrips} round trips, ${cost.statements} statements, ${cost.rowsRead} rows read, ${cost.rowsWritten} rows written (${Object.entries(
      cost.written,
    )
      .map(([t, n]) => `${t} ${n}`)
      .join(', ')}); + ${cost.directoryStatements} directory statements (the session)`,
    'report',
    '–',
  );
  log(`seeding one shard with ${purchases.toLocaleString()} purchases`);
  const { state } = await prepareState();
  const file = d1File(state);
  seedAnalytics(file, { purchases, buyers: Math.max(1000, purchases / 20), episodes: 80, days: 365 });
  // Premium episodes are sold once their video is installed; these stand in for uploaded ones.
  const db = openD1(file);
  db.exec(`UPDATE episodes SET media_key = 'bench/' || id WHERE id LIKE 'ep_bench%'`);
  db.close();
  const bytes = ledgerBytes(file);
  row(
    `ledger bytes per purchase (a shard of ${bytes.purchases.toLocaleString()} purchases, tables + indexes)`,
    `${fmt(bytes.perPurchase, 0)} B (purchases ${fmt(bytes.purchaseRowBytes, 0)} B; ${Object.entries(bytes.bytes)
      .map(([t, b]) => `${t} ${fmt(b / 1e6, 1)} MB / ${bytes.rows[t].toLocaleString()} rows`)
      .join(', ')})`,
    'report',
    '–',
  );
  row(
    "finding the buyer's latest day on this shard (with ANALYZE statistics)",
    `without statistics (a new D1): ${bytes.plans.fresh}; with them: ${bytes.plans.analyzed}; as the ledger asks it (INDEXED BY): ${bytes.plans.freshHinted}`,
    'by buyer',
    bytes.plans.freshHinted.includes('buyer_days_by_buyer') && bytes.plans.hinted.includes('buyer_days_by_buyer')
      ? 'met'
      : 'missed',
  );
  log('replaying a purchase on the shard');
  const replay = replayTrace(file, costs.trace);
  row(
    `SQLite time per purchase on that shard (the test's statements replayed for ${replay.runs.toLocaleString()} new buyers, node:sqlite)`,
    `${fmt(replay.msPerPurchase, 3)} ms (${fmt(1000 / replay.msPerPurchase, 0)} purchases/s on one thread; ${replay.paid.toLocaleString()} of ${replay.runs.toLocaleString()} ended paid)`,
    'report',
    replay.paid === replay.runs ? '–' : 'missed',
  );
  const dev = await startDev(state);
  let cpu;
  try {
    log('CPU per purchase');
    cpu = await cpuPerPurchase(dev.url, state, file);
  } finally {
    await dev.stop();
  }
  const checked = checkLedger(file, cpu.buyerIds);
  row(
    `CPU per purchase on one shard (workerd: worker + local D1), ${cpu.completed.toLocaleString()} purchases, 16 concurrent`,
    `${fmt(cpu.cpuMsPerPurchase, 2)} ms (${fmt(cpu.perSecond, 0)} purchases/s on this machine; ledger: ${checked.doubled} doubled, rollups ${checked.rollupsMatchLedger ? 'equal' : 'DIFFER from'} the ledger${Object.keys(cpu.failures).length ? `; failures ${JSON.stringify(cpu.failures)}` : ''})`,
    'report',
    cpu.completed === cpu.attempted && checked.doubled === 0 && checked.rollupsMatchLedger ? '–' : 'missed',
  );
  const measured = {
    bytesPerPurchase: bytes.perPurchase,
    cpuMsPerPurchase: cpu.cpuMsPerPurchase,
    sqlMsPerPurchase: replay.msPerPurchase,
  };
  const lines = [];
  // Two markets: sales spread like a long tail (s = 0.7: the best seller makes about 1%) and a star-driven one
  // (s = 1: about 8%), over 100,000 selling creators.
  for (const s of [0.7, 1]) {
    const opts = { creators: 100_000, s, shards: [1, 4, 16, 64, 256, 1024] };
    lines.push(`#### Zipf s = ${s}`, '', ...renderModel(cost, measured, model(cost, measured, opts), opts), '');
  }
  return { lines, state };
}
