// @vitest-environment node
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

/** The budget for the JavaScript a first visit downloads, gzipped. */
const BUDGET_BYTES = 120 * 1024;

/** The build's output folder (vite.config.ts `OUT_DIR`), built by test/build.global.ts. */
const dist = new URL('../worker-assets/dashboard/', import.meta.url);

interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  isDynamicEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
  src?: string;
}

const manifest = () =>
  JSON.parse(readFileSync(new URL('.vite/manifest.json', dist), 'utf8')) as Record<string, ManifestChunk>;
const gzipped = (file: string) => gzipSync(readFileSync(new URL(file, dist)), { level: 9 }).length;

/** A chunk plus everything it imports statically: what the browser must fetch before it runs. */
function closure(m: Record<string, ManifestChunk>, key: string, seen = new Set<string>()): Set<string> {
  if (seen.has(key)) return seen;
  seen.add(key);
  for (const dep of m[key]?.imports ?? []) closure(m, dep, seen);
  return seen;
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

describe('bundle budget (from the production build)', () => {
  it(`loads at most ${kb(BUDGET_BYTES)} of gzipped JavaScript before the app starts`, () => {
    const m = manifest();
    const entry = Object.keys(m).find((k) => m[k]!.isEntry);
    expect(entry, 'an entry chunk in the manifest').toBeDefined();
    const files = [...closure(m, entry!)].map((k) => m[k]!.file);
    const total = files.reduce((n, f) => n + gzipped(f), 0);
    // The HTML loads exactly this entry (its static imports arrive as modulepreloads), from where the worker serves it.
    expect(readFileSync(new URL('index.html', dist), 'utf8')).toContain(`src="/dashboard/${m[entry!]!.file}"`);
    console.info(`initial JS: ${kb(total)} gzipped in ${files.length} files`);
    expect(total).toBeLessThanOrEqual(BUDGET_BYTES);
  });

  it('keeps every page, charts included, within the budget when it is the first page opened', () => {
    const m = manifest();
    const entry = Object.keys(m).find((k) => m[k]!.isEntry)!;
    const pages = Object.keys(m).filter((k) => m[k]!.isDynamicEntry && k.includes('/pages/'));
    expect(pages.length).toBeGreaterThanOrEqual(7);
    const sizes = pages.map((page) => {
      const files = new Set([...closure(m, entry), ...closure(m, page)].map((k) => m[k]!.file));
      return {
        page: page.replace(/^.*pages\/([^/]+)\/.*$/, '$1'),
        bytes: [...files].reduce((n, f) => n + gzipped(f), 0),
      };
    });
    console.info(sizes.map((s) => `${s.page} ${kb(s.bytes)}`).join(', '));
    for (const s of sizes) expect(s.bytes, s.page).toBeLessThanOrEqual(BUDGET_BYTES);
    // chart.js (recognised by one of its error messages) loads with the analytics page, never before.
    const text = (keys: Set<string>) =>
      [...keys].map((k) => readFileSync(new URL(m[k]!.file, dist), 'utf8')).join('\n');
    const CHART_JS = "can't acquire context";
    expect(text(closure(m, 'src/pages/Analytics/index.tsx'))).toContain(CHART_JS);
    expect(text(closure(m, entry))).not.toContain(CHART_JS);
  });

  it('loads the QR encoder only when a QR code is shown, never with the pages that offer one', () => {
    const m = manifest();
    const entry = Object.keys(m).find((k) => m[k]!.isEntry)!;
    const text = (keys: Set<string>) =>
      [...keys].map((k) => readFileSync(new URL(m[k]!.file, dist), 'utf8')).join('\n');
    // uqr, recognised by one of its error messages.
    const UQR = 'String contains unencodable characters in alphanumeric mode';
    const panel = 'src/components/links/QrPanel.tsx';
    expect(m[panel]?.isDynamicEntry, 'the QR panel is its own chunk').toBe(true);
    expect(text(closure(m, panel))).toContain(UQR);
    for (const page of [entry, 'src/pages/Home/index.tsx', 'src/pages/SeriesDetail/index.tsx']) {
      expect(text(closure(m, page)), page).not.toContain(UQR);
    }
    const files = new Set(
      [...closure(m, entry), ...closure(m, 'src/pages/SeriesDetail/index.tsx'), ...closure(m, panel)].map(
        (k) => m[k]!.file,
      ),
    );
    const bytes = [...files].reduce((n, f) => n + gzipped(f), 0);
    console.info(`series page with a QR code shown: ${kb(bytes)}`);
    expect(bytes).toBeLessThanOrEqual(BUDGET_BYTES);
  });
});
