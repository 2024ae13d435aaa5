import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import webExt, { type LintMessage } from 'web-ext';
import { storeSafe } from '../build/store-safe';

// Mozilla's validator (addons-linter, inside web-ext), which AMO runs on every upload, on the builds made by
// test/build-setup.ts.
const dir = (target: string) => fileURLToPath(new URL(`../.output/${target}`, import.meta.url));
const lint = (target: string) =>
  webExt.cmd.lint({ sourceDir: dir(target), output: 'none' }, { shouldExitProgram: false });
const show = (messages: LintMessage[]) => messages.map((m) => `${m.code} ${m.file ?? ''}: ${m.description}`);

/**
 * What the linter says of any MV3 manifest made for Chrome: Firefox-only keys it lacks on purpose (the gecko id,
 * data collection consent, a background page beside the service worker). Everything else applies to Chrome too.
 */
const FIREFOX_ONLY = [
  'ADDON_ID_REQUIRED',
  'MISSING_DATA_COLLECTION_PERMISSIONS',
  'BACKGROUND_SERVICE_WORKER_NOFALLBACK',
];

describe('web-ext lint', () => {
  it('passes the Firefox build without an error, a warning or a notice', async () => {
    const result = await lint('firefox-mv3');
    // No Function constructor (zod), no innerHTML (Preact), no key newer than the declared minimum versions.
    expect(show([...result.errors, ...result.warnings, ...result.notices])).toEqual([]);
  });

  it('passes the Chrome build on every check that applies to it', async () => {
    const result = await lint('chrome-mv3');
    const applicable = [...result.errors, ...result.warnings, ...result.notices].filter(
      (m) => !FIREFOX_ONLY.includes(m.code),
    );
    expect(show(applicable)).toEqual([]);
  });

  it('ships no code generation and no innerHTML in any bundle of either build', () => {
    for (const target of ['chrome-mv3', 'firefox-mv3']) {
      const files = readdirSync(dir(target), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.js'));
      expect(files.length).toBeGreaterThan(3);
      for (const file of files) {
        const code = readFileSync(`${dir(target)}/${file}`, 'utf8');
        expect(code, `${target}/${file}`).not.toMatch(/\bFunction\s*\(|new\s+Function\b|=\s*Function\b|\beval\s*\(/);
        // Only clearing (`innerHTML = ""`), which the linter accepts too.
        expect(code, `${target}/${file}`).not.toMatch(/\.innerHTML\s*=(?!=)(?!\s*(``|""|'')[,;)])/);
      }
    }
  });

  it('keeps zod out of the popup and the player (only the background validates messages)', () => {
    for (const file of readdirSync(`${dir('firefox-mv3')}/chunks`)) {
      const code = readFileSync(`${dir('firefox-mv3')}/chunks/${file}`, 'utf8');
      expect(code, file).not.toMatch(/\$ZodType|ZodError/);
    }
  });

  it('fails the build when a dependency no longer holds the code it edits', () => {
    const plugin = storeSafe();
    const transform = plugin.transform as (code: string, id: string) => { code: string } | null;
    expect(() => transform('export const x = 1;', '/r/node_modules/zod/v4/core/util.js')).toThrow(/not found/);
    expect(transform('const F = Function; new F("");', '/r/node_modules/zod/v4/core/util.js')?.code).not.toMatch(
      /= Function;/,
    );
    expect(transform('export const x = 1;', '/r/src/util.js')).toBeNull();
  });
});
