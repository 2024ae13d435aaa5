import { Hono } from 'hono';
import { CLIENT_JS, CLIENT_VERSION } from './client.gen.js';

/** The storefront's script, built from `client/` by scripts/build-client.mjs; the name changes with its content. */
export const CLIENT_PATH = `/storefront/app.${CLIENT_VERSION}.js`;

export const clientRoutes = new Hono().get('/storefront/:file{app\\.[0-9a-f]{12}\\.js}', (c) => {
  // A page cached before a deploy may still name the previous build: it gets this one, but only briefly cached.
  const current = c.req.param('file') === `app.${CLIENT_VERSION}.js`;
  c.header('Content-Type', 'text/javascript; charset=utf-8');
  c.header('Cache-Control', current ? 'public, max-age=31536000, immutable' : 'public, max-age=60');
  return c.body(CLIENT_JS, 200);
});
