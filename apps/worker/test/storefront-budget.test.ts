import { describe, expect, it } from 'vitest';
import { call, publishedSeries } from './helpers';

/**
 * The storefront is opened from a link in bio on a phone, often on a slow connection: the JavaScript a page
 * loads is held to a byte budget. Bytes are deterministic, so this is a test; speed is measured in
 * `npm run bench` (BENCHMARKS.md), never here.
 */
const JS_BUDGET_GZIP = 15 * 1024;

async function gzipBytes(text: string): Promise<number> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('gzip'));
  return (await new Response(stream).arrayBuffer()).byteLength;
}

describe('storefront JavaScript budget', () => {
  it(`ships at most ${JS_BUDGET_GZIP / 1024} KB of gzipped JavaScript to a series page`, async () => {
    const made = await publishedSeries();
    const slug = (await call('GET', `/v1/series/${made.series.id}`)).json.series.slug as string;
    const page = await call('GET', `/@${made.owner.handle}/${slug}`);
    expect(page.status).toBe(200);
    // Every script the page loads counts, not only today's one bundle.
    const scripts = [...page.text.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g)].map((m) => m[1]!);
    expect(scripts.length).toBeGreaterThan(0);
    let total = 0;
    for (const src of scripts) {
      const res = await call('GET', src);
      expect(res.status, src).toBe(200);
      expect(res.headers.get('Content-Type'), src).toMatch(/^text\/javascript/);
      total += await gzipBytes(res.text);
    }
    expect(total).toBeLessThanOrEqual(JS_BUDGET_GZIP);
  });
});
