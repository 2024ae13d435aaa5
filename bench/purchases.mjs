// Purchase completion under load: concurrent test-mode checkouts and pays, then the ledger is checked for
// lost or doubled purchases and for rollups that differ from it.
import { openD1, seedSession } from './lib.mjs';

/** Buyers with sessions, written before the worker starts (sign-up is rate limited per address). */
export function seedBuyers(file, count) {
  const db = openD1(file);
  const now = Date.now();
  const buyers = [];
  db.exec('BEGIN');
  for (let i = 0; i < count; i++) {
    const id = `usr_benchBuyer${String(i).padStart(10, '0')}`;
    db.prepare('INSERT INTO users (id, email, password_hash, created_at) VALUES (?, ?, ?, ?)').run(
      id,
      `buyer${i}@bench.test`,
      'x',
      now,
    );
    buyers.push({ id, token: seedSession(db, id) });
  }
  db.exec('COMMIT');
  // Premium episodes are sold once their video is installed (checkout answers episode_not_ready before): these
  // stand in for uploaded ones, as the shards benchmark does.
  db.exec(`UPDATE episodes SET media_key = 'bench/' || id WHERE id LIKE 'ep_bench%' AND media_key IS NULL`);
  const episodes = db
    .prepare(
      `SELECT e.id FROM episodes e JOIN series s ON s.id = e.series_id WHERE s.creator_id = 'cr_benchCreator000000001' ORDER BY e.id`,
    )
    .all()
    .map((r) => r.id);
  db.close();
  return { buyers, episodes };
}

export async function benchPurchases(api, { buyers, episodes }, { perBuyer = 50, concurrency = 64 } = {}) {
  const jobs = buyers.flatMap((b, j) =>
    Array.from({ length: perBuyer }, (_, k) => ({ buyer: b, episodeId: episodes[(j + k) % episodes.length] })),
  );
  let next = 0;
  let completed = 0;
  let retries = 0;
  const failures = {};
  // A dropped connection is retried, as a real client would: the same Idempotency-Key makes the checkout
  // safe to repeat, and paying twice completes once.
  const send = async (url, init) => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await fetch(url, init);
      } catch (err) {
        if (attempt >= 5) throw err;
        retries++;
        await new Promise((r) => setTimeout(r, 50 * attempt));
      }
    }
  };
  const one = async ({ buyer, episodeId }) => {
    const checkout = await send(`${api}/v1/checkout`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${buyer.token}`,
        'Content-Type': 'application/json',
        'Idempotency-Key': crypto.randomUUID(),
      },
      body: JSON.stringify({ episodeId }),
    });
    if (checkout.status !== 201 && checkout.status !== 200)
      return (failures[`checkout ${checkout.status}`] = (failures[`checkout ${checkout.status}`] ?? 0) + 1);
    const { checkoutUrl } = await checkout.json();
    const url = new URL(checkoutUrl);
    const pay = await send(`${api}${url.pathname}/pay`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ sig: url.searchParams.get('sig') }),
      redirect: 'manual',
    });
    if (pay.status === 303) completed++;
    else failures[`pay ${pay.status}`] = (failures[`pay ${pay.status}`] ?? 0) + 1;
  };
  const t = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < jobs.length) await one(jobs[next++]);
    }),
  );
  const seconds = (performance.now() - t) / 1000;
  return { attempted: jobs.length, completed, perSecond: completed / seconds, seconds, failures, retries };
}

/** After the run: every purchase paid once, none lost, and the rollups equal the ledger. */
export function checkLedger(file, buyerIds) {
  const db = openD1(file);
  const placeholders = buyerIds.map(() => '?').join(',');
  const paid = db
    .prepare(`SELECT COUNT(*) AS n FROM purchases WHERE status = 'paid' AND buyer_id IN (${placeholders})`)
    .get(...buyerIds).n;
  const doubled = db
    .prepare(
      `SELECT COUNT(*) AS n FROM (SELECT buyer_id, item_key FROM purchases WHERE status = 'paid' GROUP BY 1, 2 HAVING COUNT(*) > 1)`,
    )
    .get().n;
  const ledger = db
    .prepare(`SELECT COUNT(*) AS sales, SUM(amount) AS gross FROM purchases WHERE paid_at IS NOT NULL`)
    .get();
  const rollup = db.prepare(`SELECT SUM(sales) AS sales, SUM(gross) AS gross FROM sales_daily`).get();
  db.close();
  return { paid, doubled, rollupsMatchLedger: ledger.sales === rollup.sales && ledger.gross === rollup.gross };
}
