import { copyFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { CATALOGUES, LOCALES, type Locale } from '@series/core/i18n';
import { interpolate } from '@series/core/i18n/interpolate';
import { drawPromoTile } from './icons';

/**
 * What `npm run package` hands to the stores besides the zips (written to `.output/store/`): the listing texts
 * in every language (from the i18n catalogues, like the manifest's), AMO's reviewer notes with the exact build
 * command, the Chrome Web Store's 440×280 promo tile, and the store screenshots the end-to-end tests took
 * (test-results/store/, 1280×800).
 */
export const STORE_DIR = 'store';
/** Every source file the build reads, from the repository's root (the sources zip for AMO's reviewers). */
export const SOURCES = [
  'package.json',
  'package-lock.json',
  'tsconfig.base.json',
  // npm ci wants every workspace the lockfile lists; only their package.json is needed.
  'apps/worker/package.json',
  'apps/dashboard/package.json',
  'packages/core/package.json',
  'packages/core/tsconfig.json',
  'packages/core/src/**',
  'apps/extension/package.json',
  'apps/extension/tsconfig.json',
  'apps/extension/wxt.config.ts',
  'apps/extension/build/**',
  'apps/extension/public/**',
  'apps/extension/src/**',
  'apps/extension/store/**',
];

/** The store build's API must be a deployed one: a package pointing at a local worker is of no use to anyone. */
export function storeApiUrl(): URL {
  const raw = process.env.WXT_API_URL;
  const url = raw ? new URL(raw) : null;
  if (!url || url.protocol !== 'https:')
    throw new Error(
      'npm run package: set WXT_API_URL to the deployed Series API (https), e.g. https://api.series.example',
    );
  return url;
}

const text = (locale: Locale, key: keyof (typeof CATALOGUES)['en'], vars: Record<string, string> = {}) =>
  interpolate(CATALOGUES[locale][key], vars);

export function listing(locale: Locale, api: URL) {
  const apiHost = `https://${api.hostname}/*`;
  return {
    name: text(locale, 'extension.manifest.name'),
    summary: text(locale, 'extension.manifest.description'),
    description: text(locale, 'extension.store.description'),
    singlePurpose: text(locale, 'extension.store.singlePurpose'),
    permissions: {
      storage: text(locale, 'extension.store.permission.storage'),
      'https://www.tiktok.com/*': text(locale, 'extension.store.permission.site', { host: 'https://www.tiktok.com/*' }),
      [apiHost]: text(locale, 'extension.store.permission.api', { host: apiHost }),
      'https://*/* (optional)': text(locale, 'extension.store.permission.optional'),
    },
    remoteCode: text(locale, 'extension.store.remoteCode'),
    dataUse: text(locale, 'extension.store.dataUse'),
    privacyPolicy: text(locale, 'extension.store.privacy', { url: `${api.origin}/privacy?lang=${locale}` }),
  };
}

function listingMarkdown(locale: Locale, api: URL) {
  const l = listing(locale, api);
  return [
    `# ${l.name} (${locale})`,
    '',
    `## Summary (${l.summary.length}/132)`,
    l.summary,
    '',
    '## Description',
    l.description,
    '',
    '## Single purpose',
    l.singlePurpose,
    '',
    '## Permissions',
    ...Object.values(l.permissions).map((p) => `- ${p}`),
    '',
    '## Remote code',
    l.remoteCode,
    '',
    '## Data',
    l.dataUse,
    '',
    l.privacyPolicy,
    '',
  ].join('\n');
}

function reviewerNotes(api: URL, version: string) {
  return `# Series ${version}: notes for reviewers

**What it does.** On www.tiktok.com it shows the paid episode series creators sell (a shelf on a profile, the
episode a video belongs to, Unlock / Watch buttons) and lets a signed-in viewer buy them through the Series API at
${api.origin} and watch them in the extension's player page. Privacy policy: ${api.origin}/privacy.

**Building from the sources zip** (series-${version}-sources.zip; the whole build reads only these files):

\`\`\`sh
# Node 20 or later and npm; npm ci installs the exact versions of package-lock.json (and its own Node 24).
npm ci
cd apps/extension
WXT_API_URL=${api.origin} npx wxt zip -b firefox --mode store
# → apps/extension/.output/firefox-mv3-store/ is the submitted add-on, file for file
#   (and .output/series-${version}-firefox.zip the same files zipped)
\`\`\`

The code is bundled and minified by WXT (Vite/Rolldown) from \`apps/extension/src\` and \`packages/core/src\`;
\`apps/extension/store/BUILD.md\` says the same with more detail.

**Linter.** \`web-ext lint\` on this build: 0 errors, 0 warnings, 0 notices. Two dependencies are edited at build
time so that no code generation and no \`innerHTML\` ship (\`apps/extension/build/store-safe.ts\`): zod's
Function-constructor probe and code generators (zod then validates with its interpreter, "jitless"), and
Preact's \`dangerouslySetInnerHTML\` assignment (never used; it throws instead).

**Permissions.** \`storage\` (settings, started checkouts, the sign-in for the browser session);
\`https://www.tiktok.com/*\` (the content scripts; only the handle or video id in the address is read and a
4-character SHA-256 prefix is sent); \`https://${api.hostname}/*\` (the Series API); \`https://*/*\` optional, asked
only when the viewer sets another API address. A small script in the page's world (\`content-scripts/history.js\`)
wraps \`history.pushState\`/\`replaceState\` to notice the site's in-app navigations; it reads and sends nothing.

**Data collection** (\`data_collection_permissions\`): authentication information and personally identifying
information (the email address and password, sent to the Series API to sign in). Nothing about browsing is
collected.

**To try it**, sign in with the test account given in the submission form, open a creator's profile that sells
series, press Unlock, and pay on the checkout page (test mode charges nothing).
`;
}

/** Writes `.output/store/`: the zips, listings, reviewer notes and screenshots, ready to upload. */
export function writeStoreAssets(root: string, outBaseDir: string, zips: string[], version: string) {
  const api = storeApiUrl();
  const dir = join(outBaseDir, STORE_DIR);
  mkdirSync(join(dir, 'listing'), { recursive: true });
  for (const zip of zips) copyFileSync(zip, join(dir, basename(zip)));
  for (const locale of LOCALES) {
    writeFileSync(join(dir, 'listing', `${locale}.md`), listingMarkdown(locale, api));
    writeFileSync(join(dir, 'listing', `${locale}.json`), `${JSON.stringify(listing(locale, api), null, 2)}\n`);
  }
  writeFileSync(join(dir, 'amo-reviewer-notes.md'), reviewerNotes(api, version));
  writeFileSync(join(dir, 'promo-440x280.png'), drawPromoTile());
  const shots = join(root, 'test-results', 'store');
  if (existsSync(shots)) {
    mkdirSync(join(dir, 'screenshots'), { recursive: true });
    for (const file of readdirSync(shots).filter((f) => f.endsWith('.png')))
      copyFileSync(join(shots, file), join(dir, 'screenshots', file));
  }
}
