import { env } from 'cloudflare:workers';
import { callWithBindings, type WrappedCallOptions } from './d1-counter.js';

/** One statement as D1 ran it: its SQL, the database it belongs to once sharded, and what D1's meta says. */
export interface StatementCost {
  sql: string;
  /** `directory` for accounts and sessions (one global database), `shard` for everything a creator owns. */
  home: 'directory' | 'shard';
  rowsRead: number;
  rowsWritten: number;
  /** SQL execution time D1 reports (`meta.duration`), in ms. */
  ms: number;
  /** The values bound to it, and the round trip it went in (statements of one batch share it). */
  params: unknown[];
  trip: number;
}

/** What a request cost in D1: sequential round trips (a batch is one; overlapping calls add none) and statements. */
export interface D1Costs {
  roundTrips: number;
  statements: StatementCost[];
}

const DIRECTORY = /\b(users|sessions)\b/i;
const home = (sql: string): StatementCost['home'] => (DIRECTORY.test(sql) ? 'directory' : 'shard');

/**
 * `env.DB` with every statement's cost recorded from D1's own result meta (`rows_read`, `rows_written`,
 * `duration`): test code only. `first()` runs as `all()` so its meta is seen (same rows, same answer).
 */
export function costingD1(db: D1Database): { db: D1Database; costs: D1Costs } {
  const costs: D1Costs = { roundTrips: 0, statements: [] };
  let inFlight = 0;
  let trips = 0;
  const record = (sql: string, meta: D1Meta | undefined, params: unknown[], trip: number) =>
    costs.statements.push({
      sql: sql.replace(/\s+/g, ' ').trim(),
      home: home(sql),
      rowsRead: meta?.rows_read ?? 0,
      rowsWritten: meta?.rows_written ?? 0,
      ms: meta?.duration ?? 0,
      params,
      trip,
    });
  const trip = async <T>(run: (trip: number) => Promise<T>): Promise<T> => {
    if (inFlight === 0) costs.roundTrips++;
    const n = ++trips;
    inFlight++;
    try {
      return await run(n);
    } finally {
      inFlight--;
    }
  };
  const RAW = Symbol('raw');
  type Costed = D1PreparedStatement & { [RAW]: D1PreparedStatement; sql: string; params: unknown[] };
  const wrap = (raw: D1PreparedStatement, sql: string, params: unknown[] = []): Costed =>
    new Proxy(raw, {
      get(target, prop) {
        if (prop === RAW) return target;
        if (prop === 'sql') return sql;
        if (prop === 'params') return params;
        if (prop === 'bind') return (...args: unknown[]) => wrap(target.bind(...args), sql, args);
        if (prop === 'run' || prop === 'all')
          return () =>
            trip(async (n) => {
              const result = await target.all();
              record(sql, result.meta, params, n);
              return result;
            });
        if (prop === 'first')
          return (column?: string) =>
            trip(async (n) => {
              const result = await target.all<Record<string, unknown>>();
              record(sql, result.meta, params, n);
              const row = result.results[0];
              return row === undefined ? null : column === undefined ? row : (row[column] ?? null);
            });
        if (prop === 'raw')
          return (options?: { columnNames?: boolean }) =>
            trip(async (n) => {
              record(sql, undefined, params, n);
              return target.raw(options as { columnNames: true });
            });
        const value = Reflect.get(target, prop, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    }) as Costed;
  const session = <S extends D1Database | D1DatabaseSession>(target: S): S =>
    new Proxy(target, {
      get(t, prop) {
        if (prop === 'prepare') return (sql: string) => wrap(t.prepare(sql), sql);
        if (prop === 'batch')
          return (statements: Costed[]) =>
            trip(async (n) => {
              const results = await t.batch(statements.map((s) => s[RAW] ?? s));
              results.forEach((r, i) => record(statements[i]!.sql, r.meta, statements[i]!.params ?? [], n));
              return results;
            });
        if (prop === 'withSession') return (constraint?: string) => session((t as D1Database).withSession(constraint));
        const value = Reflect.get(t, prop, t);
        return typeof value === 'function' ? value.bind(t) : value;
      },
    }) as S;
  return { db: session(db), costs };
}

/** Calls the worker's real fetch handler with `env.DB` costed; the response and what it cost. */
export async function costedCall(method: string, path: string, opts: WrappedCallOptions = {}) {
  const { db, costs } = costingD1(env.DB);
  const { answered: roundTrips, ...res } = await callWithBindings(
    method,
    path,
    opts,
    { ...env, DB: db },
    () => costs.roundTrips,
  );
  return { status: res.status, json: res.json, text: res.text, costs: { ...costs, roundTrips } };
}
