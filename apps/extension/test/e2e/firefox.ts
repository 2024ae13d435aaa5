import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type ElementHandle, type Page } from 'puppeteer-core';
import { BidiElementHandle } from 'puppeteer-core/internal/bidi/ElementHandle.js';
import type { Recorded } from './proxy';

/** The API address the extension is built with by default (wxt.config.ts): the local worker of `npm start`. */
export const DEFAULT_API = 'http://127.0.0.1:8787';
/** Fixed, so the extension's pages have known addresses (moz-extension://<uuid>/…). */
export const EXTENSION_UUID = '5e1e5a2c-0f6b-4c83-9d1e-7a3c2b1d9e40';

/**
 * Firefox has no `--host-resolver-rules`: it reaches the stand-in site and the worker through this proxy, chosen
 * by a proxy auto-config script. `CONNECT www.tiktok.com:443` is tunnelled to the local HTTPS fixture site; plain
 * requests for the build's default API (`http://127.0.0.1:8787`) go to the test's worker, recorded like the
 * Chromium test's proxy records them, so the extension runs with the address it was built with and nothing
 * that may already listen on 8787 is touched. Anything else is refused.
 */
export async function startNetwork(sitePort: number, apiTarget: string) {
  const upstream = new URL(apiTarget);
  const api = new URL(DEFAULT_API);
  const log: Recorded[] = [];
  const server = createServer((req, res) => {
    let target: URL;
    try {
      target = new URL(req.url ?? '');
    } catch {
      return void res.writeHead(400).end();
    }
    if (target.origin !== api.origin) return void res.writeHead(502).end();
    const entry: Recorded = {
      method: req.method ?? 'GET',
      path: `${target.pathname}${target.search}`,
      authorization: req.headers.authorization,
      range: req.headers.range,
      status: 0,
    };
    log.push(entry);
    const headers = { ...req.headers };
    delete headers['proxy-connection'];
    const forward = request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: entry.path, headers },
      (answer) => {
        entry.status = answer.statusCode ?? 0;
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  server.on('connect', (req, socket, head) => {
    if (req.url !== 'www.tiktok.com:443') return void socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
    const tunnel = connect(sitePort, '127.0.0.1', () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      tunnel.write(head);
      tunnel.pipe(socket);
      socket.pipe(tunnel);
    });
    tunnel.on('error', () => socket.destroy());
    socket.on('error', () => tunnel.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const pac = `function FindProxyForURL(url, host) {
    if (host === 'www.tiktok.com' || url.indexOf('${DEFAULT_API}/') === 0) return 'PROXY 127.0.0.1:${port}';
    return 'DIRECT';
  }`;
  return {
    log,
    pacUrl: `data:application/x-ns-proxy-autoconfig,${encodeURIComponent(pac)}`,
    async stop() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/**
 * Debian's firefox-esr driven over WebDriver BiDi (puppeteer-core), headless, with the built extension
 * installed as a temporary add-on, the network mapped by `pacUrl` and the site's self-signed certificate
 * accepted.
 */
export async function launchFirefox(
  extensionDir: string,
  pacUrl: string,
  options: { locale?: string; prefs?: Record<string, unknown> } = {},
) {
  const profile = mkdtempSync(join(tmpdir(), 'series-firefox-'));
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr',
    protocol: 'webDriverBiDi',
    headless: true,
    acceptInsecureCerts: true,
    userDataDir: profile,
    defaultViewport: { width: 1280, height: 800 },
    extraPrefsFirefox: {
      'network.proxy.type': 2,
      'network.proxy.autoconfig_url': pacUrl,
      // The API is on 127.0.0.1, which Firefox otherwise never sends through a proxy.
      'network.proxy.allow_hijacking_localhost': true,
      'extensions.webextensions.uuids': JSON.stringify({ 'series@series.test': EXTENSION_UUID }),
      'intl.accept_languages': options.locale ?? 'en-US',
      'intl.locale.requested': options.locale ?? 'en-US',
      'media.autoplay.default': 0,
      ...options.prefs,
    },
  });
  const id = await browser.installExtension(extensionDir);
  return {
    browser,
    id,
    extensionUrl: (path: string) => `moz-extension://${EXTENSION_UUID}/${path}`,
    async close() {
      await browser.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * A page (tab or window) whose address passes `match`, opened by the extension or the site, waiting for it.
 * Asked of each page's document: puppeteer keeps `about:blank` as the address of a tab the extension opened
 * on one of its own pages (Firefox sends no navigation events for moz-extension: documents over BiDi).
 */
export async function nextPage(browser: Browser, match: (url: string) => boolean, timeout = 15_000): Promise<Page> {
  const deadline = Date.now() + timeout;
  for (;;) {
    for (const page of await browser.pages()) {
      const url = await page.evaluate(() => location.href).catch(() => page.url());
      if (match(url)) return page;
    }
    if (Date.now() > deadline) throw new Error('timed out waiting for a page');
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * The overlay's closed shadow root. Neither the page nor puppeteer's selectors can open it; WebDriver BiDi
 * serialises an element's shadow root whatever its mode, and that reference works as an argument to scripts.
 */
export async function overlayRoot(page: Page): Promise<ElementHandle<ShadowRoot> | null> {
  const host = await page.$('series-overlay');
  if (!host) return null;
  const value = (host as unknown as BidiElementHandle).remoteValue() as {
    value?: { shadowRoot?: Parameters<typeof BidiElementHandle.from>[0] };
  };
  const root = value.value?.shadowRoot;
  if (!root) return null;
  const handle = BidiElementHandle.from<ShadowRoot>(root, (host as unknown as BidiElementHandle).realm);
  return handle as unknown as ElementHandle<ShadowRoot>;
}

/** What the overlay shows now: its panel's text and the data-role of each control. */
export async function overlayState(page: Page): Promise<{ text: string | null; roles: string[] }> {
  const root = await overlayRoot(page);
  if (!root) return { text: null, roles: [] };
  return root.evaluate((r) => {
    const panel = r.querySelector('.panel');
    return {
      text: panel?.textContent ?? null,
      roles: panel ? [...panel.querySelectorAll('[data-role]')].map((el) => el.getAttribute('data-role') ?? '') : [],
    };
  });
}

export async function waitForOverlay(
  page: Page,
  check: (state: { text: string | null; roles: string[] }) => boolean,
  what: string,
  timeout = 15_000,
) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const state = await overlayState(page).catch(() => ({ text: null, roles: [] as string[] }));
    if (check(state)) return state;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; overlay: ${JSON.stringify(state)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A real click (pointer input through BiDi) on a control of the overlay. */
export async function clickInOverlay(page: Page, selector: string) {
  const root = await overlayRoot(page);
  const control = await root?.$(selector);
  if (!control) throw new Error(`no ${selector} in the overlay`);
  await control.click();
}
