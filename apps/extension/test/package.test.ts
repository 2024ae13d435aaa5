// `npm run package`: what each store gets. Runs the real script (WXT's zip for Chrome and Firefox, store mode)
// with a deployed API address, reads the zips, and rebuilds the Firefox add-on from the sources zip alone.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import webExt from 'web-ext';
import { pngSize, readZip } from './zip';

const root = fileURLToPath(new URL('..', import.meta.url));
const repo = fileURLToPath(new URL('../../..', import.meta.url));
const store = join(root, '.output/store');
const API = 'https://api.series.example';
const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version as string;
const env = { ...process.env, WXT_API_URL: API };
const zip = (name: string) => readZip(readFileSync(join(store, `series-${version}-${name}.zip`)));
const json = (entries: Map<string, Buffer>, name: string) => JSON.parse(entries.get(name)!.toString('utf8'));

let chrome: Map<string, Buffer>;
let firefox: Map<string, Buffer>;
let sources: Map<string, Buffer>;
const temp: string[] = [];

beforeAll(() => {
  rmSync(store, { recursive: true, force: true });
  // (WXT lists the sources it zipped with warnings about their paths: its listing, not the zip, is wrong.)
  execFileSync('npm', ['run', 'package'], { cwd: root, env, stdio: 'pipe' });
  [chrome, firefox, sources] = [zip('chrome'), zip('firefox'), zip('sources')];
}, 120_000);

afterAll(() => temp.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe('npm run package', () => {
  it('refuses to package without a deployed (https) API address', () => {
    expect(() =>
      execFileSync('npx', ['--no-install', 'wxt', 'zip', '--mode', 'store'], {
        cwd: root,
        env: { ...process.env, WXT_API_URL: 'http://127.0.0.1:8787' },
        stdio: 'pipe',
      }),
    ).toThrow(/WXT_API_URL/);
  });

  it('makes a Chrome Web Store zip: MV3 manifest at the root, icons at 16/32/48/128, the API host only', () => {
    const m = json(chrome, 'manifest.json');
    expect(m).toMatchObject({ manifest_version: 3, version, default_locale: 'en', permissions: ['storage'] });
    expect(m.host_permissions).toEqual(['https://www.tiktok.com/*', `${API}/*`]);
    expect(m.background.service_worker).toBe('background.js');
    for (const size of [16, 32, 48, 128]) {
      const file = m.icons[String(size)] as string;
      expect(pngSize(chrome.get(file)!), file).toEqual({ width: size, height: size });
    }
    expect(Object.keys(m.action.default_icon)).toEqual(['16', '32']);
    for (const locale of ['en', 'fr']) expect(chrome.has(`_locales/${locale}/messages.json`)).toBe(true);
  });

  it('makes an AMO zip: gecko id and minimum versions, 48 and 96 px icons, the same code', () => {
    const m = json(firefox, 'manifest.json');
    expect(m.browser_specific_settings.gecko).toMatchObject({ id: 'series@series.test', strict_min_version: '140.0' });
    expect(m.browser_specific_settings.gecko_android.strict_min_version).toBe('142.0');
    expect(m.background.scripts).toEqual(['background.js']);
    for (const size of [48, 96])
      expect(pngSize(firefox.get(m.icons[String(size)])!)).toEqual({ width: size, height: size });
    expect(firefox.get('content-scripts/content.js')).toEqual(chrome.get('content-scripts/content.js'));
  });

  it('ships no source maps and no path of the machine that built it', () => {
    for (const [name, entries] of [
      ['chrome', chrome],
      ['firefox', firefox],
    ] as const) {
      for (const [file, bytes] of entries) {
        expect(file, name).not.toMatch(/\.map$/);
        const text = bytes.toString('latin1');
        expect(text, `${name}/${file}`).not.toContain('sourceMappingURL');
        expect(text, `${name}/${file}`).not.toContain(repo.replace(/\/$/, ''));
        expect(text, `${name}/${file}`).not.toMatch(/\/(home|root|Users|tmp|work)\/[\w.-]+\//);
      }
    }
  });

  it('passes web-ext lint as AMO will run it on the zip’s contents', async () => {
    const result = await webExt.cmd.lint(
      { sourceDir: join(root, '.output/firefox-mv3-store'), output: 'none' },
      { shouldExitProgram: false },
    );
    expect([...result.errors, ...result.warnings, ...result.notices].map((m) => m.code)).toEqual([]);
  });

  it('writes the listings in English and French, the reviewer notes and the store screenshots', () => {
    for (const locale of ['en', 'fr']) {
      const l = JSON.parse(readFileSync(join(store, 'listing', `${locale}.json`), 'utf8'));
      expect(l.summary.length).toBeLessThanOrEqual(132);
      expect(l.description.length).toBeGreaterThan(400);
      expect(l.singlePurpose).not.toBe('');
      // Every permission of the manifest is justified.
      expect(Object.keys(l.permissions)).toEqual([
        'storage',
        'https://www.tiktok.com/*',
        `${API}/*`,
        'https://*/* (optional)',
      ]);
      expect(l.privacyPolicy).toContain(`${API}/privacy?lang=${locale}`);
    }
    expect(readFileSync(join(store, 'listing', 'fr.md'), 'utf8')).toContain('Politique de confidentialité\u202f:');
    const notes = readFileSync(join(store, 'amo-reviewer-notes.md'), 'utf8');
    expect(notes).toContain(`WXT_API_URL=${API} npx wxt zip -b firefox --mode store`);
    expect(notes).toContain('0 errors, 0 warnings');
    expect(pngSize(readFileSync(join(store, 'promo-440x280.png')))).toEqual({ width: 440, height: 280 });
    // The end-to-end tests' screenshots, when they have run: the stores' 1280×800.
    for (const file of readdirSync(join(store, 'screenshots'), { withFileTypes: true }).filter((f) => f.isFile()))
      expect(pngSize(readFileSync(join(store, 'screenshots', file.name))), file.name).toEqual({
        width: 1280,
        height: 800,
      });
  });

  it('builds the same add-on from the sources zip alone', () => {
    const names = [...sources.keys()];
    expect(names).toEqual(
      expect.arrayContaining(['package-lock.json', 'packages/core/src/index.ts', 'apps/extension/store/BUILD.md']),
    );
    // Only what the build reads: no other app's code, no tests, no build output.
    expect(names.filter((n) => /^apps\/(worker|dashboard)\//.test(n)).sort()).toEqual([
      'apps/dashboard/package.json',
      'apps/worker/package.json',
    ]);
    expect(names.filter((n) => /\.test\.tsx?$|\/test\/|\.output\/|node_modules\//.test(n))).toEqual([]);

    const dir = mkdtempSync(join(tmpdir(), 'series-sources-'));
    temp.push(dir);
    for (const [name, bytes] of sources) {
      mkdirSync(dirname(join(dir, name)), { recursive: true });
      writeFileSync(join(dir, name), bytes);
    }
    // What `npm ci` installs, without the network: the installed packages, and the workspaces from the zip.
    mkdirSync(join(dir, 'node_modules/@series'), { recursive: true });
    for (const entry of readdirSync(join(repo, 'node_modules')))
      if (entry !== '@series') symlinkSync(join(repo, 'node_modules', entry), join(dir, 'node_modules', entry));
    symlinkSync(join(dir, 'packages/core'), join(dir, 'node_modules/@series/core'));
    symlinkSync(join(dir, 'apps/extension'), join(dir, 'node_modules/@series/extension'));

    const cwd = join(dir, 'apps/extension');
    execFileSync(join(dir, 'node_modules/.bin/wxt'), ['build', '-b', 'firefox', '--mode', 'store'], {
      cwd,
      env,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const out = join(cwd, '.output/firefox-mv3-store');
    const rebuilt = new Map(
      readdirSync(out, { recursive: true, withFileTypes: true })
        .filter((f) => f.isFile())
        .map((f) => {
          const path = join(f.parentPath, f.name);
          return [path.slice(out.length + 1), readFileSync(path)] as const;
        }),
    );
    expect([...rebuilt.keys()].sort()).toEqual([...firefox.keys()].sort());
    for (const [file, bytes] of firefox) expect(rebuilt.get(file)?.equals(bytes), file).toBe(true);
  }, 120_000);
});
