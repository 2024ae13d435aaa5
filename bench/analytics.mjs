// Creator analytics at scale: 1,000,000 paid purchases over 80 episodes, 365 days, 3 currencies and 50,000
// buyers, written straight into the local D1 file (the API would take hours), with the rollups derived
// from that ledger exactly as the completing batch maintains them. Then the analytics routes are timed
// over HTTP, and the same answers computed by scanning purchases are timed for comparison.
import { median, openD1, seedSession, timed } from './lib.mjs';

export const SCALE = { purchases: 1_000_000, buyers: 50_000, episodes: 80, days: 365 };
const SERIES = [
  { id: 'ser_benchUSD0000000000001', currency: 'USD', episodes: 40, price: 199 },
  { id: 'ser_benchEUR0000000000001', currency: 'EUR', episodes: 20, price: 299 },
  { id: 'ser_benchJPY0000000000001', currency: 'JPY', episodes: 20, price: 500 },
];
const DAY = 86_400_000;

/** Seeds the ledger and rollups; returns the creator's bearer token. */
export function seedAnalytics(file, scale = SCALE) {
  const db = openD1(file);
  const now = Date.now();
  const today = Math.floor(now / DAY) * DAY;
  db.exec('BEGIN');
  db.exec(
    `INSERT INTO users (id, email, password_hash, created_at) VALUES ('usr_benchCreator00000001', 'creator@bench.test', 'x', ${now})`,
  );
  db.exec(`INSERT INTO creators (id, user_id, handle, display_name, status, created_at, status_changed_at)
           VALUES ('cr_benchCreator000000001', 'usr_benchCreator00000001', 'benchcreator', 'Bench', 'approved', ${now}, ${now})`);
  db.exec(`WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ${scale.buyers})
           INSERT INTO users (id, email, password_hash, created_at) SELECT printf('usr_bench%016d', i), printf('b%d@bench.test', i), 'x', ${now} FROM n`);
  let position = 0;
  const episodes = [];
  for (const s of SERIES) {
    db.exec(`INSERT INTO series (id, creator_id, title, description, currency, bundle_price, status, created_at, updated_at, published_at)
             VALUES ('${s.id}', 'cr_benchCreator000000001', 'Bench ${s.currency}', '', '${s.currency}', NULL, 'published', ${now}, ${now}, ${now})`);
    for (let e = 0; e < s.episodes; e++, position++) {
      const id = `ep_bench${String(position).padStart(16, '0')}`;
      episodes.push({ id, series: s });
      db.exec(`INSERT INTO episodes (id, series_id, position, title, duration_seconds, price, created_at, updated_at)
               VALUES ('${id}', '${s.id}', ${e + 1}, 'Episode ${e + 1}', 600, ${s.price}, ${now}, ${now})`);
    }
  }
  // Episode k of buyer b is (4k + b) mod 80 for k < 20: each buyer buys 20 distinct episodes.
  db.exec(`CREATE TEMP TABLE ep_map (idx INTEGER PRIMARY KEY, id TEXT, series_id TEXT, currency TEXT, price INTEGER)`);
  const insertMap = db.prepare('INSERT INTO ep_map VALUES (?, ?, ?, ?, ?)');
  episodes.forEach((e, i) => insertMap.run(i, e.id, e.series.id, e.series.currency, e.series.price));
  db.exec(`WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ${scale.purchases})
    INSERT INTO purchases (id, buyer_id, creator_id, series_id, episode_id, item_key, amount, currency, commission_bps,
      commission_amount, payout_amount, status, provider, idempotency_key, created_at, expires_at, paid_at, updated_at)
    SELECT printf('pur_bench%016d', x.i), printf('usr_bench%016d', x.i % ${scale.buyers}), 'cr_benchCreator000000001',
      m.series_id, m.id, 'episode:' || m.id, m.price, m.currency, 0, 0, m.price, 'paid', 'test', printf('k%d', x.i),
      x.p, x.p + 3600000, x.p, x.p
    FROM (SELECT i, ${today} - ((i * 7919) % ${scale.days}) * ${DAY} + (i % 86000) * 1000 AS p,
                 ((i / ${scale.buyers}) * 4 + i % ${scale.buyers}) % ${scale.episodes} AS idx FROM n) AS x
    JOIN ep_map m ON m.idx = x.idx`);
  db.exec(`INSERT INTO sales_daily (creator_id, currency, day, series_id, episode_id, sales, gross, commission, payout)
           SELECT creator_id, currency, strftime('%Y-%m-%d', paid_at / 1000, 'unixepoch'), series_id, COALESCE(episode_id, ''),
                  COUNT(*), SUM(amount), SUM(commission_amount), SUM(payout_amount)
           FROM purchases WHERE creator_id = 'cr_benchCreator000000001' GROUP BY 1, 2, 3, 4, 5`);
  // Previous purchase days exactly as migration 0009 derives them from an existing ledger.
  db.exec(`INSERT INTO buyer_days (creator_id, currency, day, series_id, buyer_id, prev_day, prev_series_day)
           SELECT creator_id, currency, day, series_id, buyer_id,
                  LAG(day) OVER (PARTITION BY creator_id, currency, buyer_id ORDER BY day, series_id),
                  LAG(day) OVER (PARTITION BY creator_id, currency, series_id, buyer_id ORDER BY day)
           FROM (SELECT DISTINCT creator_id, currency, strftime('%Y-%m-%d', paid_at / 1000, 'unixepoch') AS day, series_id, buyer_id
                 FROM purchases WHERE creator_id = 'cr_benchCreator000000001')`);
  db.exec('COMMIT');
  db.exec('ANALYZE');
  const token = seedSession(db, 'usr_benchCreator00000001');
  db.close();
  return token;
}

/** The same answers, computed by scanning the ledger instead of reading the rollups. */
const SCANS = {
  summary: `SELECT currency, COUNT(*) AS sales, SUM(amount) AS gross, SUM(payout_amount) AS payout, COUNT(DISTINCT buyer_id) AS buyers
            FROM purchases WHERE creator_id = 'cr_benchCreator000000001' AND paid_at IS NOT NULL GROUP BY currency ORDER BY currency`,
  episodes: `SELECT episode_id, COUNT(*) AS sales, SUM(amount) AS gross FROM purchases
             WHERE creator_id = 'cr_benchCreator000000001' AND paid_at IS NOT NULL GROUP BY episode_id`,
  daily: `SELECT strftime('%Y-%m-%d', paid_at / 1000, 'unixepoch') AS day, currency, COUNT(*) AS sales, SUM(amount) AS gross
          FROM purchases WHERE creator_id = 'cr_benchCreator000000001' AND paid_at IS NOT NULL GROUP BY 1, 2`,
};

export async function benchAnalytics(api, token, file, { runs = 7 } = {}) {
  const get = async (path) => {
    const res = await fetch(`${api}${path}`, { headers: { Authorization: `Bearer ${token}` } });
    if (!res.ok) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
    return res.json();
  };
  const from = (days) => new Date(Date.now() - (days - 1) * DAY).toISOString().slice(0, 10);
  const routes = {
    summary: '/v1/analytics/summary',
    summary30d: `/v1/analytics/summary?from=${from(30)}`,
    summary90d: `/v1/analytics/summary?from=${from(90)}`,
    episodes: '/v1/analytics/episodes',
    daily: '/v1/analytics/daily',
  };
  const result = {};
  const answers = {};
  for (const [name, path] of Object.entries(routes)) {
    answers[name] = await get(path); // warm-up, and the answer checked below
    const times = [];
    for (let i = 0; i < runs; i++) times.push((await timed(() => get(path))).ms);
    result[name] = { ms: median(times) };
  }
  // The scan baseline runs on the same SQLite file, in this process.
  const db = openD1(file);
  const since = (days) => SCANS.summary.replace('paid_at IS NOT NULL', `paid_at >= ${Date.parse(from(days))}`);
  for (const [name, sql] of Object.entries({ ...SCANS, summary30d: since(30), summary90d: since(90) })) {
    const times = [];
    let rows;
    for (let i = 0; i < 3; i++) {
      const t = await timed(() => db.prepare(sql).all());
      times.push(t.ms);
      rows = t.value;
    }
    result[name].scanMs = median(times);
    result[name].ratio = result[name].scanMs / result[name].ms;
    if (name.startsWith('summary')) {
      const api = answers[name].totals.map((t) => ({
        currency: t.currency,
        sales: t.sales,
        gross: t.gross,
        payout: t.payout,
        buyers: t.buyers,
      }));
      const scan = rows.map((r) => ({ ...r }));
      result[name].matches = JSON.stringify(api) === JSON.stringify(scan);
    }
  }
  db.close();
  return result;
}
