// The local D1 database that `npm start` keeps (wrangler's state in .wrangler/state): whether it can still be
// migrated. Read with Node's built-in SQLite, without starting wrangler.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Migrations that were committed and later deleted, with what replaced them. A database that applied one of
 * these cannot apply today's files: 0011_range_totals.sql creates the sales_totals table that
 * 0011_all_time_totals.sql had already made.
 */
export const REPLACED_MIGRATIONS = {
  '0011_all_time_totals.sql': '0011_range_totals.sql',
};

/** Where wrangler keeps the local D1 databases under a state folder (`--persist-to`, default .wrangler/state). */
export const d1Folder = (stateDir) => join(stateDir, 'v3', 'd1', 'miniflare-D1DatabaseObject');

/**
 * The replaced migrations each local database under `stateDir` applied: `[{ file, applied: [...] }]`, empty
 * when every database can be migrated (or there is none yet).
 */
export async function replacedMigrationsApplied(stateDir) {
  const folder = d1Folder(stateDir);
  if (!existsSync(folder)) return [];
  const { DatabaseSync } = await quietly(() => import('node:sqlite'));
  const found = [];
  for (const name of readdirSync(folder)) {
    if (!name.endsWith('.sqlite') || name === 'metadata.sqlite') continue;
    const file = join(folder, name);
    const db = new DatabaseSync(file, { readOnly: true });
    try {
      const table = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'd1_migrations'").get();
      if (!table) continue;
      const placeholders = Object.keys(REPLACED_MIGRATIONS)
        .map(() => '?')
        .join(', ');
      const rows = db
        .prepare(`SELECT name FROM d1_migrations WHERE name IN (${placeholders}) ORDER BY name`)
        .all(...Object.keys(REPLACED_MIGRATIONS));
      if (rows.length) found.push({ file, applied: rows.map((r) => String(r.name)) });
    } finally {
      db.close();
    }
  }
  return found;
}

/** Node prints "SQLite is an experimental feature" on first use: not news for someone starting the app. */
async function quietly(load) {
  const emit = process.emitWarning;
  process.emitWarning = (warning, ...rest) => {
    if (!String(warning).includes('SQLite')) emit.call(process, warning, ...rest);
  };
  try {
    return await load();
  } finally {
    process.emitWarning = emit;
  }
}

/** What `npm start` says about such a database: what happened, and how to start again from scratch. */
export function resetAdvice(found, stateDir) {
  const lines = found.flatMap(({ file, applied }) =>
    applied.map((name) => `  ${file} applied ${name}, which ${REPLACED_MIGRATIONS[name]} replaced.`),
  );
  return [
    'The local database cannot be migrated to the current schema:',
    ...lines,
    'It was made by an older checkout, before committed migrations were made unchangeable. Reset it (the demo',
    'data is seeded again; anything else you created locally goes):',
    '',
    `  rm -rf ${d1Folder(stateDir)} && npm start`,
    '',
  ].join('\n');
}
