import { build } from 'vite';

/** One production build per test run, read by the bundle budget and served to the browser tests. */
export default async function buildDashboard() {
  await build({ root: new URL('..', import.meta.url).pathname, logLevel: 'warn' });
}
