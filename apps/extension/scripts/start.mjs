// `npm start` for the extension: builds it for Chrome/Chromium and says how to load it.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
// Unless told another API, the build points at the worker `npm start` runs beside it, on its PORT.
const api = process.env.WXT_API_URL || `http://127.0.0.1:${process.env.PORT || 8787}`;
execFileSync('npx', ['--no-install', 'wxt', 'build'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, WXT_API_URL: api },
});
console.log(`
  Series extension (Chrome/Chromium, MV3)     ${root}.output/chrome-mv3
    load it: chrome://extensions → Developer mode → Load unpacked → choose the folder above
    API:     ${api} (set WXT_API_URL when building, or change it in the extension's popup)
    try it:  sign in as viewer@series.test / series-demo-pass in the popup; the demo creator is @seriesdemo
  Edge:    edge://extensions → Developer mode → Load unpacked → the same folder
  Firefox: npm run build:firefox -w @series/extension, then about:debugging → This Firefox →
           Load Temporary Add-on → ${root}.output/firefox-mv3/manifest.json
           (if Firefox withholds the site's access, the popup asks for it: Allow access)
  Stores:  WXT_API_URL=https://<deployed API> npm run package → ${root}.output/store/
`);
