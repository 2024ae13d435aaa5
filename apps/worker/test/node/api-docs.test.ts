// docs/api.md is the API's reference: every route the worker serves under /v1 has its row there, with the file
// that holds it, so a route cannot ship undocumented (and a lost row is noticed).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The app is loaded as a module of unknown shape: this test's TypeScript project has no Workers types.
const worker: string = '../../src/index.js';
const app = (await import(worker)).default as { routes: { method: string; path: string }[] };

const docs = readFileSync(fileURLToPath(new URL('../../../../docs/api.md', import.meta.url)), 'utf8');

const METHOD = /^(GET|POST|PUT|PATCH|DELETE)$/;
/** One way to write a path: no query, any parameter name (`:n` in the docs is `:partNumber` in the code). */
const normal = (path: string) => path.replace(/\?.*$/, '').replace(/\/:[^/]+/g, '/:');

/**
 * The routes the docs' tables name in a row's first cell: `GET /v1/x`, a sibling written as its last segment
 * (`POST /v1/series/:id/publish`, `/unpublish`), or methods sharing a path (`GET`/`PUT /v1/admin/commission`).
 */
function documentedRoutes(markdown: string): Set<string> {
  const routes = new Set<string>();
  const fullRoute = /^(GET|POST|PUT|PATCH|DELETE) (\/v1\/\S*)/;
  for (const row of markdown.matchAll(/^\|([^|]*)\|/gm)) {
    const tokens = [...row[1]!.matchAll(/`([^`]*)`/g)].map((m) => m[1]!);
    let methods: string[] = [];
    let last: { method: string; path: string } | null = null;
    tokens.forEach((token, i) => {
      const full = fullRoute.exec(token);
      if (METHOD.test(token)) {
        // Before a route it shares its path (`GET`/`PUT /v1/x`); after one, it is another method of it.
        if (fullRoute.test(tokens[i + 1] ?? '') || !last) methods.push(token);
        else routes.add(`${token} ${last.path}`);
      } else if (full) {
        for (const method of [...methods, full[1]!]) routes.add(`${method} ${normal(full[2]!)}`);
        last = { method: full[1]!, path: normal(full[2]!) };
        methods = [];
      } else if (last && token.startsWith('/') && !token.startsWith('/v1/')) {
        routes.add(`${last.method} ${last.path.replace(/\/[^/]+$/, '')}${normal(token)}`);
      }
    });
  }
  return routes;
}

const documented = documentedRoutes(docs);

describe('docs/api.md', () => {
  it('documents every /v1 route the worker serves', () => {
    const served = [
      ...new Set(
        app.routes
          .filter((r) => r.method !== 'ALL' && r.method !== 'OPTIONS' && r.path.startsWith('/v1/'))
          .map((r) => `${r.method} ${normal(r.path)}`),
      ),
    ];
    expect(served.length).toBeGreaterThan(50);
    expect(served.filter((route) => !documented.has(route))).toEqual([]);
  });
});
