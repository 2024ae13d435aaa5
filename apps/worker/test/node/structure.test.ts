// The worker's layout rules, checked on the source itself (README, "Layout"):
// - no folder of src/ imports another in a cycle (imports of types count: they tie the folders too);
// - a `routes.ts` / `*-routes.ts` file holds a Hono sub-app and no D1 statement;
// - a `queries.ts` / `*-queries.ts` file holds D1 statements and mappers, never a Hono app;
// - any other file of a resource folder is pure logic: no Hono app and no D1 statement;
// - the ledger imports nothing of the payment adapters or the routes that use it;
// - the money paths get their database from src/ledger/placement.ts (`ledgerFor`, or `directory` for what is the
//   directory's): none names `env.DB` itself, so none can reach a creator's ledger in the wrong database.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = new URL('../../src/', import.meta.url).pathname;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'client' ? [] : sources(path);
    return /\.tsx?$/.test(name) && !name.endsWith('.gen.ts') && !name.endsWith('.d.ts') ? [path] : [];
  });
}

const files = sources(SRC);
/** The folder a file belongs to (`index.ts` at the root is the app itself). */
const folderOf = (path: string) => relative(SRC, path).split('/').slice(0, -1)[0] ?? relative(SRC, path);

function importsOf(path: string): string[] {
  const text = readFileSync(path, 'utf8');
  return [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)].map((m) => resolve(dirname(path), m[1]!));
}

function folderGraph(): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const file of files) {
    const from = folderOf(file);
    for (const target of importsOf(file)) {
      const to = folderOf(target.replace(/\.js$/, '.ts'));
      if (to === from) continue;
      if (!graph.has(from)) graph.set(from, new Set());
      graph.get(from)!.add(to);
    }
  }
  return graph;
}

/** Every cycle of the graph, as the folders on it (Tarjan's strongly connected components of size > 1). */
function cycles(graph: Map<string, Set<string>>): string[][] {
  let index = 0;
  const stack: string[] = [];
  const on = new Set<string>();
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const found: string[][] = [];
  const visit = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) visit(v);
  return found;
}

const kind = (path: string) => {
  const name = path.split('/').at(-1)!;
  if (/(^|-)routes\.tsx?$/.test(name)) return 'routes';
  if (/(^|-)queries\.ts$/.test(name)) return 'queries';
  return 'logic';
};
const text = (path: string) => readFileSync(path, 'utf8');
const HONO_APP = /new Hono\b/;
const D1_STATEMENT = /\.prepare\(/;

/**
 * The money paths (docs/scaling.md): checkout, completion, webhooks, refunds, the sale window, access checks, the
 * buyer's purchases and refund requests, analytics and payouts, and the ledger itself. `ledger/placement.ts` is the one module that maps creators to
 * databases.
 */
const MONEY_PATHS = [
  /^ledger\//,
  /^payments\//,
  /^purchases\//,
  /^gifts\//,
  /^access\//,
  /^analytics\//,
  /^payouts\/routes\.ts$/,
];
const moneyPathFiles = files.filter((file) => {
  const where = relative(SRC, file);
  return where !== 'ledger/placement.ts' && MONEY_PATHS.some((p) => p.test(where));
});
const DIRECT_DB = /\benv\.DB\b/;

describe('the worker’s structure', () => {
  it('has no import cycle between folders', () => {
    const graph = folderGraph();
    expect(graph.size).toBeGreaterThan(10);
    expect(cycles(graph)).toEqual([]);
  });

  it('finds a cycle when there is one (the check itself works)', () => {
    const graph = new Map([
      ['a', new Set(['b'])],
      ['b', new Set(['c'])],
      ['c', new Set(['a'])],
      ['d', new Set(['a'])],
    ]);
    expect(cycles(graph)).toEqual([['a', 'b', 'c']]);
  });

  it('keeps the ledger free of payment adapters and routes', () => {
    const graph = folderGraph();
    expect([...(graph.get('ledger') ?? [])].sort()).toEqual(['lib']);
  });

  it('names files for what they hold', () => {
    const wrong: string[] = [];
    for (const file of files) {
      const where = relative(SRC, file);
      // lib/ is shared infrastructure (middleware, cache, the audit statement); index.ts is the app.
      if (where.startsWith('lib/') || !where.includes('/')) continue;
      const source = text(file);
      const k = kind(file);
      if (k === 'routes' && !HONO_APP.test(source)) wrong.push(`${where}: a routes file without a Hono sub-app`);
      if (k === 'routes' && D1_STATEMENT.test(source)) wrong.push(`${where}: D1 statements belong in queries.ts`);
      if (k === 'queries' && HONO_APP.test(source)) wrong.push(`${where}: a Hono app in a queries file`);
      if (k === 'logic' && HONO_APP.test(source)) wrong.push(`${where}: a Hono app outside a routes file`);
      if (k === 'logic' && D1_STATEMENT.test(source)) wrong.push(`${where}: D1 statements outside a queries file`);
    }
    expect(wrong).toEqual([]);
  });

  it('gives the money paths their database through the placement module only', () => {
    expect(moneyPathFiles.length).toBeGreaterThan(15);
    const direct = moneyPathFiles.flatMap((file) =>
      text(file)
        .split('\n')
        .map((line, i) => ({ line, at: `${relative(SRC, file)}:${i + 1}` }))
        .filter(({ line }) => DIRECT_DB.test(line))
        .map(({ at }) => at),
    );
    expect(direct, 'money-path code must use ledgerFor(env, creatorId) or directory(env), never env.DB').toEqual([]);
  });

  it('finds a money-path file that reaches env.DB (the check itself works)', () => {
    expect(DIRECT_DB.test('await completePurchase(c.env.DB, id)')).toBe(true);
    expect(DIRECT_DB.test('const db = env.DB;')).toBe(true);
    expect(DIRECT_DB.test('await completePurchase(ledgerFor(c.env, creatorId), id)')).toBe(false);
  });
});
