import { newId } from './ids.js';

/** An SQL expression for a column of the audit row, read from the `onlyIf` query's table. */
export interface Sql {
  sql: string;
}
export const sql = (text: string): Sql => ({ sql: text });
const isSql = (value: unknown): value is Sql => typeof value === 'object' && value !== null && 'sql' in value;

export interface AuditEntry {
  /** Who did it; null for what the platform did on its own (a provider's event). */
  actorId: string | null | Sql;
  action: string;
  target: string | Sql;
  detail?: unknown;
  now?: number;
}

/**
 * The one way an audit row is written (the audit log is append-only: migration 0007's triggers refuse
 * updates and deletes). It is a statement for the batch that makes the change, so the change and its trace
 * land together or not at all. With `onlyIf`, the row is written only when its condition holds as the batch
 * runs, i.e. when the change it records happened; its bound values are ?7, ?8, … in order, and `sql()`
 * columns may read the `from` table.
 */
export function auditStatement(
  db: D1Database,
  entry: AuditEntry,
  onlyIf?: { from?: string; where: string; binds?: unknown[] },
) {
  const column = (value: unknown, param: string) => (isSql(value) ? value.sql : param);
  const plain = (value: unknown) => (isSql(value) ? null : value);
  return db
    .prepare(
      `INSERT INTO audit_log (id, actor_id, action, target, detail, created_at)
       SELECT ?1, ${column(entry.actorId, '?2')}, ?6, ${column(entry.target, '?3')}, ${column(entry.detail, '?4')}, ?5
       ${onlyIf ? `${onlyIf.from ? `FROM ${onlyIf.from} ` : ''}WHERE ${onlyIf.where}` : ''}`,
    )
    .bind(
      newId('aud'),
      plain(entry.actorId),
      plain(entry.target),
      isSql(entry.detail) ? null : JSON.stringify(entry.detail ?? {}),
      entry.now ?? Date.now(),
      entry.action,
      ...(onlyIf?.binds ?? []),
    );
}
