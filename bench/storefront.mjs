// The public storefront as a phone opens it from a link in bio: Lighthouse (mobile preset) on the creator and
// series pages, the bytes a page ships, and time to first byte of a cached page against the bare route.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request, Agent } from 'node:http';
import { createServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import lighthouse from 'lighthouse';
import { DEMO, DEMO_PASSWORD } from '../apps/worker/scripts/seed.mjs';
import { median, percentile } from './lib.mjs';

export const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_FLAGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];
const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'];
/** The storefront's targets per Lighthouse category (scores 0..100). */
export const LIGHTHOUSE_TARGETS = { performance: 95, accessibility: 100, 'best-practices': 95, seo: 100 };
export const JS_BUDGET_GZIP = 15 * 1024;

const gz = (bytes) => gzipSync(bytes, { level: 9 }).length;

export function storefrontPages(api) {
  return {
    creator: `${api}/@${DEMO.handle}`,
    series: `${api}/@${DEMO.handle}/${DEMO.seriesSlug}`,
  };
}

/** HTML and JavaScript of each page as the worker serves them, raw and gzipped. */
async function pageBytes(pages) {
  const out = {};
  for (const [name, url] of Object.entries(pages)) {
    const res = await fetch(url, { headers: { 'Accept-Language': 'en' } });
    if (!res.ok) throw new Error(`${url} answered ${res.status}`);
    const html = Buffer.from(await res.arrayBuffer());
    // Every script the page loads (today one module), so a second one could not slip past the budget.
    const srcs = [...html.toString('utf8').matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g)].map((m) => m[1]);
    const scripts = [];
    for (const src of srcs) {
      const js = await fetch(new URL(src, url));
      if (!js.ok) throw new Error(`${src} answered ${js.status}`);
      const body = Buffer.from(await js.arrayBuffer());
      scripts.push({ src, bytes: body.length, gzipBytes: gz(body) });
    }
    out[name] = {
      html: { bytes: html.length, gzipBytes: gz(html) },
      scripts,
      js: { bytes: scripts.reduce((s, x) => s + x.bytes, 0), gzipBytes: scripts.reduce((s, x) => s + x.gzipBytes, 0) },
    };
  }
  return out;
}

/**
 * Time to the response's headers, one keep-alive connection, as a browser asks (gzip, a language). The body is
 * read to the end before the next request.
 */
function ttfbOnce(agent, url) {
  return new Promise((resolve, reject) => {
    const t = performance.now();
    const req = request(url, { agent, headers: { 'Accept-Encoding': 'gzip', 'Accept-Language': 'en' } }, (res) => {
      const ms = performance.now() - t;
      res.resume();
      res.on('end', () =>
        res.statusCode === 200 ? resolve(ms) : reject(new Error(`${url} answered ${res.statusCode}`)),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

export async function benchTtfb(api, { rounds = 5, perRound = 200 } = {}) {
  const targets = { bare: `${api}/healthz`, page: storefrontPages(api).series };
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  try {
    // Warm: the first request renders the page and stores it in the Cache API; later ones are served from it.
    for (const url of Object.values(targets)) for (let i = 0; i < 20; i++) await ttfbOnce(agent, url);
    const samples = { bare: [], page: [] };
    // Interleaved rounds, so drift on a shared machine hits both alike.
    for (let r = 0; r < rounds; r++) {
      for (const [name, url] of Object.entries(targets)) {
        for (let i = 0; i < perRound; i++) samples[name].push(await ttfbOnce(agent, url));
      }
    }
    const stats = (xs) => ({ p50: median(xs), p99: percentile(xs, 99), n: xs.length });
    const bare = stats(samples.bare);
    const page = stats(samples.page);
    return { bare, page, ratio: page.p50 / bare.p50, path: new URL(targets.page).pathname };
  } finally {
    agent.destroy();
  }
}

/** Debian's Chromium with its DevTools port on a free port; `stop()` ends it and removes its profile. */
async function startChromium(extraFlags = []) {
  const profile = mkdtempSync(join(tmpdir(), 'series-lighthouse-'));
  const child = spawn(
    CHROMIUM,
    [...CHROMIUM_FLAGS, ...extraFlags, '--remote-debugging-port=0', `--user-data-dir=${profile}`, 'about:blank'],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
      detached: true,
    },
  );
  const port = await new Promise((resolve, reject) => {
    let err = '';
    const timer = setTimeout(() => reject(new Error(`Chromium did not open its DevTools port:\n${err}`)), 30_000);
    child.stderr.on('data', (chunk) => {
      err += chunk;
      const m = err.match(/DevTools listening on ws:\/\/[^:]+:(\d+)\//);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.on('exit', (code) => reject(new Error(`Chromium exited with ${code}:\n${err}`)));
  });
  child.stderr.resume();
  return {
    port,
    async stop() {
      try {
        // The wrapper script and the browser it starts share this process group.
        process.kill(-child.pid, 'SIGTERM');
      } catch {}
      await new Promise((r) => setTimeout(r, 500));
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Lighthouse's default settings are the mobile preset (Moto G Power-sized screen, simulated slow 4G, 4× CPU
 * slowdown). Runs alternate between the pages; each run starts with the origin's storage and cache cleared.
 */
async function lighthouseRuns(pages, { runs, chromiumFlags = [] }) {
  const chromium = await startChromium(chromiumFlags);
  const results = Object.fromEntries(Object.keys(pages).map((name) => [name, []]));
  try {
    for (let r = 0; r < runs; r++) {
      for (const [name, url] of Object.entries(pages)) {
        // On a loaded machine Chromium's trace now and then misses the navigation (NO_NAVSTART): that run
        // measured nothing, so it is run again (twice at most) rather than losing the whole benchmark.
        let lhr;
        for (let attempt = 1; ; attempt++) {
          const result = await lighthouse(url, {
            port: chromium.port,
            output: 'json',
            logLevel: 'error',
            onlyCategories: CATEGORIES,
          });
          lhr = result?.lhr;
          if (lhr && !lhr.runtimeError) break;
          const why = lhr?.runtimeError?.message ?? 'no result';
          if (attempt === 3) throw new Error(`Lighthouse on ${url}: ${why}`);
          console.error(`[bench] Lighthouse on ${url} measured nothing (${why}); running it again`);
        }
        results[name].push(lhr);
      }
    }
  } finally {
    await chromium.stop();
  }
  return Object.fromEntries(Object.entries(results).map(([name, lhrs]) => [name, summarise(lhrs)]));
}

/**
 * Median score per category, LCP and bytes over the runs, and the scored audits that fell short in any run
 * (below 0.9, where Lighthouse's report stops calling an audit passed).
 */
function summarise(lhrs) {
  const scores = Object.fromEntries(
    CATEGORIES.map((c) => [c, median(lhrs.map((l) => Math.round(l.categories[c].score * 100)))]),
  );
  const failing = new Map();
  for (const lhr of lhrs) {
    for (const c of CATEGORIES) {
      for (const ref of lhr.categories[c].auditRefs) {
        const a = lhr.audits[ref.id];
        if (ref.weight > 0 && a.score !== null && a.score < 0.9)
          failing.set(`${c}: ${a.id}`, a.displayValue ?? a.explanation ?? '');
      }
    }
  }
  const missed = CATEGORIES.filter((c) => scores[c] < LIGHTHOUSE_TARGETS[c]);
  return {
    runs: lhrs.length,
    scores,
    lcpMs: median(lhrs.map((l) => l.audits['largest-contentful-paint'].numericValue)),
    bytes: median(lhrs.map((l) => l.audits['total-byte-weight'].numericValue)),
    requests: median(lhrs.map((l) => l.audits['network-requests'].details.items.length)),
    missed,
    failing: [...failing.entries()].map(([id, value]) => (value ? `${id} (${value})` : id)),
    lighthouseVersion: lhrs[0].lighthouseVersion,
  };
}

/**
 * A photo-like JPEG cover (480×640, twice the size pages reserve for it), drawn and encoded by Chromium so no
 * image tool is needed. The strokes come from a fixed seed, so every run serves the same bytes.
 */
async function coverJpeg() {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 480, height: 640 } });
    await page.setContent('<body style="margin:0"><canvas id="c" width="480" height="640"></canvas></body>');
    await page.evaluate(() => {
      const ctx = document.getElementById('c').getContext('2d');
      let seed = 42;
      const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
      const sky = ctx.createLinearGradient(0, 0, 0, 640);
      sky.addColorStop(0, '#1d2b53');
      sky.addColorStop(0.6, '#7e2553');
      sky.addColorStop(1, '#ff8c42');
      ctx.fillStyle = sky;
      ctx.fillRect(0, 0, 480, 640);
      for (let i = 0; i < 2500; i++) {
        ctx.fillStyle = `hsla(${Math.floor(rnd() * 360)},60%,${Math.floor(30 + rnd() * 50)}%,${0.05 + rnd() * 0.25})`;
        ctx.beginPath();
        ctx.arc(rnd() * 480, rnd() * 640, 1 + rnd() * 18, 0, Math.PI * 2);
        ctx.fill();
      }
      ctx.fillStyle = '#fff';
      ctx.font = 'bold 52px serif';
      ctx.fillText('THE LIGHTHOUSE', 24, 560);
      ctx.fillText('KEEPER', 24, 616);
    });
    return await page.screenshot({ type: 'jpeg', quality: 80 });
  } finally {
    await browser.close();
  }
}

/** Covers are the creators' own https images: served here from a local https server with a throwaway certificate. */
async function serveCover(image) {
  const dir = mkdtempSync(join(tmpdir(), 'series-cover-'));
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
    ],
    { stdio: 'ignore' },
  );
  const server = createServer(
    { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) },
    (req, res) => {
      if (req.url !== '/cover.jpg') return res.writeHead(404).end();
      res.writeHead(200, {
        'Content-Type': 'image/jpeg',
        'Content-Length': image.length,
        'Cache-Control': 'public, max-age=86400',
      });
      res.end(image);
    },
  );
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `https://127.0.0.1:${server.address().port}/cover.jpg`,
    async close() {
      await new Promise((resolve) => server.close(resolve));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Sets (or clears) the demo series' cover through the API, as the creator would: the pages are purged. */
async function setDemoCover(api, coverUrl) {
  const login = await fetch(`${api}/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: DEMO.creator, password: DEMO_PASSWORD }),
  });
  if (!login.ok) throw new Error(`creator login answered ${login.status}`);
  const { token } = await login.json();
  const res = await fetch(`${api}/v1/series/${DEMO.seriesId}`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ coverUrl }),
  });
  if (!res.ok) throw new Error(`setting the cover answered ${res.status}: ${await res.text()}`);
}

const warm = async (pages) => {
  for (const url of Object.values(pages)) {
    const res = await fetch(url, { headers: { 'Accept-Language': 'en-US,en;q=0.9' } });
    if (!res.ok) throw new Error(`${url} answered ${res.status}`);
    await res.arrayBuffer();
  }
};

export async function benchStorefront(api, { runs = 5, coverRuns = 3, log = () => {} } = {}) {
  const pages = storefrontPages(api);
  await warm(pages);
  log('storefront bytes');
  const bytes = await pageBytes(pages);
  log('storefront TTFB (cached page against /healthz)');
  const ttfb = await benchTtfb(api);
  log(`storefront Lighthouse, ${runs} runs per page`);
  const lighthouseResult = await lighthouseRuns(pages, { runs });
  // The demo has no cover images; a real creator's page usually does, and a cover is the likely LCP element.
  let withCover;
  try {
    log(`storefront Lighthouse with a cover image, ${coverRuns} runs per page`);
    const image = await coverJpeg();
    const cover = await serveCover(image);
    try {
      await setDemoCover(api, cover.url);
      await warm(pages);
      // The cover's throwaway certificate is accepted only by this browser, which runs nothing else.
      withCover = {
        imageBytes: image.length,
        pages: await lighthouseRuns(pages, { runs: coverRuns, chromiumFlags: ['--ignore-certificate-errors'] }),
      };
    } finally {
      await setDemoCover(api, null).catch(() => {});
      await cover.close();
    }
  } catch (error) {
    withCover = { error: String(error?.message ?? error).split('\n')[0] };
  }
  return { pages, bytes, ttfb, lighthouse: lighthouseResult, withCover };
}
