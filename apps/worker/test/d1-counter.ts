import { env } from 'cloudflare:workers';
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import app from '../src/index.js';
import { ORIGIN } from './helpers.js';

/**
 * Round trips to D1, counted around `env.DB` (test code only: production never pays for the wrapper).
 * `sequential` is what a request waits for: a call that starts while another is in flight (Promise.all)
 * overlaps it and adds nothing; a `batch()` is one round trip whatever it holds.
 */
export interface D1Count {
  sequential: number;
  calls: number;
  statements: number;
  /** The SQL of each call, in order (a batch as its statements joined), to say what a budget overrun was. */
  log: string[];
}

const RAW = Symbol('raw statement');
type Wrapped = D1PreparedStatement & { [RAW]: D1PreparedStatement; sql: string };

export function countingD1(db: D1Database): { db: D1Database; count: D1Count } {
  const count: D1Count = { sequential: 0, calls: 0, statements: 0, log: [] };
  let inFlight = 0;
  const track = async <T>(what: string, statements: number, run: () => Promise<T>): Promise<T> => {
    if (inFlight === 0) count.sequential++;
    count.calls++;
    count.statements += statements;
    count.log.push(what);
    inFlight++;
    try {
      return await run();
    } finally {
      inFlight--;
    }
  };
  const short = (sql: string) => sql.replace(/\s+/g, ' ').trim().slice(0, 90);

  const wrapStatement = (raw: D1PreparedStatement, sql: string): Wrapped =>
    new Proxy(raw, {
      get(target, prop) {
        if (prop === RAW) return target;
        if (prop === 'sql') return sql;
        if (prop === 'bind') return (...args: unknown[]) => wrapStatement(target.bind(...args), sql);
        if (prop === 'first' || prop === 'all' || prop === 'run' || prop === 'raw') {
          return (...args: unknown[]) =>
            track(short(sql), 1, () => (target[prop] as (...a: unknown[]) => Promise<unknown>).apply(target, args));
        }
        const value = Reflect.get(target, prop, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    }) as Wrapped;

  const wrapSession = <S extends D1Database | D1DatabaseSession>(session: S): S =>
    new Proxy(session, {
      get(target, prop) {
        if (prop === 'prepare') return (sql: string) => wrapStatement(target.prepare(sql), sql);
        if (prop === 'batch') {
          return (statements: Wrapped[]) =>
            track(statements.map((s) => short(s.sql)).join(' ; '), statements.length, () =>
              target.batch(statements.map((s) => s[RAW] ?? s)),
            );
        }
        if (prop === 'exec') return (sql: string) => track(short(sql), 1, () => (target as D1Database).exec(sql));
        if (prop === 'withSession') {
          return (constraint?: string) => wrapSession((target as D1Database).withSession(constraint));
        }
        const value = Reflect.get(target, prop, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    }) as S;

  return { db: wrapSession(db), count };
}

/** A request as the wrapped-database helpers send it: who asks, and the body. */
export interface WrappedCallOptions {
  token?: string;
  body?: unknown;
  raw?: string;
  headers?: Record<string, string>;
}

/**
 * Calls the worker's real fetch handler with some D1 bindings replaced (by a counting or costing wrapper: test
 * code only). `whileAnswering` runs once the response is read, before the work left to waitUntil (cache writes:
 * not the request's wait, but it must finish before the next test).
 */
export async function callWithBindings<T>(
  method: string,
  path: string,
  opts: WrappedCallOptions,
  bindings: Env,
  whileAnswering: () => T,
) {
  const headers: Record<string, string> = {
    'CF-Connecting-IP': `10.9.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`,
    ...opts.headers,
  };
  if (opts.token) headers['Authorization'] = `Bearer ${opts.token}`;
  let body: string | undefined = opts.raw;
  if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers['Content-Type'] = 'application/json';
  }
  const ctx = createExecutionContext();
  const res = await app.fetch(
    new Request(`${ORIGIN}${path}`, { method, headers, body, redirect: 'manual' }),
    bindings,
    ctx,
  );
  const text = await res.text();
  const answered = whileAnswering();
  await waitOnExecutionContext(ctx);
  let json: any = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  return { status: res.status, json, text, headers: res.headers, answered };
}

/** Calls the worker's real fetch handler with `env.DB` counted; answers the response and the count. */
export async function countedCall(
  method: string,
  path: string,
  opts: WrappedCallOptions & {
    env?: Env;
    /** Other D1 bindings to count too (ledger shards), each on its own: `counts[name]`. */
    also?: string[];
  } = {},
) {
  const base = opts.env ?? env;
  const { db, count } = countingD1(base.DB);
  const others = Object.fromEntries(
    (opts.also ?? []).map((name) => [name, countingD1((base as unknown as Record<string, D1Database>)[name]!)]),
  );
  const bindings = { ...base, DB: db, ...Object.fromEntries(Object.entries(others).map(([name, o]) => [name, o.db])) };
  const { answered: sequential, ...res } = await callWithBindings(method, path, opts, bindings, () => count.sequential);
  return {
    ...res,
    count: { ...count, sequential },
    counts: Object.fromEntries(Object.entries(others).map(([name, o]) => [name, o.count])) as Record<string, D1Count>,
  };
}
