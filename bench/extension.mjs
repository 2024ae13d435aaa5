// The browser extension in Debian's Chromium: its end-to-end file (apps/extension/test/e2e) is the harness,
// run with a 1,000-scroll feed. It writes what it measured (test-results/navigation.json and feed.json); the
// test asserts behaviour only, never a time, so these figures live here.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
export const EXTENSION = join(root, 'apps/extension');
/** Feed scrolls in the benchmark run (the test's own default is 130). */
export const FEED_SCROLLS = 1000;

/** Runs the end-to-end file once; null when it failed (the figures of a failing run mean nothing). */
export function benchExtensionBrowser() {
  const e2e = spawnSync('npx', ['vitest', 'run', 'test/e2e'], {
    cwd: EXTENSION,
    encoding: 'utf8',
    env: { ...process.env, SERIES_FEED_SCROLLS: String(FEED_SCROLLS) },
  });
  const read = (name) => {
    const file = join(EXTENSION, 'test-results', name);
    return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : null;
  };
  if (e2e.status !== 0) {
    console.error(e2e.stdout.slice(-4000), e2e.stderr.slice(-2000));
    return null;
  }
  return { navigation: read('navigation.json'), feed: read('feed.json') };
}

/**
 * Memory over a long feed, with a same-run baseline: the stand-in site scrolled 1,000 items in Chromium
 * without the extension, then with it (signed out, API on the local worker behind the recording proxy), the
 * same way both times. After a collection at items 100, 500 and 1,000: the tab's JS heap (the page and the
 * content script share it) and, with the extension, its service worker's heap. What the extension adds is
 * the difference between the two runs' growth.
 */
export async function benchFeedMemory({ items = FEED_SCROLLS, points = [100, 500, 1000] } = {}) {
  const { chromium } = await import('playwright-core');
  const { startWorker } = await import('../apps/worker/scripts/test-server.mjs');
  const { startSite } = await import('../apps/extension/test/e2e/site.ts');
  const { startProxy } = await import('../apps/extension/test/e2e/proxy.ts');
  const { devtools } = await import('../apps/extension/test/e2e/devtools.ts');
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const extensionDir = join(EXTENSION, '.output/chrome-mv3');
  const [worker, site] = await Promise.all([startWorker(), startSite()]);
  const proxy = await startProxy(worker.url);
  const runs = {};
  try {
    for (const withExtension of [false, true]) {
      const profile = mkdtempSync(join(tmpdir(), 'series-bench-'));
      const context = await chromium.launchPersistentContext(profile, {
        executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
        headless: true,
        viewport: { width: 1280, height: 800 },
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--js-flags=--expose-gc',
          '--remote-debugging-port=0',
          `--host-resolver-rules=MAP www.tiktok.com 127.0.0.1:${site.port}`,
          '--ignore-certificate-errors',
          ...(withExtension ? [`--disable-extensions-except=${extensionDir}`, `--load-extension=${extensionDir}`] : []),
        ],
      });
      try {
        let tools = null;
        if (withExtension) {
          const sw = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: 15_000 }));
          const popup = await context.newPage();
          await popup.goto(`chrome-extension://${new URL(sw.url()).host}/popup.html`);
          await popup.click('summary');
          await popup.fill('#api', proxy.url);
          await popup.click('[data-role=save-api]');
          await popup.waitForSelector('[data-role=api-saved]');
          await popup.close();
          tools = await devtools(profile);
        }
        const page = await context.newPage();
        await page.goto('https://www.tiktok.com/foryou');
        await page.waitForTimeout(500);
        const samples = [];
        for (let i = 1; i <= items; i++) {
          // One item per step, as a viewer flicks through; long enough for a lookup (about 10 ms locally).
          await page.evaluate(async (n) => {
            window.__scrollToItem(n);
            await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
            await new Promise((resolve) => setTimeout(resolve, 20));
          }, i);
          if (!points.includes(i)) continue;
          const tab = await page.evaluate(() => {
            gc();
            gc();
            return { heap: performance.memory.usedJSHeapSize, nodes: document.getElementsByTagName('*').length };
          });
          samples.push({
            items: i,
            tabHeap: tab.heap,
            domNodes: tab.nodes,
            workerHeap: tools ? await tools.serviceWorkerHeap() : null,
          });
        }
        tools?.close();
        runs[withExtension ? 'extension' : 'baseline'] = samples;
      } finally {
        await context.close();
        rmSync(profile, { recursive: true, force: true });
      }
    }
  } finally {
    await Promise.all([proxy.stop(), site.stop(), worker.stop()]);
  }
  return runs;
}
