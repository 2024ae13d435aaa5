// What one purchase costs the database that holds its creator's ledger (a shard once the ledger is split,
// docs/scaling.md): rows read and written as D1 reports them, statements and round trips, for the checkout and
// the completion, with the directory's part (accounts, sessions) told apart. The test prints a `ledger-costs`
// line that `npm run bench -- shards` feeds to its model of N shards at peak.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { costedCall, type D1Costs } from './d1-costs';
import { idemKey, publishedSeries, signup } from './helpers';
import { expectInvariants } from './invariants';

type Home = 'shard' | 'directory';
const total = (costs: D1Costs, home: Home, key: 'rowsRead' | 'rowsWritten') =>
  costs.statements.filter((s) => s.home === home).reduce((n, s) => n + s[key], 0);
const part = (costs: D1Costs, home: Home) => ({
  statements: costs.statements.filter((s) => s.home === home).length,
  rowsRead: total(costs, home, 'rowsRead'),
  rowsWritten: total(costs, home, 'rowsWritten'),
});
/** Rows written per table (a write statement's first table; triggers count in the statement that fires them). */
const writtenBy = (costs: D1Costs) => {
  const out: Record<string, number> = {};
  for (const s of costs.statements) {
    const table = /^(?:INSERT(?: OR \w+)? INTO|UPDATE|DELETE FROM)\s+(\w+)/i.exec(s.sql)?.[1];
    if (table && s.rowsWritten) out[table] = (out[table] ?? 0) + s.rowsWritten;
  }
  return out;
};
const summary = (costs: D1Costs) => ({
  roundTrips: costs.roundTrips,
  shard: part(costs, 'shard'),
  directory: part(costs, 'directory'),
  written: writtenBy(costs),
});

/** A new buyer's purchase through the real routes: checkout, then Pay on the test checkout page. */
async function purchase(item: { episodeId: string } | { seriesId: string }) {
  const buyer = await signup();
  const checkout = await costedCall('POST', '/v1/checkout', {
    token: buyer.token,
    body: item,
    headers: { 'Idempotency-Key': idemKey() },
  });
  expect(checkout.status, checkout.text).toBe(201);
  const url = new URL(checkout.json.checkoutUrl);
  const pay = await costedCall('POST', `${url.pathname}/pay`, {
    raw: new URLSearchParams({ sig: url.searchParams.get('sig') ?? '' }).toString(),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  });
  expect(pay.status, pay.text).toBe(303);
  return {
    checkout: summary(checkout.costs),
    completion: summary(pay.costs),
    // The ledger's statements as they ran, with their values, for the benchmark to replay on a big shard.
    trace: {
      buyerId: buyer.user.id,
      purchaseId: checkout.json.purchaseId as string,
      statements: [...checkout.costs.statements, ...pay.costs.statements.map((st) => ({ ...st, trip: st.trip + 1000 }))]
        .filter((st) => st.home === 'shard')
        .map(({ sql, params, trip }) => ({ sql, params, trip })),
    },
  };
}

describe('what a purchase costs its creator’s shard', () => {
  it('the 40th sale reads and writes what the 5th did: nothing scans the creator’s growing history', async () => {
    const { ep2, series } = await publishedSeries();
    const sales: Awaited<ReturnType<typeof purchase>>[] = [];
    for (let i = 0; i < 40; i++) sales.push(await purchase({ episodeId: ep2.id }));
    const read = (s: (typeof sales)[number]) => s.checkout.shard.rowsRead + s.completion.shard.rowsRead;
    const written = (s: (typeof sales)[number]) => s.checkout.shard.rowsWritten + s.completion.shard.rowsWritten;
    const early = sales.slice(2, 10);
    const late = sales.slice(30);
    // A statement that walked the creator's other buyers would read one row more per sale (35 more by now).
    expect(Math.max(...late.map(read))).toBeLessThanOrEqual(Math.min(...early.map(read)) + 2);
    expect(new Set(sales.slice(2).map(written))).toEqual(new Set([written(sales[2]!)]));
    // Only the session is read from the directory (accounts): the rest is the creator's.
    for (const s of sales) expect(s.completion.directory.statements + s.checkout.directory.statements).toBe(2);
    const whole = await purchase({ seriesId: series.id });
    const { trace, ...last } = sales.at(-1)!;
    console.log(
      `ledger-costs ${JSON.stringify({ episode: last, wholeSeries: { ...whole, trace: undefined }, sales: sales.length })}`,
    );
    const creator = await env.DB.prepare('SELECT creator_id FROM series WHERE id = ?')
      .bind(series.id)
      .first<{ creator_id: string }>();
    console.log(
      `ledger-trace ${JSON.stringify({ ...trace, creatorId: creator!.creator_id, seriesId: series.id, episodeId: ep2.id })}`,
    );
    await expectInvariants();
  });
});
