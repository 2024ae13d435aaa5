// Migrations are history (README, "The worker"): a committed migration never changes, and a database migrated
// from any version of the files ever committed ends with the schema a fresh one gets. Run in Node with its
// built-in SQLite, applying each file as D1 does: in one transaction, foreign keys enforced.
import { mkdtempSync, readFileSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error: plain JavaScript modules of the worker's scripts, without declarations
import { checksum, migrationFiles, MIGRATIONS_DIR, readChecksums } from '../../scripts/migration-checksums.mjs';
// @ts-expect-error: as above
import { d1Folder, replacedMigrationsApplied, resetAdvice } from '../../scripts/local-database.mjs';

const VERSIONS_DIR = new URL('./migration-versions/', import.meta.url).pathname;
const current = (name: string) => readFileSync(join(MIGRATIONS_DIR, name), 'utf8');
const version = (file: string) => readFileSync(join(VERSIONS_DIR, file), 'utf8');

/** A migration to apply: its name (as wrangler records it) and its text. */
type Step = { name: string; sql: string };

/** Applies the steps as `wrangler d1 migrations apply` does, recording each in d1_migrations. */
function migrate(db: DatabaseSync, steps: Step[]) {
  db.exec(`CREATE TABLE IF NOT EXISTS d1_migrations(
    id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT UNIQUE, applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL)`);
  for (const step of steps) {
    db.exec('BEGIN');
    try {
      db.exec(step.sql);
      db.prepare('INSERT INTO d1_migrations (name) VALUES (?)').run(step.name);
      db.exec('COMMIT');
    } catch (err) {
      db.exec('ROLLBACK');
      throw new Error(`${step.name}: ${(err as Error).message}`);
    }
  }
}

/** Everything the schema is made of, as SQLite keeps it. */
function schema(db: DatabaseSync) {
  return db
    .prepare("SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name")
    .all();
}

const files = migrationFiles() as string[];
const stepsOf = (names: string[]): Step[] => names.map((name) => ({ name, sql: current(name) }));

describe('committed migrations never change', () => {
  const listed = readChecksums() as Record<string, string>;

  it('every migration is listed in migrations/checksums.json, and every listed one still exists', () => {
    const unlisted = files.filter((name) => !(name in listed));
    expect(unlisted, 'new migrations: run `node scripts/migration-checksums.mjs --add` in apps/worker').toEqual([]);
    expect(
      Object.keys(listed).filter((name) => !files.includes(name)),
      'a committed migration was deleted or renamed',
    ).toEqual([]);
  });

  it('each file is byte for byte what was committed (write a new migration instead)', () => {
    const changed = files.filter((name) => name in listed && checksum(current(name)) !== listed[name]);
    expect(changed).toEqual([]);
  });

  it('the checksum sees any edit, even in a comment, and not the checkout’s line endings', () => {
    const text = current('0001_init.sql');
    expect(checksum(text)).toBe(listed['0001_init.sql']);
    expect(checksum(text.replace(/\n/g, '\r\n'))).toBe(listed['0001_init.sql']);
    expect(checksum(text.replace('-- Accounts.', '-- Accounts!'))).not.toBe(listed['0001_init.sql']);
  });
});

describe('every database ends with the same schema', () => {
  const fresh = () => {
    const db = new DatabaseSync(':memory:');
    migrate(db, stepsOf(files));
    return schema(db);
  };

  // The other versions of 0009 and 0011_range_totals.sql that were ever committed (kept in
  // test/node/migration-versions/, named after their commit): databases made while they stood applied them.
  const history = {
    '0009_buyer_first_days.sql': [null, '0009_buyer_first_days.801aa15.sql', '0009_buyer_first_days.f1da723.sql'],
    '0011_range_totals.sql': [null, '0011_range_totals.14ddc0f.sql'],
  } as const;

  const combinations = history['0009_buyer_first_days.sql'].flatMap((v9) =>
    history['0011_range_totals.sql'].map((v11) => ({ v9, v11 })),
  );

  it.each(combinations)(
    '0009 as $v9, 0011 as $v11 (null: as in migrations/), then migrated to today',
    ({ v9, v11 }) => {
      const db = new DatabaseSync(':memory:');
      const through = files.indexOf('0014_extension_anchors.sql') + 1;
      const then: Step[] = files.slice(0, through).map((name) => ({
        name,
        sql:
          name === '0009_buyer_first_days.sql' && v9
            ? version(v9)
            : name === '0011_range_totals.sql' && v11
              ? version(v11)
              : current(name),
      }));
      migrate(db, then);
      // Some data on the old schema: the rebuilt creators table (0015) keeps it, and its references hold.
      db.exec(`INSERT INTO users VALUES ('usr_1', 'a@example.test', 'x', 1);
      INSERT INTO creators (id, user_id, handle, display_name, status, created_at, status_changed_at)
        VALUES ('cr_1', 'usr_1', 'night', 'Night', 'approved', 1, 1);
      INSERT INTO series (id, creator_id, title, currency, created_at, updated_at) VALUES ('ser_1', 'cr_1', 'T', 'USD', 1, 1);
      INSERT INTO sales_daily (creator_id, currency, day, series_id, episode_id, sales, gross, commission, payout)
        VALUES ('cr_1', 'USD', '2026-11-01', 'ser_1', '', 1, 199, 0, 199);`);
      migrate(db, stepsOf(files.slice(through)));
      expect(schema(db)).toEqual(fresh());
      expect(db.prepare('PRAGMA foreign_key_check').all()).toEqual([]);
      expect(db.prepare('SELECT handle FROM creators c JOIN series s ON s.creator_id = c.id').get()).toEqual({
        handle: 'night',
      });
      // Today's trigger keeps the totals on an update of the day's row.
      db.exec(`UPDATE sales_daily SET sales = sales + 1, gross = gross + 299, payout = payout + 299`);
      expect(db.prepare('SELECT days, sales, gross, payout FROM sales_totals').get()).toEqual({
        days: 1,
        sales: 2,
        gross: 498,
        payout: 498,
      });
    },
  );
});

describe('npm start and a local database that applied a replaced migration', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  /** A wrangler state folder whose one local database applied `steps`. */
  function localState(steps: Step[]) {
    const stateDir = mkdtempSync(join(tmpdir(), 'series-state-'));
    dirs.push(stateDir);
    mkdirSync(d1Folder(stateDir), { recursive: true });
    const db = new DatabaseSync(join(d1Folder(stateDir), 'abc123.sqlite'));
    migrate(db, steps);
    db.close();
    new DatabaseSync(join(d1Folder(stateDir), 'metadata.sqlite')).close();
    return stateDir;
  }

  it('finds 0011_all_time_totals.sql, which 0011_range_totals.sql cannot follow, and says how to reset', async () => {
    const upTo10 = stepsOf(files.slice(0, files.indexOf('0011_range_totals.sql')));
    const old: Step = { name: '0011_all_time_totals.sql', sql: version('0011_all_time_totals.3a96b6a.sql') };
    const stateDir = localState([...upTo10, old]);
    // Why it matters: today's 0011 fails on that database.
    const db = new DatabaseSync(join(d1Folder(stateDir), 'abc123.sqlite'));
    expect(() => migrate(db, stepsOf(['0011_range_totals.sql']))).toThrow(/sales_totals already exists/);
    db.close();

    const found = await replacedMigrationsApplied(stateDir);
    expect(found).toEqual([{ file: join(d1Folder(stateDir), 'abc123.sqlite'), applied: ['0011_all_time_totals.sql'] }]);
    const advice = resetAdvice(found, stateDir);
    expect(advice).toContain('0011_all_time_totals.sql, which 0011_range_totals.sql replaced');
    expect(advice).toContain(`rm -rf ${d1Folder(stateDir)} && npm start`);
  });

  it('says nothing of a database migrated from today’s files, or of a first start without one', async () => {
    expect(await replacedMigrationsApplied(localState(stepsOf(files)))).toEqual([]);
    expect(await replacedMigrationsApplied(join(tmpdir(), 'series-no-state-here'))).toEqual([]);
  });
});
