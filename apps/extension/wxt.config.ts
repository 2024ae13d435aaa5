import preact from '@preact/preset-vite';
import { CATALOGUES, DEFAULT_LOCALE, LOCALES } from '@series/core/i18n';
import { defineConfig } from 'wxt';
import { storeSafe } from './build/store-safe';
import { SOURCES, storeApiUrl, writeStoreAssets } from './build/store';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The API the extension talks to unless the viewer sets another in the popup: `WXT_API_URL` at build time
 * (WXT also hands it to the code as import.meta.env.WXT_API_URL), else the local worker of `npm start`.
 */
const DEFAULT_API_URL = 'http://127.0.0.1:8787';
const apiUrl = new URL(process.env.WXT_API_URL || DEFAULT_API_URL);
const local = ['127.0.0.1', 'localhost'].includes(apiUrl.hostname);

/**
 * Host permissions: the video site and the API, nothing else. Match patterns cover every port, so the local
 * worker may run on any port; a deployed API is its https host. Other API hosts are requested at run time
 * from the popup (optional permissions: nothing is granted at install).
 */
const apiHosts = local ? ['http://127.0.0.1/*', 'http://localhost/*'] : [`https://${apiUrl.hostname}/*`];

/**
 * The manifest's texts in every language, as the browser wants them (`_locales/<lang>/messages.json`), made
 * from the same catalogues as the UI (packages/core/src/i18n), so there is one place to translate.
 */
const manifestMessages = (locale: (typeof LOCALES)[number]) =>
  JSON.stringify(
    {
      extName: { message: CATALOGUES[locale]['extension.manifest.name'] },
      extDescription: { message: CATALOGUES[locale]['extension.manifest.description'] },
    },
    null,
    2,
  );

export default defineConfig({
  srcDir: 'src',
  manifestVersion: 3,
  // storeSafe: no code generation (zod) and no innerHTML (Preact) in the bundles, see build/store-safe.ts.
  vite: (env) => {
    // A build is for people (and the stores): production JSX whatever NODE_ENV the shell or a test runner set.
    // Under vitest it is "test", which gave development JSX with this machine's file paths in every bundle.
    if (env.command === 'build') process.env.NODE_ENV = 'production';
    return { plugins: [storeSafe(), preact()] };
  },
  // `npm run package`: `wxt zip --mode store` for Chrome and Firefox (builds in .output/<browser>-mv3-store), the
  // sources zip AMO's reviewers build from, and everything else the stores ask for in .output/store/.
  zip: {
    artifactTemplate: 'series-{{packageVersion}}-{{browser}}.zip',
    sourcesTemplate: 'series-{{packageVersion}}-sources.zip',
    sourcesRoot: fileURLToPath(new URL('../..', import.meta.url)),
    includeSources: SOURCES,
  },
  hooks: {
    'build:publicAssets': (_wxt, files) => {
      for (const locale of LOCALES)
        files.push({ relativeDest: `_locales/${locale}/messages.json`, contents: manifestMessages(locale) });
    },
    'zip:start': () => void storeApiUrl(),
    'zip:done': (wxt, zips) => {
      const version = JSON.parse(readFileSync(join(wxt.config.root, 'package.json'), 'utf8')).version as string;
      writeStoreAssets(wxt.config.root, wxt.config.outBaseDir, zips, version);
    },
  },
  manifest: ({ browser }) => ({
    name: '__MSG_extName__',
    description: '__MSG_extDescription__',
    default_locale: DEFAULT_LOCALE,
    permissions: ['storage'],
    host_permissions: ['https://www.tiktok.com/*', ...apiHosts],
    optional_host_permissions: ['https://*/*'],
    // The toolbar button's title comes from the popup's <title> ("Series", the same in every language); its
    // icon is the extension's (public/icon, drawn by build/icons.ts), which Firefox does not fall back to.
    action: { default_icon: { 16: 'icon/16.png', 32: 'icon/32.png' } },
    ...(browser === 'firefox'
      ? {
          browser_specific_settings: {
            gecko: {
              id: 'series@series.test',
              // MV3 with world: 'MAIN' content scripts and storage.session came in 128; the data collection
              // consent below (which AMO requires of new extensions) in 140 on desktop, 142 on Android.
              strict_min_version: '140.0',
              // Sign-in sends an email and password to the Series API; nothing about browsing leaves the device.
              data_collection_permissions: { required: ['authenticationInfo', 'personallyIdentifyingInfo'] },
            },
            // Firefox for Android: the same extension on the video site's mobile pages (same paths).
            gecko_android: { strict_min_version: '142.0' },
          },
        }
      : {}),
  }),
});
