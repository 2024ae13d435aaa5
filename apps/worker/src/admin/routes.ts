import { commissionSchema, creatorStatusSchema, DEFAULT_COMMISSION_BPS, handleSchema } from '@series/core';
import { Hono } from 'hono';
import { z } from 'zod';
import { requireAdmin } from '../auth/middleware.js';
import type { AppEnv } from '../lib/context.js';
import { toCreator } from '../creators/queries.js';
import type { CreatorRow } from '../lib/context.js';
import { notFound } from '../lib/errors.js';
import { purgeCatalog } from '../lib/public-cache.js';
import { validate } from '../lib/validate.js';
import { auditStatement } from '../lib/audit.js';
import { commissionHistory, setCommission } from '../ledger/commission-queries.js';

const handleParam = validate('param', z.object({ handle: handleSchema }));

/** Sets a creator's rollout status and records who did it, in one batch. */
async function setCreatorStatus(db: D1Database, actorId: string, handle: string, status: 'approved' | 'suspended') {
  const now = Date.now();
  const [update] = await db.batch([
    db
      .prepare('UPDATE creators SET status = ?, status_changed_at = ? WHERE handle = ? RETURNING *')
      .bind(status, now, handle),
    // Audits only if the creator exists, so a typo leaves no trace of an action that never happened.
    auditStatement(
      db,
      { actorId, action: `creator.${status === 'approved' ? 'approve' : 'suspend'}`, target: handle, now },
      { where: 'EXISTS (SELECT 1 FROM creators WHERE handle = ?7)', binds: [handle] },
    ),
  ]);
  const row = update?.results[0] as CreatorRow | undefined;
  if (!row) throw notFound('Creator');
  // Approval puts the creator's published series on sale; suspension takes them off.
  await purgeCatalog(db, row.id);
  return toCreator(row);
}

export const adminRoutes = new Hono<AppEnv>()
  .use('/admin/*', requireAdmin)
  .get('/admin/creators', validate('query', z.object({ status: creatorStatusSchema.optional() })), async (c) => {
    const { status } = c.req.valid('query');
    const { results } = await c.env.DB.prepare(
      `SELECT c.*, u.email FROM creators c JOIN users u ON u.id = c.user_id
       WHERE ?1 IS NULL OR c.status = ?1 ORDER BY c.created_at LIMIT 500`,
    )
      .bind(status ?? null)
      .all<CreatorRow & { email: string }>();
    return c.json({ creators: results.map((r) => ({ ...toCreator(r), email: r.email })) }, 200);
  })
  .post('/admin/creators/:handle/approve', handleParam, async (c) => {
    const creator = await setCreatorStatus(c.env.DB, c.var.session!.user.id, c.req.valid('param').handle, 'approved');
    return c.json({ creator }, 200);
  })
  .post('/admin/creators/:handle/suspend', handleParam, async (c) => {
    const creator = await setCreatorStatus(c.env.DB, c.var.session!.user.id, c.req.valid('param').handle, 'suspended');
    return c.json({ creator }, 200);
  })
  .get('/admin/commission', async (c) => {
    const history = await commissionHistory(c.env.DB);
    return c.json({ bps: history[0]?.bps ?? DEFAULT_COMMISSION_BPS, history }, 200);
  })
  .put('/admin/commission', validate('json', commissionSchema), async (c) => {
    const { bps } = c.req.valid('json');
    const actor = c.var.session!.user.id;
    const now = Date.now();
    await setCommission(c.env.DB, { bps, actorId: actor, now });
    return c.json({ bps, effectiveAt: new Date(now).toISOString(), appliesTo: 'purchases started from now on' }, 200);
  })
  .get('/admin/audit', async (c) => {
    const { results } = await c.env.DB.prepare(
      `SELECT a.action, a.target, a.detail, a.created_at, u.email AS actor_email
       FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id ORDER BY a.created_at DESC, a.rowid DESC LIMIT 200`,
    ).all<{ action: string; target: string; detail: string; created_at: number; actor_email: string | null }>();
    return c.json(
      {
        entries: results.map((r) => ({
          action: r.action,
          target: r.target,
          detail: JSON.parse(r.detail ?? '{}') as unknown,
          actor: r.actor_email,
          at: new Date(r.created_at).toISOString(),
        })),
      },
      200,
    );
  });
