import { Hono } from 'hono';
import { currentCommissionBps } from '../ledger/commission-queries.js';
import { PUBLIC_CACHE } from '../lib/cache.js';
import type { AppEnv } from '../lib/context.js';
import { publicCache } from '../lib/public-cache.js';

/**
 * The platform commission in force, for everyone (the dashboard's sign-in page and overview say what creators
 * keep): `{ bps }`, the rate purchases started now are sold at. Public and cached like the catalogue; an admin's
 * change (PUT /v1/admin/commission) purges it, so it is current within the minute browsers may keep it.
 */
export const commissionRoutes = new Hono<AppEnv>().get('/commission', publicCache, async (c) => {
  const bps = await currentCommissionBps(c.env.DB);
  c.header('Cache-Control', PUBLIC_CACHE);
  return c.json({ bps }, 200);
});
